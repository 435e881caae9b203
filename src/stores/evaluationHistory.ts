/**
 * Reading around one evaluation: its chain of revisions, the drafts waiting to be resumed, and
 * the corrective actions already raised from it. Kept apart from the evaluation store, which is
 * about the one evaluation being edited.
 */
import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import type { EvaluationRow } from '@/db/database'
import { repos } from '@/db/repos'
import type { CorrectiveAction } from '@/domain/records'

export const useEvaluationHistoryStore = defineStore('evaluationHistory', () => {
  /** Oldest first, ending with the newest revision made from the evaluation asked about. */
  const revisions = shallowRef<EvaluationRow[]>([])
  const drafts = shallowRef<EvaluationRow[]>([])
  const actions = shallowRef<CorrectiveAction[]>([])

  /** The whole chain the evaluation belongs to: its predecessors, itself, and revisions of it. */
  async function loadRevisions(id: string): Promise<EvaluationRow[]> {
    const chain = await repos().evaluations.history(id)
    let last = chain.at(-1)
    while (last) {
      const next: EvaluationRow | undefined = (await repos().evaluations.revisionsOf(last.id))[0]
      if (next) chain.push(next)
      last = next
    }
    revisions.value = chain
    return chain
  }

  /** Drafts to resume, most recently touched first; of one store if a code is given. */
  async function loadDrafts(storeCode?: string): Promise<EvaluationRow[]> {
    const all = await repos().evaluations.listDrafts()
    drafts.value = storeCode ? all.filter((d) => d.storeCode === storeCode) : all
    return drafts.value
  }

  async function loadActions(evaluationId: string): Promise<CorrectiveAction[]> {
    actions.value = await repos().actions.listByEvaluation(evaluationId)
    return actions.value
  }

  /**
   * The items that lost points at the store's last submitted, scored visit before this one
   * (newest first by start), so the form can point the inspector at them.
   */
  async function lastLost(storeCode: string, exceptId: string): Promise<string[]> {
    const chain = new Set((await repos().evaluations.history(exceptId)).map((e) => e.id))
    const rows = await repos().evaluations.listByStore(storeCode)
    const prev = rows.find((r) => !chain.has(r.id) && r.status === 'submitted' && r.result)
    return prev?.result?.lost.map((l) => l.itemId) ?? []
  }

  /** Every evaluation of the store in the period (to set a self-assessment beside its inspection). */
  const samePeriod = shallowRef<EvaluationRow[]>([])
  async function loadSamePeriod(storeCode: string, period: string): Promise<EvaluationRow[]> {
    samePeriod.value = await repos().evaluations.listByStorePeriod(storeCode, period)
    return samePeriod.value
  }

  return {
    revisions,
    drafts,
    actions,
    samePeriod,
    loadRevisions,
    loadDrafts,
    loadActions,
    lastLost,
    loadSamePeriod,
  }
})

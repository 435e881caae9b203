/**
 * One store's page: its details, evaluations, open corrective actions and results (section
 * scores of the evaluation that counts against the city average, what lost points, with photos).
 * Maths lives in src/domain/store-summary.ts; this only gathers the data.
 */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { EvaluationRow } from '@/db/database'
import { repos } from '@/db/repos'
import type { ScoredSummary } from '@/db/results'
import type { CorrectiveAction, EncodedPhoto, Photo } from '@/domain/records'
import type { Rubric } from '@/domain/rubric-schema'
import type { EvaluationScore, LostPoints } from '@/domain/scoring'
import {
  compareSections,
  countingOf,
  type ScoreSummary,
  type SectionComparison,
} from '@/domain/store-summary'
import type { Answer, Store } from '@/domain/types'
import { usePolicyStore } from './policy'
import { useRubricStore } from './rubrics'

export interface LostItem extends LostPoints {
  answer: Answer | undefined
  photos: Photo[]
}

export const useStorePageStore = defineStore('storePage', () => {
  const store = ref<Store | null>(null)
  const evaluations = shallowRef<EvaluationRow[]>([])
  const openActions = ref<CorrectiveAction[]>([])
  const counting = shallowRef<EvaluationRow | null>(null)
  const rubric = shallowRef<Rubric | null>(null)
  const sections = shallowRef<SectionComparison[]>([])
  const lostItems = shallowRef<LostItem[]>([])
  const loading = ref(false)
  const notFound = ref(false)
  const policyStore = usePolicyStore()

  /** The counting score of every store in the city, from the compact results (no answers). */
  async function cityResults(s: Store, period: string): Promise<ScoreSummary[]> {
    const cityStores = await repos().stores.listByCity(s.province, s.city)
    const rows = await repos().results.listByStoresInPeriod(
      cityStores.map((c) => c.code),
      period,
    )
    const byStore = new Map<string, ScoredSummary[]>()
    for (const r of rows) {
      let l = byStore.get(r.storeCode)
      if (!l) byStore.set(r.storeCode, (l = []))
      l.push(r)
    }
    const out: ScoreSummary[] = []
    for (const l of byStore.values()) {
      const score = countingOf(l, policyStore.policy, period)?.result
      if (score) out.push(score)
    }
    return out
  }

  async function lostWithPhotos(
    ev: EvaluationRow & { result: EvaluationScore },
  ): Promise<LostItem[]> {
    const photos = await repos().photos.listForEvaluation(ev.id)
    const byId = new Map(photos.map((p) => [p.id, p]))
    return ev.result.lost.map((l) => {
      const answer = ev.answers[l.itemId]
      const own = (answer?.photoIds ?? [])
        .map((id) => byId.get(id))
        .filter((p): p is Photo => p !== undefined)
      return { ...l, answer, photos: own }
    })
  }

  async function load(code: string): Promise<void> {
    loading.value = true
    notFound.value = false
    try {
      const s = (await repos().stores.get(code)) ?? null
      counting.value = null
      sections.value = []
      lostItems.value = []
      if (!s) {
        store.value = null
        notFound.value = true
        return
      }
      const [evs, actions] = await Promise.all([
        repos().evaluations.listByStore(code),
        repos().actions.listOpenByStore(code),
      ])
      // Daily self-checks have their own history (the daily-check screen), not this list.
      const rubrics = useRubricStore()
      await rubrics.load()
      // The store, its evaluations and its open actions appear together: the page never shows
      // one store's title over another's (or an empty) list while the rubrics load.
      store.value = s
      evaluations.value = evs.filter(
        (e) => rubrics.get(e.rubricId, e.rubricVersion)?.purpose !== 'daily-check',
      )
      openActions.value = actions
      const c = countingOf(evs, policyStore.policy)
      if (!c?.result) return
      counting.value = c
      rubric.value = rubrics.get(c.rubricId, c.rubricVersion) ?? null
      const withResult = c as EvaluationRow & { result: EvaluationScore }
      const [city, lost] = await Promise.all([cityResults(s, c.period), lostWithPhotos(withResult)])
      sections.value = compareSections(withResult.result, city)
      lostItems.value = lost
    } finally {
      loading.value = false
    }
  }

  /** Checks an action off with its evidence; it leaves the open list. */
  async function checkOff(
    actionId: string,
    note: string,
    photos: EncodedPhoto[] = [],
  ): Promise<CorrectiveAction> {
    const done = await repos().actions.checkOff(actionId, { note, photos })
    openActions.value = openActions.value.filter((a) => a.id !== actionId)
    return done
  }

  return {
    store,
    evaluations,
    openActions,
    counting,
    rubric,
    sections,
    lostItems,
    loading,
    notFound,
    load,
    checkOff,
  }
})

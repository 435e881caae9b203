/**
 * Certification actions: record a level's step, a reasoned override, or a send-back for
 * re-inspection. Each is written to the certification log with who and when; the rankings
 * store then re-reads the log, and the engine re-proposes with the overrides in force.
 */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { repos } from '@/db/repos'
import { stepContent } from '@/domain/certification-record'
import type { CertificationStep } from '@/domain/certification-steps'
import type { Grade } from '@/domain/types'
import { useRankingsStore } from './rankings'
import { useSettingsStore } from './settings'
import { useSyncStore } from './sync'

export const useCertificationStore = defineStore('certification', () => {
  const settings = useSettingsStore()
  const sync = useSyncStore()
  /**
   * Who acts: connected, the account (the server records its name); otherwise the evaluator
   * name from settings (the same name new evaluations are signed with).
   */
  const actor = computed(() => sync.user?.displayName ?? settings.evaluatorName.trim())

  /**
   * Connected, the server records the decision (under its lock, with its quota check) and the
   * pull that follows brings it into the log; unconnected, it is written on this device.
   */
  async function onServer(
    call: (a: NonNullable<Awaited<ReturnType<typeof sync.serverApi>>>) => Promise<unknown>,
  ): Promise<boolean> {
    const a = await sync.serverApi()
    if (!a) return false
    await call(a)
    await sync.syncNow()
    return true
  }
  const busy = ref(false)
  const error = ref<string | null>(null)

  function setActor(name: string): void {
    settings.evaluatorName = name.trim()
  }

  async function run(fn: () => Promise<unknown>): Promise<boolean> {
    const rankings = useRankingsStore()
    if (!actor.value) {
      error.value = 'no-actor'
      return false
    }
    busy.value = true
    error.value = null
    try {
      await fn()
      await rankings.reloadLog()
      return true
    } catch (e) {
      error.value = e instanceof Error ? e.message : String(e)
      return false
    } finally {
      busy.value = false
    }
  }

  /**
   * Records a level's step, frozen with what it certifies at this moment (the counts and each
   * store's grade, score and evaluation; domain/certification-record.ts). Connected, the server
   * freezes it from its own data.
   */
  function recordStep(step: CertificationStep, unit: string): Promise<boolean> {
    const rankings = useRankingsStore()
    return run(async () => {
      if (await onServer((a) => a.certifyStep({ period: rankings.period as string, step, unit })))
        return
      const content = stepContent(step, unit, rankings.stores, rankings.results, rankings.proposal)
      await repos().certification.add({
        kind: 'step',
        period: rankings.period as string,
        unit,
        step,
        actor: actor.value,
        payload: content,
      })
    })
  }

  /** `grade: null` withdraws the store's override. A reason is required either way. */
  function recordOverride(
    storeCode: string,
    unit: string,
    grade: Grade | null,
    reason: string,
  ): Promise<boolean> {
    const rankings = useRankingsStore()
    if (!reason.trim()) {
      error.value = 'no-reason'
      return Promise.resolve(false)
    }
    const period = rankings.period as string
    return run(async () => {
      if (
        await onServer((a) =>
          a.certifyOverride({ period, storeCode, grade, reason: reason.trim() }),
        )
      )
        return
      await repos().certification.add({
        kind: 'override',
        period,
        unit,
        step: 'override',
        actor: actor.value,
        storeCode,
        payload: { grade, reason: reason.trim() },
      })
    })
  }

  /** Sends the store's counting evaluation back for re-inspection; the store becomes pending. */
  async function sendBack(
    evaluationId: string,
    unit: string,
    step: string,
    reason: string,
  ): Promise<boolean> {
    const rankings = useRankingsStore()
    if (!reason.trim()) {
      error.value = 'no-reason'
      return false
    }
    const ok = await run(async () => {
      if (await onServer((a) => a.certifySendback({ evaluationId, reason: reason.trim() }))) return
      await repos().evaluations.sendBack(evaluationId, reason.trim(), {
        actor: actor.value,
        unit,
        step,
      })
    })
    if (ok) await rankings.load(rankings.period ?? undefined)
    return ok
  }

  return { actor, busy, error, setActor, recordStep, recordOverride, sendBack }
})

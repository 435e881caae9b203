/**
 * What the certification screen shows for the chosen unit: quota rows, the steps with their
 * record, and each graded store's proposal with its stage and standing. The rules are the
 * engine's (certification.ts, certification-steps.ts); this only selects and joins.
 */
import { computed } from 'vue'
import { GRADE_ORDER } from '@/domain/grade'
import {
  standings,
  stageOf,
  stepBlockers,
  stepDone,
  type CertificationStep,
  type Stage,
  type Standing,
} from '@/domain/certification-steps'
import type { CertificationOutcome } from '@/domain/certification'
import type { CertificationEntry } from '@/domain/records'
import { inUnit } from '@/domain/ranking-table'
import type { Store } from '@/domain/types'
import { useRankingsStore } from '@/stores/rankings'
import { useSyncStore } from '@/stores/sync'

export interface StepRow {
  step: CertificationStep
  unit: string
  label: string
  done?: CertificationEntry
  blockers: string[]
  summary: Record<string, number>
  /** Connected: the account certifies in this unit (else the step is shown, not offered). */
  allowed: boolean
}

export interface CandidateRow {
  store: Store
  outcome: CertificationOutcome
  stage: Stage
  standing?: Standing
  evaluationId?: string
  /** False when connected and the account does not certify this store's unit (no actions). */
  mayAct?: boolean
}

export function useCertification() {
  const store = useRankingsStore()
  const sync = useSyncStore()
  const storeBy = computed(() => new Map(store.stores.map((s) => [s.code, s])))
  const provincesInUnit = computed(() =>
    store.unit.scope === 'group' ? store.provinces : [store.unit.province],
  )

  const quotaRows = computed(() =>
    store.proposal.units.filter(
      (u) =>
        u.key === 'group' ||
        provincesInUnit.value.some((p) => u.key === p || u.key.startsWith(`${p}/`)),
    ),
  )

  function summary(step: CertificationStep, unit: string): Record<string, number> {
    const counts: Record<string, number> = {}
    for (const o of store.proposal.outcomes) {
      const s = storeBy.value.get(o.storeCode)
      if (!s || !o.graded || o.certifiedGrade === null) continue
      const key = step === 'city-certify' ? `${s.province}/${s.city}` : s.province
      if (key !== unit) continue
      const g =
        step === 'city-certify'
          ? o.qualifiedGrade === 'excellent' || o.qualifiedGrade === 'good'
            ? 'nominated'
            : o.certifiedGrade
          : o.certifiedGrade
      counts[g] = (counts[g] ?? 0) + 1
    }
    return counts
  }

  const stepRows = computed<StepRow[]>(() => {
    const u = store.unit
    const rows: StepRow[] = []
    const add = (step: CertificationStep, unit: string, label: string, province: string) =>
      rows.push({
        step,
        unit,
        label,
        done: stepDone(store.log, step, unit),
        blockers: stepBlockers(store.log, step, province, store.stores),
        summary: summary(step, unit),
        allowed: sync.certifiesStep(step, unit),
      })
    for (const p of provincesInUnit.value) {
      if (u.scope !== 'group') {
        const cities = u.scope === 'city' ? [u.city] : store.citiesOf(p)
        for (const c of cities) add('city-certify', `${p}/${c}`, c, p)
        add('province-certify', p, p, p)
      }
      add('group-certify', p, p, p)
    }
    return rows
  })

  const standingBy = computed(() => standings(store.results, store.proposal, store.policy))
  const candidates = computed<CandidateRow[]>(() => {
    const out: CandidateRow[] = []
    const evalBy = new Map(store.results.map((r) => [r.storeCode, r.evaluationId]))
    for (const o of store.proposal.outcomes) {
      const s = storeBy.value.get(o.storeCode)
      if (!s || !o.graded || !inUnit(s, store.unit)) continue
      const row: CandidateRow = {
        store: s,
        outcome: o,
        stage: stageOf(o, s, store.log),
        mayAct: sync.certifiesStore(s),
      }
      const st = standingBy.value.get(o.storeCode)
      if (st) row.standing = st
      const ev = evalBy.get(o.storeCode)
      if (ev !== undefined) row.evaluationId = ev
      out.push(row)
    }
    const gi = (o: CertificationOutcome) => GRADE_ORDER.indexOf(o.qualifiedGrade ?? 'fail')
    return out.sort(
      (a, b) =>
        gi(a.outcome) - gi(b.outcome) ||
        (a.standing?.position ?? 0) - (b.standing?.position ?? 0) ||
        (b.outcome.final ?? 0) - (a.outcome.final ?? 0),
    )
  })

  return { quotaRows, stepRows, candidates }
}

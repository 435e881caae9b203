/**
 * What the certification screen shows for the chosen unit: quota rows, the steps with their
 * record, and each graded store's proposal with its stage and standing. The rules are the
 * engine's (certification.ts, certification-steps.ts); this only selects and joins.
 */
import { computed } from 'vue'
import { GRADE_ORDER } from '@/domain/grade'
import {
  standings,
  stepBlockers,
  type CertificationStep,
  type Standing,
} from '@/domain/certification-steps'
import {
  recordStage,
  stepContent,
  stepKey,
  type RecordStage,
  type StepContent,
  type StepStatus,
} from '@/domain/certification-record'
import type { OverrideRecord } from '@/domain/certification-steps'
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
  /** The recorded step is superseded by a later change under it (its stores, when so). */
  superseded: boolean
  changed: string[]
  blockers: string[]
  /** What the step would certify now (frozen into the step when it is recorded). */
  content: StepContent
  /** Connected: the account certifies in this unit (else the step is shown, not offered). */
  allowed: boolean
}

export interface CandidateRow {
  store: Store
  outcome: CertificationOutcome
  stage: RecordStage
  standing?: Standing
  /** The override in force, with who recorded it and when. */
  override?: OverrideRecord
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

  const statuses = computed<ReadonlyMap<string, StepStatus>>(() => store.ranked.steps)
  const settled = (step: CertificationStep, unit: string) =>
    statuses.value.get(stepKey(step, unit))?.state === 'current'

  const stepRows = computed<StepRow[]>(() => {
    const u = store.unit
    const rows: StepRow[] = []
    const add = (step: CertificationStep, unit: string, label: string, province: string) => {
      const status = statuses.value.get(stepKey(step, unit))
      const row: StepRow = {
        step,
        unit,
        label,
        superseded: status?.state === 'superseded',
        changed: status?.changed ?? [],
        blockers: stepBlockers(store.log, step, province, store.stores, settled),
        content: stepContent(step, unit, store.stores, store.results, store.proposal),
        allowed: sync.certifiesStep(step, unit),
      }
      if (status) row.done = status.entry
      rows.push(row)
    }
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
    const overrideBy = new Map(store.overrides.map((o) => [o.storeCode, o]))
    for (const o of store.proposal.outcomes) {
      const s = storeBy.value.get(o.storeCode)
      if (!s || !o.graded || !inUnit(s, store.unit)) continue
      const row: CandidateRow = {
        store: s,
        outcome: o,
        stage: recordStage(o, s, statuses.value),
        mayAct: sync.certifiesStore(s),
      }
      const ov = o.override ? overrideBy.get(o.storeCode) : undefined
      if (ov) row.override = ov
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

/**
 * Certification as a record (issue 17.4): a step freezes what it certified — the counts per
 * grade and each store with its grade, score and counting evaluation — and a later change under
 * it (a new or revised evaluation, an override, a send-back, an import) makes the step
 * superseded: it no longer settles anything until it is taken again.
 *
 * Pure: the frozen content is computed from the register, the results and the proposal the
 * caller holds (the app from its database, the server from its own records), and compared with
 * what the same computation gives now.
 */
import type { CertificationOutcome, CertificationProposal } from './certification'
import { CERTIFICATION_STEPS, stepUnit, type CertificationStep } from './certification-steps'
import type { CertificationEntry } from './records'
import type { StoreResult } from './store-result'
import type { Centi, Grade, Store } from './types'

/** The grade a step settles for a store: a city step only nominates good and above. */
export type FrozenGrade = Grade | 'nominated'

export interface FrozenStore {
  code: string
  grade: FrozenGrade
  /** The counting score (Centi) and evaluation when the step was taken. */
  final: Centi | null
  evaluationId: string | null
  /** The grade came from an override. */
  override: boolean
}

/** What a step certified, stored in the step's payload. */
export interface StepContent {
  counts: Partial<Record<FrozenGrade, number>>
  /** Sorted by code. */
  stores: FrozenStore[]
}

export type StepState = 'current' | 'superseded'

export interface StepStatus {
  entry: CertificationEntry
  state: StepState
  /** Store codes whose frozen line differs from today's (added, removed or changed), sorted. */
  changed: string[]
}

function frozenGrade(step: CertificationStep, o: CertificationOutcome): FrozenGrade {
  const g = o.certifiedGrade as Grade
  if (step !== 'city-certify' || o.certifiedBy === 'override') return g
  return o.qualifiedGrade === 'excellent' || o.qualifiedGrade === 'good' ? 'nominated' : g
}

/** What the step for `unit` certifies now: every graded store of the unit with its grade. */
export function stepContent(
  step: CertificationStep,
  unit: string,
  register: readonly Store[],
  results: readonly StoreResult[],
  proposal: CertificationProposal,
): StepContent {
  const key = stepKey(step, unit)
  return contentsOf(new Set([key]), register, results, proposal).get(key)!
}

/** The contents of several steps in one pass over the outcomes (keys `step|unit`). */
function contentsOf(
  keys: ReadonlySet<string>,
  register: readonly Store[],
  results: readonly StoreResult[],
  proposal: CertificationProposal,
): Map<string, StepContent> {
  const out = new Map<string, StepContent>()
  for (const k of keys) out.set(k, { counts: {}, stores: [] })
  const storeBy = new Map(register.map((s) => [s.code, s]))
  const evalBy = new Map(results.map((r) => [r.storeCode, r.evaluationId ?? null]))
  for (const o of proposal.outcomes) {
    if (!o.graded || o.certifiedGrade === null) continue
    const s = storeBy.get(o.storeCode)
    if (!s) continue
    for (const step of CERTIFICATION_STEPS) {
      const c = out.get(stepKey(step, stepUnit(step, s)))
      if (!c) continue
      const grade = frozenGrade(step, o)
      c.counts[grade] = (c.counts[grade] ?? 0) + 1
      c.stores.push({
        code: s.code,
        grade,
        final: o.final ?? null,
        evaluationId: evalBy.get(s.code) ?? null,
        override: o.certifiedBy === 'override',
      })
    }
  }
  for (const c of out.values())
    c.stores.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
  return out
}

/** The frozen content of a step entry, or null for an entry recorded before steps froze. */
export function frozenContent(entry: CertificationEntry): StepContent | null {
  const p = entry.payload as { counts?: unknown; stores?: unknown } | null
  if (!p || typeof p !== 'object' || !Array.isArray(p.stores) || typeof p.counts !== 'object')
    return null
  return p as StepContent
}

const sameLine = (a: FrozenStore, b: FrozenStore): boolean =>
  a.grade === b.grade &&
  a.final === b.final &&
  a.evaluationId === b.evaluationId &&
  a.override === b.override

/** The store codes whose line differs between two contents (sorted). */
export function contentChanges(frozen: StepContent, now: StepContent): string[] {
  const before = new Map(frozen.stores.map((s) => [s.code, s]))
  const changed = new Set<string>()
  for (const s of now.stores) {
    const b = before.get(s.code)
    if (!b || !sameLine(b, s)) changed.add(s.code)
    before.delete(s.code)
  }
  for (const code of before.keys()) changed.add(code)
  return [...changed].sort()
}

/**
 * The state of each step's latest entry, keyed `step|unit`. An entry recorded before steps froze
 * their content cannot be compared and stays current (the old behaviour).
 */
export function stepStatuses(
  log: readonly CertificationEntry[],
  register: readonly Store[],
  results: readonly StoreResult[],
  proposal: CertificationProposal,
): Map<string, StepStatus> {
  const latest = new Map<string, CertificationEntry>()
  for (const e of log) {
    if (e.kind !== 'step' || !(CERTIFICATION_STEPS as readonly string[]).includes(e.step)) continue
    latest.set(stepKey(e.step as CertificationStep, e.unit), e)
  }
  const wanted = new Set([...latest].filter(([, e]) => frozenContent(e) !== null).map(([k]) => k))
  const now = wanted.size > 0 ? contentsOf(wanted, register, results, proposal) : new Map()
  const out = new Map<string, StepStatus>()
  for (const [key, entry] of latest) {
    const frozen = frozenContent(entry)
    const current = now.get(key)
    const changed = frozen === null || !current ? [] : contentChanges(frozen, current)
    out.set(key, { entry, state: changed.length > 0 ? 'superseded' : 'current', changed })
  }
  return out
}

export const stepKey = (step: CertificationStep, unit: string): string => `${step}|${unit}`

export type RecordStage = 'certified' | 'proposed' | 'superseded' | 'ungraded'

/**
 * Whether a store's grade is settled: by an override, or by the step of the level that certifies
 * it while that step is current. Until the step is taken the grade is a proposal (拟认定); once
 * a change under it supersedes the step, the grade is `superseded` until the step is taken again.
 */
export function recordStage(
  outcome: CertificationOutcome,
  store: Pick<Store, 'province' | 'city'>,
  statuses: ReadonlyMap<string, StepStatus>,
): RecordStage {
  if (!outcome.graded || outcome.certifiedBy === null || outcome.certifiedGrade === null)
    return 'ungraded'
  if (outcome.certifiedBy === 'override') return 'certified'
  // No step recorded (a CLI run, a fresh period): every grade is a proposal; no key to build.
  if (statuses.size === 0) return 'proposed'
  const step: CertificationStep =
    outcome.certifiedBy === 'city'
      ? 'city-certify'
      : outcome.certifiedBy === 'province'
        ? 'province-certify'
        : 'group-certify'
  const status = statuses.get(stepKey(step, stepUnit(step, store)))
  if (!status) return 'proposed'
  return status.state === 'current' ? 'certified' : 'superseded'
}

/** Whether a step may be recorded (again): never taken, or superseded by a later change. */
export function stepOpen(
  statuses: ReadonlyMap<string, StepStatus>,
  step: CertificationStep,
  unit: string,
): boolean {
  const s = statuses.get(stepKey(step, unit))
  return s === undefined || s.state === 'superseded'
}

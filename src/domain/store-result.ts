/**
 * Which evaluation counts for a store in a period. The seeds' chain (002:L146–150) has the city
 * company assess and the province and Group confirm, so the most senior reviewer's latest
 * submitted evaluation counts; a store's own self-assessment alone is capped (at pass by default)
 * because nobody has checked it.
 *
 * Input is plain data (`EvaluationRecord`), so the app, exports and a CSV-driven CLI can all call
 * this without the rubric or the answers.
 */
import { capGrade, gradeOf } from './grade'
import { note, type Note } from './notes'
import { scoreCapCenti, type Policy } from './policy'
import type { EvaluationScore } from './scoring'
import type { Centi, Grade, Period, Reviewer, Store } from './types'

/** One submitted, scored evaluation, reduced to what results, rankings and quotas need. */
export interface EvaluationRecord {
  id?: string
  storeCode: string
  period?: Period
  reviewer: Reviewer
  /** ISO 8601; the latest submission of the most senior reviewer counts. */
  submittedAt: string
  final: Centi
  /** Defaults to `final` when absent (e.g. a CSV with only the total). */
  base?: Centi
  bonus?: Centi
  deductions?: Centi
  /** Triggered red-line item ids: any forces grade fail. */
  redLines?: string[]
}

export type UngradedReason = 'no-evaluation' | 'level-not-graded' | 'type-not-graded'

export interface StoreResult {
  storeCode: string
  graded: boolean
  ungradedReason?: UngradedReason
  /** The evaluation that counts (present whenever one exists, even for ungraded stores). */
  evaluationId?: string
  reviewer?: Reviewer
  submittedAt?: string
  final?: Centi
  base?: Centi
  bonus?: Centi
  deductions?: Centi
  /** Grade of the score alone. */
  scoreGrade?: Grade
  /** Grade after red lines and the self-only cap; what certification starts from. */
  grade?: Grade
  redLines: string[]
  notes: Note[]
}

/** Builds a record from a computed score (the app stores answers, scores them, then calls this). */
export function recordFromScore(
  score: Pick<EvaluationScore, 'final' | 'base' | 'bonus' | 'deductions' | 'redLines'>,
  meta: {
    id?: string
    storeCode: string
    period?: Period
    reviewer: Reviewer
    submittedAt: string
  },
): EvaluationRecord {
  return {
    ...meta,
    final: score.final,
    base: score.base,
    bonus: score.bonus,
    deductions: score.deductions,
    redLines: [...score.redLines],
  }
}

/**
 * A record's final score under the policy's score cap. Records keep what was computed when they
 * were submitted (maybe under no cap, or with a bonus on a red line); this only ever lowers it:
 * to the cap, and, after a red line, to base − deductions (no bonus), when the parts are known.
 */
export function policyFinal(record: EvaluationRecord, policy: Policy): Centi {
  let final = record.final
  const cap = scoreCapCenti(policy)
  if (cap !== null) final = Math.min(final, cap)
  if ((record.redLines?.length ?? 0) > 0 && record.base !== undefined && (record.bonus ?? 0) > 0)
    final = Math.min(final, Math.max(0, record.base - (record.deductions ?? 0)))
  return final
}

/**
 * What a self-assessment counts for: the grade it can give the store at most until someone
 * inspects it (the policy's self-only cap), or null when the cap does not bite (not a
 * self-assessment, or its grade is already at or below the cap). A self-assessment of 100 still
 * shows 100; this says it counts as 达标 at most.
 */
export function selfOnlyCeiling(reviewer: Reviewer, grade: Grade, policy: Policy): Grade | null {
  if (reviewer !== 'self') return null
  const cap = policy.reviewers.selfOnlyCap
  return capGrade(grade, cap) === grade ? null : cap
}

function time(iso: string): number {
  const t = Date.parse(iso)
  return Number.isNaN(t) ? -Infinity : t
}

/** The evaluation that counts, or undefined. Ties in time fall to the larger id, then input order. */
export function countingEvaluation(
  records: readonly EvaluationRecord[],
  policy: Policy,
): EvaluationRecord | undefined {
  for (const reviewer of policy.reviewers.precedence) {
    let best: EvaluationRecord | undefined
    for (const r of records) {
      if (r.reviewer !== reviewer) continue
      if (!best) {
        best = r
        continue
      }
      const dt = time(r.submittedAt) - time(best.submittedAt)
      if (dt > 0 || (dt === 0 && (r.id ?? '') > (best.id ?? ''))) best = r
    }
    if (best) return best
  }
  return undefined
}

export function isGradedStore(store: Store, policy: Policy): boolean {
  return policy.graded.levels.includes(store.level) && policy.graded.types.includes(store.type)
}

/** The result of one store from its evaluations (already filtered to the period). */
export function storeResult(
  store: Store,
  records: readonly EvaluationRecord[],
  policy: Policy,
): StoreResult {
  const notes: Note[] = []
  // storeResults hands each store its own records already; a direct caller may not.
  const own = records.every((r) => r.storeCode === store.code)
    ? records
    : records.filter((r) => r.storeCode === store.code)
  const counting = countingEvaluation(own, policy)
  const result: StoreResult = { storeCode: store.code, graded: false, redLines: [], notes }

  if (counting) {
    const final = policyFinal(counting, policy)
    const scoreGrade = gradeOf(final, policy)
    const redLines = counting.redLines ?? []
    let grade: Grade = scoreGrade
    if (redLines.length > 0) {
      grade = 'fail'
      notes.push(
        note('red-line', `red line failed: ${redLines.join(', ')}`, { items: redLines.join(', ') }),
      )
    }
    if (counting.reviewer === 'self') {
      const capped = capGrade(grade, policy.reviewers.selfOnlyCap)
      if (capped !== grade) {
        notes.push(
          note('self-only', `self-assessment only: ${grade} capped at ${capped}`, {
            from: grade,
            to: capped,
          }),
        )
      }
      grade = capped
    }
    // Plain assignments in one fixed order, and no `delete` afterwards: a deleted property turns
    // the object into a slow dictionary that every later stage reads.
    if (counting.id !== undefined) result.evaluationId = counting.id
    result.reviewer = counting.reviewer
    result.submittedAt = counting.submittedAt
    result.final = final
    result.base = counting.base ?? final
    result.bonus = counting.bonus ?? 0
    result.deductions = counting.deductions ?? 0
    result.scoreGrade = scoreGrade
    if (isGradedStore(store, policy)) result.grade = grade
    result.redLines = [...redLines]
  }

  if (!policy.graded.levels.includes(store.level)) {
    result.ungradedReason = 'level-not-graded'
    notes.push(
      note('ungraded-level', `level ${store.level} stores are not graded`, { level: store.level }),
    )
  } else if (!policy.graded.types.includes(store.type)) {
    result.ungradedReason = 'type-not-graded'
    notes.push(note('ungraded-type', `${store.type} stores are not graded`, { type: store.type }))
  } else if (!counting) {
    result.ungradedReason = 'no-evaluation'
    notes.push(note('no-evaluation', 'no submitted evaluation in the period'))
  } else {
    result.graded = true
  }
  return result
}

/**
 * Results for every store in the register, in register order. `period`, when given, keeps only
 * records of that period (records without a period are kept: the caller already filtered them).
 */
export function storeResults(
  stores: readonly Store[],
  records: readonly EvaluationRecord[],
  policy: Policy,
  period?: Period,
): StoreResult[] {
  const byStore = new Map<string, EvaluationRecord[]>()
  for (const r of records) {
    if (period !== undefined && r.period !== undefined && r.period !== period) continue
    let list = byStore.get(r.storeCode)
    if (!list) byStore.set(r.storeCode, (list = []))
    list.push(r)
  }
  return stores.map((s) => storeResult(s, byStore.get(s.code) ?? [], policy))
}

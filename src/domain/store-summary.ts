/**
 * A store's results against its city: which evaluation counts (latest period, most senior
 * reviewer, as store-result.ts decides) and each section's score as a share of the section's
 * full marks, next to the city's average share. Shares rather than points because a section's
 * weight is re-spread when another section is all N/A, so raw points do not compare.
 */
import type { Policy } from './policy'
import type { EvaluationScore, SectionScore } from './scoring'
import {
  countingEvaluation,
  isGradedStore,
  recordFromScore,
  storeResult,
  type EvaluationRecord,
} from './store-result'
import type { Centi, Grade, Period, Reviewer, Store } from './types'

/** The part of a section score its share is computed from. */
export type SectionBrief = Pick<
  SectionScore,
  'sectionId' | 'score' | 'effectiveWeight' | 'applicable'
>

/**
 * Section briefs as the data layer stores them in bulk (the results table): parallel arrays
 * rather than one object per section, because deserialising nine small objects per row was
 * most of the time the rankings screen spent reading 20,000 rows from IndexedDB.
 * `scores[i]` is null when the section is not applicable (its score and weight are then 0).
 */
export interface CompactSections {
  ids: string[]
  scores: (Centi | null)[]
  weights: Centi[]
}

export function compactSections(sections: readonly SectionBrief[]): CompactSections {
  return {
    ids: sections.map((s) => s.sectionId),
    scores: sections.map((s) => (s.applicable ? s.score : null)),
    weights: sections.map((s) => s.effectiveWeight),
  }
}

/** The inverse of compactSections. */
export function sectionBriefs(c: CompactSections): SectionBrief[] {
  return c.ids.map((sectionId, i) => {
    const score = c.scores[i] ?? null
    return {
      sectionId,
      score: score ?? 0,
      effectiveWeight: c.weights[i] ?? 0,
      applicable: score !== null,
    }
  })
}

/**
 * The part of a stored score this needs: a full EvaluationScore, or the compact summary the
 * data layer keeps for reading many stores at once.
 */
export type ScoreSummary = Pick<
  EvaluationScore,
  'rubricId' | 'final' | 'base' | 'bonus' | 'deductions' | 'redLines'
> & { sections: SectionBrief[] }

/** The fields of a stored evaluation this needs (the db row has more). */
export interface ScoredEvaluation {
  id: string
  storeCode: string
  period: Period
  reviewer: Reviewer
  status: string
  submittedAt: string | null
  result: ScoreSummary | null
}

type Scored<E extends ScoredEvaluation> = E & { submittedAt: string; result: ScoreSummary }

function submittedWithScore<E extends ScoredEvaluation>(e: E): e is Scored<E> {
  return e.status === 'submitted' && e.submittedAt !== null && e.result !== null
}

/** The counting evaluation of one store in `period`, or in its latest period with a scored submission. */
export function countingOf<E extends ScoredEvaluation>(
  evaluations: readonly E[],
  policy: Policy,
  period?: Period,
): E | undefined {
  const scored = evaluations.filter((e): e is Scored<E> => submittedWithScore(e))
  const latest =
    period ??
    scored.reduce<Period | undefined>(
      (p, e) => (p === undefined || e.period > p ? e.period : p),
      undefined,
    )
  const inPeriod = scored.filter((e) => e.period === latest)
  const records: EvaluationRecord[] = inPeriod.map((e) => ({
    id: e.id,
    storeCode: e.storeCode,
    reviewer: e.reviewer,
    submittedAt: e.submittedAt,
    final: e.result.final,
  }))
  const winner = countingEvaluation(records, policy)
  return winner ? inPeriod.find((e) => e.id === winner.id) : undefined
}

/** Section score in hundredths of a percent of its effective weight; null if not applicable. */
export function sectionShare(s: SectionBrief): number | null {
  if (!s.applicable || s.effectiveWeight <= 0) return null
  return Math.round((s.score * 10000) / s.effectiveWeight)
}

export interface SectionComparison {
  sectionId: string
  /** Hundredths of a percent (9550 = 95.5 %); null when N/A for this store. */
  store: number | null
  /** Mean over the city's stores whose counting evaluation used the same rubric; null if none. */
  city: number | null
  /** How many stores the city average is over. */
  cityCount: number
}

/**
 * `cityResults`: the counting result of every store in the city (the store itself included,
 * as a city average normally is). Only results of the same rubric id are averaged: another
 * rubric's sections are not the same sections.
 */
export function compareSections(
  own: ScoreSummary,
  cityResults: readonly ScoreSummary[],
): SectionComparison[] {
  const peers = cityResults.filter((r) => r.rubricId === own.rubricId)
  return own.sections.map((section) => {
    const shares = peers
      .map((r) => r.sections.find((s) => s.sectionId === section.sectionId))
      .map((s) => (s ? sectionShare(s) : null))
      .filter((x): x is number => x !== null)
    const city = shares.length
      ? Math.round(shares.reduce((a, b) => a + b, 0) / shares.length)
      : null
    return {
      sectionId: section.sectionId,
      store: sectionShare(section),
      city,
      cityCount: shares.length,
    }
  })
}

/**
 * The grade shown next to a store in the register: the result of its latest period with a
 * scored submission (red lines and the self-only cap applied), 'ungraded' for stores the policy
 * does not grade, undefined when there is nothing to show yet.
 */
export function lastGrade(
  store: Store,
  evaluations: readonly ScoredEvaluation[],
  policy: Policy,
): Grade | 'ungraded' | undefined {
  if (!isGradedStore(store, policy)) return 'ungraded'
  const counting = countingOf(evaluations, policy)
  if (!counting) return undefined
  const inPeriod = evaluations
    .filter((e): e is Scored<ScoredEvaluation> => submittedWithScore(e))
    .filter((e) => e.period === counting.period)
  const records = inPeriod.map((e) =>
    recordFromScore(e.result, {
      id: e.id,
      storeCode: e.storeCode,
      reviewer: e.reviewer,
      submittedAt: e.submittedAt,
    }),
  )
  return storeResult(store, records, policy).grade
}

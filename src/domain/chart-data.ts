/**
 * The numbers behind the charts screen, as plain tables: every chart also has a table view,
 * and both read the same data. Points stay Centi here; the UI formats them.
 */
import { GRADE_ORDER } from './grade'
import type { Policy } from './policy'
import { countingEvaluation, type EvaluationRecord } from './store-result'
import type { Centi, Grade, Period, Store } from './types'

export interface GradeCountRow {
  /** `province/city` (or a province name when grouping by province). */
  key: string
  label: string
  counts: Record<Grade, number>
  total: number
}

/** Certified grades counted per unit, units in the given order of first appearance. */
export function gradeDistribution(
  rows: readonly {
    province: string
    city: string
    certifiedGrade: Grade | null
    graded: boolean
  }[],
  by: 'city' | 'province',
): GradeCountRow[] {
  const out = new Map<string, GradeCountRow>()
  for (const r of rows) {
    if (!r.graded || r.certifiedGrade === null) continue
    const key = by === 'city' ? `${r.province}/${r.city}` : r.province
    let row = out.get(key)
    if (!row)
      out.set(
        key,
        (row = {
          key,
          label: by === 'city' ? r.city : r.province,
          counts: { excellent: 0, good: 0, pass: 0, fail: 0 },
          total: 0,
        }),
      )
    row.counts[r.certifiedGrade] += 1
    row.total += 1
  }
  return [...out.values()]
}

export interface HistogramBin {
  /** Inclusive lower bound, Centi. */
  from: Centi
  /** Exclusive upper bound, Centi (the last bin includes its upper bound). */
  to: Centi
  count: number
}

/**
 * Scores in bins of `width` points from `min` up to the highest score (at least 100), so the
 * 80 / 90 / 95 lines fall on bin edges with the default width of 1 point.
 */
export function histogram(
  scores: readonly Centi[],
  width: Centi = 100,
  min?: Centi,
): HistogramBin[] {
  if (scores.length === 0) return []
  let lo = min ?? Infinity
  let hi = 10000
  for (const s of scores) {
    if (min === undefined && s < lo) lo = s
    if (s > hi) hi = s
  }
  lo = Math.floor(lo / width) * width
  const n = Math.max(1, Math.ceil((hi - lo) / width))
  const bins: HistogramBin[] = Array.from({ length: n }, (_, i) => ({
    from: lo + i * width,
    to: lo + (i + 1) * width,
    count: 0,
  }))
  for (const s of scores) {
    if (s < lo) continue
    const i = Math.min(n - 1, Math.floor((s - lo) / width))
    bins[i]!.count += 1
  }
  return bins
}

export interface GapRow {
  key: string
  label: string
  /** Stores with both a self-assessment and an inspection in the period. */
  stores: number
  /** Mean of (self − inspection), Centi, rounded half away from zero; null without pairs. */
  meanGap: Centi | null
  /** Largest single-store gap, Centi. */
  maxGap: Centi | null
  /** Mean gap above the threshold: self-assessments in this city look inflated. */
  inflated: boolean
}

/**
 * Self-assessment minus inspection score per city. Per store: its latest self-assessment
 * against the inspection that counts (most senior reviewer, latest), so the gap measures what
 * the store claimed against what was found.
 */
export function selfInspectionGap(
  stores: readonly Store[],
  records: readonly EvaluationRecord[],
  policy: Policy,
  threshold: Centi = 500,
): GapRow[] {
  const inspectors = {
    ...policy,
    reviewers: {
      ...policy.reviewers,
      precedence: policy.reviewers.precedence.filter((r) => r !== 'self'),
    },
  }
  const selfOnly = { ...policy, reviewers: { ...policy.reviewers, precedence: ['self' as const] } }
  const byStore = new Map<string, EvaluationRecord[]>()
  for (const r of records) {
    let l = byStore.get(r.storeCode)
    if (!l) byStore.set(r.storeCode, (l = []))
    l.push(r)
  }
  const acc = new Map<string, { label: string; sum: number; n: number; max: number | null }>()
  for (const s of stores) {
    const key = `${s.province}/${s.city}`
    let a = acc.get(key)
    if (!a) acc.set(key, (a = { label: s.city, sum: 0, n: 0, max: null }))
    const list = byStore.get(s.code)
    if (!list) continue
    const self = countingEvaluation(list, selfOnly)
    const insp = countingEvaluation(list, inspectors)
    if (!self || !insp) continue
    const gap = self.final - insp.final
    a.sum += gap
    a.n += 1
    a.max = a.max === null ? gap : Math.max(a.max, gap)
  }
  return [...acc.entries()].map(([key, a]) => {
    const meanGap = a.n === 0 ? null : Math.sign(a.sum) * Math.round(Math.abs(a.sum) / a.n)
    return {
      key,
      label: a.label,
      stores: a.n,
      meanGap,
      maxGap: a.max,
      inflated: meanGap !== null && meanGap > threshold,
    }
  })
}

/** One section's share of its weight earned (0..1), from a stored evaluation result. */
export interface SectionShare {
  sectionId: string
  share: number
}

interface SectionLike {
  sectionId: string
  score: Centi
  effectiveWeight: Centi
  applicable: boolean
}

export function sectionShares(sections: readonly SectionLike[]): SectionShare[] {
  return sections
    .filter((s) => s.applicable && s.effectiveWeight > 0)
    .map((s) => ({ sectionId: s.sectionId, share: s.score / s.effectiveWeight }))
}

/** Mean share per section over many evaluations (sections missing from one are skipped there). */
export function meanSectionShares(list: readonly (readonly SectionLike[])[]): SectionShare[] {
  const acc = new Map<string, { sum: number; n: number }>()
  for (const sections of list) {
    for (const s of sectionShares(sections)) {
      const a = acc.get(s.sectionId) ?? { sum: 0, n: 0 }
      a.sum += s.share
      a.n += 1
      acc.set(s.sectionId, a)
    }
  }
  return [...acc.entries()].map(([sectionId, a]) => ({ sectionId, share: a.sum / a.n }))
}

export interface TrendPoint {
  period: Period
  /** Mean counting score of the stores, Centi; null when none has one in the period. */
  mean: Centi | null
  count: number
}

/** Mean counting score of `codes` per period, periods sorted as text (2026-Q3 < 2026-Q4). */
export function trend(
  codes: readonly string[],
  records: readonly EvaluationRecord[],
  policy: Policy,
): TrendPoint[] {
  const wanted = new Set(codes)
  const byPeriod = new Map<Period, Map<string, EvaluationRecord[]>>()
  for (const r of records) {
    if (!wanted.has(r.storeCode) || r.period === undefined) continue
    let p = byPeriod.get(r.period)
    if (!p) byPeriod.set(r.period, (p = new Map()))
    let l = p.get(r.storeCode)
    if (!l) p.set(r.storeCode, (l = []))
    l.push(r)
  }
  return [...byPeriod.keys()].sort().map((period) => {
    let sum = 0
    let n = 0
    for (const list of byPeriod.get(period)!.values()) {
      const c = countingEvaluation(list, policy)
      if (!c) continue
      sum += c.final
      n += 1
    }
    return { period, mean: n === 0 ? null : Math.round(sum / n), count: n }
  })
}

export { GRADE_ORDER }

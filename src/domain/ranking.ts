/**
 * Rankings: stores within a city, a province and the group; cities within their province and
 * provinces within the group (by mean score, with the count and share of each grade).
 *
 * Stores are ordered by grade first (优秀 > 良好 > 达标 > 不达标), then final score, then the
 * policy's tie-break keys, then store code, so the same data always gives the same order. The
 * grade is the certified grade when the caller passes `gradeFor` (the app, the exports and the
 * CLI all do), else the result grade, which already counts red lines (fail) and the self-only
 * cap (pass): a capped self-assessment ranks among the 达标 stores and a red-line store among the
 * failed ones, whatever their scores. Ranks use standard competition ranking (1, 2, 2, 4) over
 * grade + score + the configured keys only; with `code-asc` among them (the default) no two
 * stores tie and ranks run 1..n.
 */
import { GRADE_ORDER, gradeIndex } from './grade'
import type { Policy, TieBreak } from './policy'
import { roundHalfUp } from './points'
import type { StoreResult } from './store-result'
import type { Centi, Grade, Store } from './types'

export type RankScope = 'city' | 'province' | 'group'

/** A graded result with a score: the only kind that is ranked. */
export type RankableResult = StoreResult & { graded: true; final: Centi }

export function isRankable(r: StoreResult): r is RankableResult {
  return r.graded && r.final !== undefined
}

export interface RankedStore {
  storeCode: string
  rank: number
  final: Centi
  grade: Grade
}

export interface StoreRanking {
  scope: RankScope
  /** `广东` for a province, `广东/广州` for a city, `group` for the group. */
  key: string
  province?: string
  city?: string
  entries: RankedStore[]
}

export interface UnitStats {
  scope: 'city' | 'province'
  key: string
  province: string
  city?: string
  /** Competition rank by mean score within the parent unit; null when nothing is graded. */
  rank: number | null
  /** Graded stores with a score. */
  count: number
  /** Mean final score, half up to Centi; null when count is 0. */
  mean: Centi | null
  grades: Record<Grade, number>
  /** count of each grade / count (0 when count is 0). For display; not used in any rule. */
  shares: Record<Grade, number>
}

export interface Rankings {
  group: StoreRanking
  provinces: StoreRanking[]
  cities: StoreRanking[]
  provinceStats: UnitStats[]
  cityStats: UnitStats[]
}

/** Each store's rank within its unit, by store code (a store sits in one unit per scope). */
export function rankByStore(
  units: readonly { entries: readonly { storeCode: string; rank: number }[] }[],
): Map<string, number> {
  const m = new Map<string, number>()
  for (const u of units) for (const e of u.entries) m.set(e.storeCode, e.rank)
  return m
}

type Compare = (a: RankableResult, b: RankableResult) => number

/** The grade a result ranks by: the certified grade when known, else the result grade. */
export type GradeFor = (r: RankableResult) => Grade

/** The result grade (after red lines and the self-only cap). */
export const resultGrade: GradeFor = (r) => r.grade ?? 'fail'

const KEY_COMPARE: Record<TieBreak, Compare> = {
  'deductions-asc': (a, b) => (a.deductions ?? 0) - (b.deductions ?? 0),
  'base-desc': (a, b) => (b.base ?? b.final) - (a.base ?? a.final),
  'bonus-desc': (a, b) => (b.bonus ?? 0) - (a.bonus ?? 0),
  'code-asc': (a, b) => compareCodes(a.storeCode, b.storeCode),
}

/** Code-point order, not locale order: the result must not depend on the machine's locale. */
export function compareCodes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Grade (best first), then score desc, then the policy's keys: equal here means tied in rank. */
export function rankComparator(policy: Policy, gradeFor: GradeFor = resultGrade): Compare {
  const keys = policy.tieBreak.map((k) => KEY_COMPARE[k])
  return (a, b) => {
    const g = gradeIndex(gradeFor(a)) - gradeIndex(gradeFor(b))
    if (g !== 0) return g
    const d = b.final - a.final
    if (d !== 0) return d
    for (const k of keys) {
      const c = k(a, b)
      if (c !== 0) return c
    }
    return 0
  }
}

/** The full order: rank order, then store code so that even tied stores have a fixed place. */
export function orderComparator(policy: Policy, gradeFor: GradeFor = resultGrade): Compare {
  const rank = rankComparator(policy, gradeFor)
  return (a, b) => rank(a, b) || compareCodes(a.storeCode, b.storeCode)
}

/**
 * Sorts (a copy of) graded results into rank order. The grade of each result is looked up once,
 * not in every comparison (a certified-grade map lookup per comparison costs at 20,000 stores).
 */
export function sortResults(
  results: readonly StoreResult[],
  policy: Policy,
  gradeFor: GradeFor = resultGrade,
): RankableResult[] {
  // Decorated with its grade index: no map lookup, no grade call, per comparison.
  const rows: { r: RankableResult; g: number }[] = []
  for (const r of results) if (isRankable(r)) rows.push({ r, g: gradeIndex(gradeFor(r)) })
  const rest = orderComparator(policy, () => 'excellent')
  rows.sort((a, b) => a.g - b.g || rest(a.r, b.r))
  return rows.map((x) => x.r)
}

/** Ranks one unit's results. Ungraded results are left out. */
export function rankResults(
  results: readonly StoreResult[],
  policy: Policy,
  gradeFor: GradeFor = resultGrade,
): RankedStore[] {
  return rankSorted(sortResults(results, policy, gradeFor), policy, gradeFor)
}

/** Ranks results already in `orderComparator` order (linear: no sorting). */
function rankSorted(
  sorted: readonly RankableResult[],
  policy: Policy,
  gradeFor: GradeFor,
): RankedStore[] {
  const tied = rankComparator(policy, gradeFor)
  const out: RankedStore[] = []
  for (let i = 0; i < sorted.length; i++) {
    const r = sorted[i] as RankableResult
    const prev = sorted[i - 1]
    const rank = prev && tied(prev, r) === 0 ? (out[i - 1] as RankedStore).rank : i + 1
    out.push({ storeCode: r.storeCode, rank, final: r.final, grade: gradeFor(r) })
  }
  return out
}

/** Each store's unit key, computed once per call; units in register order with their first store. */
function indexUnits(
  stores: readonly Store[],
  scope: RankScope,
): { keyOf: Map<string, string>; first: Map<string, Store> } {
  const keyOf = new Map<string, string>()
  const first = new Map<string, Store>()
  for (const s of stores) {
    const key = unitKey(s, scope)
    keyOf.set(s.code, key)
    if (!first.has(key)) first.set(key, s)
  }
  return { keyOf, first }
}

export function unitKey(store: Store, scope: RankScope): string {
  if (scope === 'group') return 'group'
  if (scope === 'province') return store.province
  return `${store.province}/${store.city}`
}

/**
 * Store rankings per unit of `scope`, units in key order. Every unit of the register appears,
 * even with no graded store (empty entries). Results for codes missing from `stores` are ignored.
 */
export function rankStores(
  results: readonly StoreResult[],
  stores: readonly Store[],
  policy: Policy,
  scope: RankScope,
  gradeFor: GradeFor = resultGrade,
): StoreRanking[] {
  return rankStoresSorted(sortResults(results, policy, gradeFor), stores, policy, scope, gradeFor)
}

type UnitIndex = { keyOf: Map<string, string>; first: Map<string, Store> }

/** rankStores for results already sorted: splitting a sorted list keeps each unit sorted. */
function rankStoresSorted(
  sorted: readonly RankableResult[],
  stores: readonly Store[],
  policy: Policy,
  scope: RankScope,
  gradeFor: GradeFor,
  index: UnitIndex = indexUnits(stores, scope),
): StoreRanking[] {
  const { keyOf, first } = index
  const buckets = new Map<string, RankableResult[]>()
  for (const key of first.keys()) buckets.set(key, [])
  for (const r of sorted) {
    const key = keyOf.get(r.storeCode)
    if (key !== undefined) (buckets.get(key) as RankableResult[]).push(r)
  }
  return [...first.keys()].sort(compareCodes).map((key) => {
    const store = first.get(key) as Store
    const ranking: StoreRanking = {
      scope,
      key,
      entries: rankSorted(buckets.get(key) as RankableResult[], policy, gradeFor),
    }
    if (scope !== 'group') ranking.province = store.province
    if (scope === 'city') ranking.city = store.city
    return ranking
  })
}

function emptyGrades(): Record<Grade, number> {
  return { excellent: 0, good: 0, pass: 0, fail: 0 }
}

/**
 * Mean score and grade mix of each city (within its province) or each province (within the
 * group). `gradeFor` lets the caller count certified grades instead of result grades.
 */
export function rankUnits(
  results: readonly StoreResult[],
  stores: readonly Store[],
  scope: 'city' | 'province',
  gradeFor: GradeFor = resultGrade,
  index: UnitIndex = indexUnits(stores, scope),
): UnitStats[] {
  const stats = new Map<string, UnitStats & { sum: number }>()
  for (const [key, s] of index.first) {
    const u: UnitStats & { sum: number } = {
      scope,
      key,
      province: s.province,
      rank: null,
      count: 0,
      mean: null,
      grades: emptyGrades(),
      shares: emptyGrades(),
      sum: 0,
    }
    if (scope === 'city') u.city = s.city
    stats.set(key, u)
  }
  for (const r of results) {
    if (!isRankable(r)) continue
    const key = index.keyOf.get(r.storeCode)
    if (key === undefined) continue
    const u = stats.get(key) as UnitStats & { sum: number }
    u.count += 1
    u.sum += r.final
    u.grades[gradeFor(r)] += 1
  }
  const list = [...stats.values()].map(({ sum, ...u }) => {
    if (u.count > 0) {
      u.mean = roundHalfUp(sum, u.count)
      for (const g of GRADE_ORDER) u.shares[g] = u.grades[g] / u.count
    }
    return u
  })
  // Rank within the parent: cities within their province, provinces within the group.
  const parent = (u: UnitStats) => (scope === 'city' ? u.province : 'group')
  const byMean = (a: UnitStats, b: UnitStats) =>
    a.mean === null ? (b.mean === null ? 0 : 1) : b.mean === null ? -1 : b.mean - a.mean
  list.sort(
    (a, b) => compareCodes(parent(a), parent(b)) || byMean(a, b) || compareCodes(a.key, b.key),
  )
  let start = 0
  list.forEach((u, i) => {
    const prev = list[i - 1]
    if (!prev || parent(prev) !== parent(u)) start = i
    if (u.mean === null) return
    u.rank = prev && i > start && prev.mean === u.mean ? prev.rank : i - start + 1
  })
  return list
}

/**
 * Every ranking at once. `gradeFor` (the certified grade, from `proposeCertification`) orders
 * the stores and is what the unit statistics count; without it the result grade is used.
 */
export function rankAll(
  results: readonly StoreResult[],
  stores: readonly Store[],
  policy: Policy,
  gradeFor: GradeFor = resultGrade,
): Rankings {
  // Look each grade up once; one sort serves all three scopes (splitting keeps units sorted).
  const grades = new Map<string, Grade>()
  for (const r of results) if (isRankable(r)) grades.set(r.storeCode, gradeFor(r))
  const g: GradeFor = (r) => grades.get(r.storeCode) as Grade
  const sorted = sortResults(results, policy, g)
  // Each store's unit keys once for all five tables.
  const province = indexUnits(stores, 'province')
  const city = indexUnits(stores, 'city')
  return {
    group: rankStoresSorted(sorted, stores, policy, 'group', g)[0] ?? {
      scope: 'group',
      key: 'group',
      entries: [],
    },
    provinces: rankStoresSorted(sorted, stores, policy, 'province', g, province),
    cities: rankStoresSorted(sorted, stores, policy, 'city', g, city),
    provinceStats: rankUnits(results, stores, 'province', g, province),
    cityStats: rankUnits(results, stores, 'city', g, city),
  }
}

/**
 * Rankings: stores within a city, a province and the group; cities within their province and
 * provinces within the group (by mean score, with the count and share of each grade).
 *
 * Stores are ordered by final score, then the policy's tie-break keys, then store code, so the
 * same data always gives the same order. Ranks use standard competition ranking (1, 2, 2, 4)
 * over score + the configured keys only; with `code-asc` among them (the default) no two
 * stores tie and ranks run 1..n.
 */
import { GRADE_ORDER } from './grade'
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

/** Score desc, then the policy's keys: equal here means tied in rank. */
export function rankComparator(policy: Policy): Compare {
  const keys = policy.tieBreak.map((k) => KEY_COMPARE[k])
  return (a, b) => {
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
export function orderComparator(policy: Policy): Compare {
  const rank = rankComparator(policy)
  return (a, b) => rank(a, b) || compareCodes(a.storeCode, b.storeCode)
}

/** Sorts (a copy of) graded results into rank order. */
export function sortResults(results: readonly StoreResult[], policy: Policy): RankableResult[] {
  return results.filter(isRankable).sort(orderComparator(policy))
}

/** Ranks one unit's results. Ungraded results are left out. */
export function rankResults(results: readonly StoreResult[], policy: Policy): RankedStore[] {
  return rankSorted(sortResults(results, policy), policy)
}

/** Ranks results already in `orderComparator` order (linear: no sorting). */
function rankSorted(sorted: readonly RankableResult[], policy: Policy): RankedStore[] {
  const tied = rankComparator(policy)
  const out: RankedStore[] = []
  for (let i = 0; i < sorted.length; i++) {
    const r = sorted[i] as RankableResult
    const prev = sorted[i - 1]
    const rank = prev && tied(prev, r) === 0 ? (out[i - 1] as RankedStore).rank : i + 1
    out.push({ storeCode: r.storeCode, rank, final: r.final, grade: r.grade ?? 'fail' })
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
): StoreRanking[] {
  return rankStoresSorted(sortResults(results, policy), stores, policy, scope)
}

/** rankStores for results already sorted: splitting a sorted list keeps each unit sorted. */
function rankStoresSorted(
  sorted: readonly RankableResult[],
  stores: readonly Store[],
  policy: Policy,
  scope: RankScope,
): StoreRanking[] {
  const { keyOf, first } = indexUnits(stores, scope)
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
      entries: rankSorted(buckets.get(key) as RankableResult[], policy),
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
  gradeFor: (r: RankableResult) => Grade = (r) => r.grade ?? 'fail',
): UnitStats[] {
  const stats = new Map<string, UnitStats & { sum: number }>()
  const unitOf = new Map<string, UnitStats & { sum: number }>()
  for (const s of stores) {
    const key = unitKey(s, scope)
    let u = stats.get(key)
    if (!u) {
      u = {
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
    unitOf.set(s.code, u)
  }
  for (const r of results) {
    if (!isRankable(r)) continue
    const u = unitOf.get(r.storeCode)
    if (!u) continue
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

/** Every ranking at once. */
export function rankAll(
  results: readonly StoreResult[],
  stores: readonly Store[],
  policy: Policy,
  gradeFor?: (r: RankableResult) => Grade,
): Rankings {
  // One sort serves all three scopes: splitting a sorted list keeps each unit sorted.
  const sorted = sortResults(results, policy)
  return {
    group: rankStoresSorted(sorted, stores, policy, 'group')[0] ?? {
      scope: 'group',
      key: 'group',
      entries: [],
    },
    provinces: rankStoresSorted(sorted, stores, policy, 'province'),
    cities: rankStoresSorted(sorted, stores, policy, 'city'),
    provinceStats: rankUnits(results, stores, 'province', gradeFor),
    cityStats: rankUnits(results, stores, 'city', gradeFor),
  }
}

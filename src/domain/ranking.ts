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

/** A tie-break key as a number, smaller first (code-asc is compared as text, apart). */
const KEY_VALUE: Record<Exclude<TieBreak, 'code-asc'>, (r: RankableResult) => number> = {
  'deductions-asc': (r) => r.deductions ?? 0,
  'base-desc': (r) => -(r.base ?? r.final),
  'bonus-desc': (r) => -(r.bonus ?? 0),
}
/** The numeric keys compared one pair at a time (the comparators), from the one definition. */
function byValue(f: (r: RankableResult) => number): Compare {
  return (a, b) => f(a) - f(b)
}
const KEY_COMPARE: Record<TieBreak, Compare> = {
  'deductions-asc': byValue(KEY_VALUE['deductions-asc']),
  'base-desc': byValue(KEY_VALUE['base-desc']),
  'bonus-desc': byValue(KEY_VALUE['bonus-desc']),
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
 * The rankable results in score order: final score (desc), the policy's tie-break keys, then
 * store code; the order within one grade. Sorted once, over number columns computed once per
 * result (no key function per comparison); `gradeOrder` then puts any grade first without
 * sorting again, so certification (result grades) and rankings (certified grades) share it.
 */
export function scoreOrder(results: readonly StoreResult[], policy: Policy): RankableResult[] {
  const rs: RankableResult[] = []
  for (const r of results) if (isRankable(r)) rs.push(r)
  // One column per key: -final, then each numeric tie-break; NaN marks code-asc's place.
  const steps = policy.tieBreak.map((k) => (k === 'code-asc' ? null : KEY_VALUE[k]))
  const m = steps.length + 1
  const cols = new Float64Array(rs.length * m)
  for (let i = 0; i < rs.length; i++) {
    const r = rs[i] as RankableResult
    cols[i * m] = -r.final
    for (let j = 1; j < m; j++) {
      const f = steps[j - 1]
      cols[i * m + j] = f ? f(r) : NaN
    }
  }
  const idx = Array.from({ length: rs.length }, (_, i) => i)
  idx.sort((a, b) => {
    for (let j = 0; j < m; j++) {
      const x = cols[a * m + j] as number
      if (x !== x) {
        const c = compareCodes(
          (rs[a] as RankableResult).storeCode,
          (rs[b] as RankableResult).storeCode,
        )
        if (c !== 0) return c
        continue
      }
      const d = x - (cols[b * m + j] as number)
      if (d !== 0) return d
    }
    return compareCodes((rs[a] as RankableResult).storeCode, (rs[b] as RankableResult).storeCode)
  })
  return idx.map((i) => rs[i] as RankableResult)
}

/**
 * Results already in `scoreOrder`, best grade first (a stable split by grade index: linear);
 * `gradeOf` gives each result's grade index, or undefined to leave it out.
 */
export function gradeOrder<T extends RankableResult>(
  ordered: readonly T[],
  gradeOf: (r: T) => number | undefined,
): T[] {
  const buckets: T[][] = GRADE_ORDER.map(() => [])
  for (const r of ordered) {
    const g = gradeOf(r)
    if (g !== undefined) (buckets[g] as T[]).push(r)
  }
  return buckets.flat()
}

/**
 * Sorts (a copy of) graded results into rank order: one sort by score (`scoreOrder`), then the
 * stable split by grade. The grade of each result is looked up once, not in every comparison.
 */
export function sortResults(
  results: readonly StoreResult[],
  policy: Policy,
  gradeFor: GradeFor = resultGrade,
): RankableResult[] {
  return gradeOrder(scoreOrder(results, policy), (r) => gradeIndex(gradeFor(r)))
}

/** Ranks one unit's results. Ungraded results are left out. */
export function rankResults(
  results: readonly StoreResult[],
  policy: Policy,
  gradeFor: GradeFor = resultGrade,
): RankedStore[] {
  return rankSorted(graded(sortResults(results, policy, gradeFor), gradeFor), policy)
}

/** A result in rank order with its grade, looked up once. */
interface Graded {
  r: RankableResult
  grade: Grade
  g: number
  /** Unit numbers (see indexUnits): province, or the one scope ranked; city; -1 for none. */
  p: number
  c: number
}

function graded(sorted: readonly RankableResult[], gradeFor: GradeFor): Graded[] {
  return sorted.map((r) => {
    const grade = gradeFor(r)
    return { r, grade, g: gradeIndex(grade), p: -1, c: -1 }
  })
}

/** Whether two results of one grade tie in rank: same score and the same tie-break keys. */
function tieTest(policy: Policy): (a: RankableResult, b: RankableResult) => boolean {
  const keys = policy.tieBreak.map((k) => KEY_COMPARE[k])
  return (a, b) => {
    if (a.final !== b.final) return false
    for (const k of keys) if (k(a, b) !== 0) return false
    return true
  }
}

/** Ranks results already in `orderComparator` order (linear: no sorting). */
function rankSorted(sorted: readonly Graded[], policy: Policy): RankedStore[] {
  const tied = tieTest(policy)
  const out: RankedStore[] = []
  for (let i = 0; i < sorted.length; i++) {
    const { r, grade, g } = sorted[i] as Graded
    const prev = sorted[i - 1]
    const rank = prev && prev.g === g && tied(prev.r, r) ? (out[i - 1] as RankedStore).rank : i + 1
    out.push({ storeCode: r.storeCode, rank, final: r.final, grade })
  }
  return out
}

/**
 * Each store's unit as a number (units numbered in register order of their first store), so the
 * tables below bucket and count in arrays: no unit key looked up per store and table.
 */
function indexUnits(stores: readonly Store[], scope: RankScope): UnitIndex {
  const idOf = new Map<string, number>()
  const idByKey = new Map<string, number>()
  const keys: string[] = []
  const first: Store[] = []
  for (const s of stores) {
    const key = unitKey(s, scope)
    let id = idByKey.get(key)
    if (id === undefined) {
      id = keys.length
      idByKey.set(key, id)
      keys.push(key)
      first.push(s)
    }
    idOf.set(s.code, id)
  }
  return { idOf, keys, first }
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
  const index = indexUnits(stores, scope)
  const sorted = graded(sortResults(results, policy, gradeFor), gradeFor)
  for (const x of sorted) x.p = index.idOf.get(x.r.storeCode) ?? -1
  return rankStoresSorted(sorted, policy, scope, index, (x) => x.p)
}

/** Units by number: key and first store of unit i; each register code's unit. */
type UnitIndex = { idOf: Map<string, number>; keys: string[]; first: Store[] }

/** rankStores for results already sorted: splitting a sorted list keeps each unit sorted. */
function rankStoresSorted(
  sorted: readonly Graded[],
  policy: Policy,
  scope: RankScope,
  index: UnitIndex,
  unitOf: (x: Graded) => number,
): StoreRanking[] {
  const { keys, first } = index
  const buckets: Graded[][] = keys.map(() => [])
  for (const x of sorted) {
    const u = unitOf(x)
    if (u >= 0) (buckets[u] as Graded[]).push(x)
  }
  return keys
    .map((_, i) => i)
    .sort((a, b) => compareCodes(keys[a] as string, keys[b] as string))
    .map((i) => {
      const store = first[i] as Store
      const ranking: StoreRanking = {
        scope,
        key: keys[i] as string,
        entries: rankSorted(buckets[i] as Graded[], policy),
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
): UnitStats[] {
  const index = indexUnits(stores, scope)
  const rows: Graded[] = []
  for (const r of results)
    if (isRankable(r))
      rows.push({ r, grade: gradeFor(r), g: 0, p: index.idOf.get(r.storeCode) ?? -1, c: -1 })
  return unitStats(rows, scope, index, (x) => x.p)
}

/** rankUnits over results with their grades (any order: only counts and sums are taken). */
function unitStats(
  rows: readonly Graded[],
  scope: 'city' | 'province',
  index: UnitIndex,
  unitOf: (x: Graded) => number,
): UnitStats[] {
  const stats: (UnitStats & { sum: number })[] = []
  for (let i = 0; i < index.keys.length; i++) {
    const key = index.keys[i] as string
    const s = index.first[i] as Store
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
    stats.push(u)
  }
  for (const x of rows) {
    const i = unitOf(x)
    if (i < 0) continue
    const u = stats[i] as UnitStats & { sum: number }
    u.count += 1
    u.sum += x.r.final
    u.grades[x.grade] += 1
  }
  const list = stats.map(({ sum, ...u }) => {
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
 * `ordered`, when given, is `scoreOrder(results, policy)` already computed (the pipeline sorts
 * once for certification and rankings).
 */
export function rankAll(
  results: readonly StoreResult[],
  stores: readonly Store[],
  policy: Policy,
  gradeFor: GradeFor = resultGrade,
  ordered: readonly RankableResult[] = scoreOrder(results, policy),
): Rankings {
  // Each store's units once for all five tables, as numbers.
  const province = indexUnits(stores, 'province')
  const city = indexUnits(stores, 'city')
  // Each grade and unit looked up once; one order serves all five tables (splitting keeps units
  // sorted).
  const byGrade: Graded[][] = GRADE_ORDER.map(() => [])
  for (const r of ordered) {
    const grade = gradeFor(r)
    const g = gradeIndex(grade)
    const p = province.idOf.get(r.storeCode) ?? -1
    const c = city.idOf.get(r.storeCode) ?? -1
    ;(byGrade[g] as Graded[]).push({ r, grade, g, p, c })
  }
  const sorted = byGrade.flat()
  return {
    // The group holds every store of the register (the province index knows them all).
    group: {
      scope: 'group',
      key: 'group',
      entries:
        stores.length === 0
          ? []
          : rankSorted(
              sorted.filter((x) => x.p >= 0),
              policy,
            ),
    },
    provinces: rankStoresSorted(sorted, policy, 'province', province, (x) => x.p),
    cities: rankStoresSorted(sorted, policy, 'city', city, (x) => x.c),
    provinceStats: unitStats(sorted, 'province', province, (x) => x.p),
    cityStats: unitStats(sorted, 'city', city, (x) => x.c),
  }
}

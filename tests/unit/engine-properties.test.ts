/**
 * Property tests (fast-check) over random registers and evaluations: rankings are permutations
 * and deterministic under input shuffling, ordered by grade then score; certification never
 * exceeds a quota and (cascade by-score) never inverts scores among stores of equal standing.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { proposeCertification, type CertificationOutcome } from '../../src/domain/certification'
import { gradeIndex } from '../../src/domain/grade'
import { DEFAULT_POLICY, type Policy } from '../../src/domain/policy'
import { rankAll, rankResults, type RankedStore } from '../../src/domain/ranking'
import {
  storeResults,
  type EvaluationRecord,
  type StoreResult,
} from '../../src/domain/store-result'
import type { Store } from '../../src/domain/types'

const PROVINCES = ['广东', '江苏', '海南']
const CITIES = ['a', 'b', 'c']

const storeArb = fc.record({
  province: fc.constantFrom(...PROVINCES),
  city: fc.constantFrom(...CITIES),
  level: fc.constantFrom(1, 2, 3, 4) as fc.Arbitrary<1 | 2 | 3 | 4>,
  type: fc.constantFrom('self', 'self', 'self', 'partner') as fc.Arbitrary<'self' | 'partner'>,
})

/** Scores cluster near the grade bounds so ties and quota pressure are common. */
const scoreArb = fc.oneof(
  fc.integer({ min: 0, max: 10500 }),
  fc.constantFrom(7999, 8000, 8999, 9000, 9499, 9500, 9600, 10000),
)

const evalArb = fc.record({
  store: fc.nat(),
  reviewer: fc.constantFrom('self', 'city', 'province', 'group') as fc.Arbitrary<
    EvaluationRecord['reviewer']
  >,
  final: scoreArb,
  deductions: fc.constantFrom(0, 0, 100, 250),
  redLines: fc.constantFrom([], [], [], [], ['rl-x']) as fc.Arbitrary<string[]>,
  day: fc.integer({ min: 1, max: 28 }),
})

const worldArb = fc
  .record({
    stores: fc.array(storeArb, { minLength: 0, maxLength: 80 }),
    evals: fc.array(evalArb, { maxLength: 160 }),
    order: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 400, maxLength: 400 }),
    policy: fc.record({
      unit: fc.constantFrom('province', 'city', 'group') as fc.Arbitrary<Policy['quota']['unit']>,
      caps: fc.constantFrom('separate', 'cumulative') as fc.Arbitrary<Policy['quota']['caps']>,
      rounding: fc.constantFrom('floor', 'round', 'ceil') as fc.Arbitrary<
        Policy['quota']['rounding']
      >,
      formula: fc.constantFrom('exceed', 'eliminate') as fc.Arbitrary<
        Policy['differential']['formula']
      >,
      cascade: fc.constantFrom('by-score', 'good-first', 'none') as fc.Arbitrary<Policy['cascade']>,
      denominator: fc.constantFrom('eligible', 'evaluated') as fc.Arbitrary<
        Policy['quota']['denominator']
      >,
    }),
  })
  .map(({ stores, evals, order, policy: p }) => {
    const register: Store[] = stores.map((s, i) => ({
      ...s,
      code: `S${String(i).padStart(3, '0')}`,
      name: `s${i}`,
    }))
    const records: EvaluationRecord[] =
      register.length === 0
        ? []
        : evals.map((e, i) => ({
            id: `e${i}`,
            storeCode: (register[e.store % register.length] as Store).code,
            reviewer: e.reviewer,
            submittedAt: `2026-03-${String(e.day).padStart(2, '0')}T00:00:00Z`,
            final: e.final,
            deductions: e.deductions,
            base: e.final + e.deductions,
            redLines: e.redLines,
          }))
    const policy: Policy = {
      ...DEFAULT_POLICY,
      cascade: p.cascade,
      quota: {
        ...DEFAULT_POLICY.quota,
        unit: p.unit,
        caps: p.caps,
        rounding: p.rounding,
        denominator: p.denominator,
      },
      differential: { ...DEFAULT_POLICY.differential, formula: p.formula },
    }
    return { register, records, order, policy }
  })

/**
 * Quota pressure in few units: 20–120 graded stores over two provinces, scores around the
 * bands, so places, differentials and dropped excellent nominees are common.
 */
const inversionWorldArb = fc
  .record({
    n: fc.integer({ min: 20, max: 120 }),
    scores: fc.array(
      fc.oneof(fc.integer({ min: 8800, max: 10000 }), fc.constantFrom(9000, 9500, 9499)),
      { minLength: 120, maxLength: 120 },
    ),
    reviewers: fc.array(
      fc.constantFrom('self', 'city', 'province', 'group') as fc.Arbitrary<
        EvaluationRecord['reviewer']
      >,
      { minLength: 120, maxLength: 120 },
    ),
    redLine: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 120, maxLength: 120 }),
    unit: fc.constantFrom('province', 'city', 'group') as fc.Arbitrary<Policy['quota']['unit']>,
    caps: fc.constantFrom('separate', 'cumulative') as fc.Arbitrary<Policy['quota']['caps']>,
    formula: fc.constantFrom('exceed', 'eliminate') as fc.Arbitrary<
      Policy['differential']['formula']
    >,
    excellentShare: fc.constantFrom(0.05, 0.1),
    provinceGood: fc.constantFrom(0, 0.2, 0.5),
  })
  .map((w) => {
    const register: Store[] = []
    const records: EvaluationRecord[] = []
    for (let i = 0; i < w.n; i++) {
      const code = `S${String(i).padStart(3, '0')}`
      register.push({
        code,
        name: code,
        province: i % 2 ? '广东' : '江苏',
        city: i % 3 ? 'a' : 'b',
        level: 1,
        type: 'self',
      })
      records.push({
        id: `e${i}`,
        storeCode: code,
        reviewer: w.reviewers[i] as EvaluationRecord['reviewer'],
        submittedAt: '2026-03-01T00:00:00Z',
        final: w.scores[i] as number,
        redLines: w.redLine[i] === 0 ? ['rl-x'] : [],
      })
    }
    const policy: Policy = {
      ...DEFAULT_POLICY,
      quota: {
        ...DEFAULT_POLICY.quota,
        unit: w.unit,
        caps: w.caps,
        excellentShare: w.excellentShare,
      },
      differential: {
        ...DEFAULT_POLICY.differential,
        formula: w.formula,
        provinceGood: w.provinceGood,
      },
    }
    return { register, records, policy }
  })

/** Pairs (higher, lower) of equal standing in one quota unit where the higher scored got less. */
function inversions(
  results: readonly StoreResult[],
  outcomes: readonly CertificationOutcome[],
): string[] {
  const resultBy = new Map(results.map((r) => [r.storeCode, r]))
  // standing: the counting reviewer's class (self-only or inspected) and no red line
  const groups = new Map<string, { code: string; final: number; g: number }[]>()
  for (const o of outcomes) {
    const r = resultBy.get(o.storeCode)
    if (!o.graded || o.certifiedGrade === null || !r || r.final === undefined) continue
    if (r.redLines.length > 0) continue
    const key = `${o.unitKey}|${r.reviewer === 'self' ? 'self' : 'inspected'}`
    let list = groups.get(key)
    if (!list) groups.set(key, (list = []))
    list.push({ code: o.storeCode, final: r.final, g: gradeIndex(o.certifiedGrade) })
  }
  const out: string[] = []
  for (const list of groups.values()) {
    list.sort((a, b) => b.final - a.final)
    // worst grade among strictly higher scores (equal scores are the tie-break's business)
    let worst = -1
    let worstCode = ''
    let i = 0
    while (i < list.length) {
      let j = i
      while (j < list.length && (list[j] as { final: number }).final === list[i]!.final) j++
      const same = list.slice(i, j)
      for (const x of same) if (worst >= 0 && x.g < worst) out.push(`${worstCode} > ${x.code}`)
      for (const x of same)
        if (x.g > worst) {
          worst = x.g
          worstCode = x.code
        }
      i = j
    }
  }
  return out
}

function shuffle<T>(list: readonly T[], order: number[]): T[] {
  return list
    .map((x, i) => ({ x, k: order[i % order.length] as number, i }))
    .sort((a, b) => a.k - b.k || b.i - a.i)
    .map((e) => e.x)
}

describe('engine properties', () => {
  it('a ranking is a permutation of the graded stores, ranked 1..n under the default tie-break', () => {
    fc.assert(
      fc.property(worldArb, ({ register, records, policy }) => {
        const results = storeResults(register, records, policy)
        const ranked = rankResults(results, policy)
        const graded = results.filter((r) => r.graded).map((r) => r.storeCode)
        expect([...ranked.map((r) => r.storeCode)].sort()).toEqual([...graded].sort())
        expect(ranked.map((r) => r.rank)).toEqual(ranked.map((_, i) => i + 1))
        // grade first (a capped self-assessment or a red line ranks with its grade), then score
        for (let i = 1; i < ranked.length; i++) {
          const a = ranked[i - 1] as RankedStore
          const b = ranked[i] as RankedStore
          expect(gradeIndex(a.grade)).toBeLessThanOrEqual(gradeIndex(b.grade))
          if (a.grade === b.grade) expect(a.final).toBeGreaterThanOrEqual(b.final)
        }
      }),
      { numRuns: 150 },
    )
  })

  it('no inversions: in a quota unit, of equal standing, a higher score never gets a lower certified grade', () => {
    fc.assert(
      fc.property(inversionWorldArb, ({ register, records, policy }) => {
        const results = storeResults(register, records, policy)
        const { outcomes } = proposeCertification(results, register, policy)
        expect(inversions(results, outcomes)).toEqual([])
      }),
      { numRuns: 300 },
    )
  })

  it('the good-first reading does invert (so the property above can fail)', () => {
    const found = fc.sample(inversionWorldArb, { numRuns: 300, seed: 11 }).some((w) => {
      const policy: Policy = { ...w.policy, cascade: 'good-first' }
      const results = storeResults(w.register, w.records, policy)
      return (
        inversions(results, proposeCertification(results, w.register, policy).outcomes).length > 0
      )
    })
    expect(found).toBe(true)
  })

  it('rankings and certification do not depend on input order', () => {
    fc.assert(
      fc.property(worldArb, ({ register, records, order, policy }) => {
        const results = storeResults(register, records, policy)
        const shuffledStores = shuffle(register, order)
        const shuffledResults = storeResults(
          shuffledStores,
          shuffle(records, order.slice(7)),
          policy,
        )
        expect(rankAll(shuffledResults, shuffledStores, policy)).toEqual(
          rankAll(results, register, policy),
        )
        const sortByCode = <T extends { storeCode: string }>(xs: T[]) =>
          [...xs].sort((a, b) => (a.storeCode < b.storeCode ? -1 : 1))
        const a = proposeCertification(results, register, policy)
        const b = proposeCertification(shuffledResults, shuffledStores, policy)
        expect(sortByCode(b.outcomes)).toEqual(sortByCode(a.outcomes))
        expect(b.units).toEqual(a.units)
      }),
      { numRuns: 150 },
    )
  })

  it('certification never exceeds a quota or the group differential', () => {
    fc.assert(
      fc.property(worldArb, ({ register, records, policy }) => {
        const { units, outcomes, warnings } = proposeCertification(
          storeResults(register, records, policy),
          register,
          policy,
        )
        expect(warnings).toEqual([])
        for (const u of units) {
          expect(u.used.excellent).toBeLessThanOrEqual(u.places.excellent)
          expect(u.used.excellent).toBeLessThanOrEqual(u.differentialLimit.excellent)
          const goodUsed =
            policy.quota.caps === 'cumulative' ? u.used.good + u.used.excellent : u.used.good
          expect(goodUsed).toBeLessThanOrEqual(u.places.good)
          expect(u.overQuota).toEqual({ excellent: false, good: false })
        }
        // nobody is certified above the grade their result qualified for
        const rank = { excellent: 0, good: 1, pass: 2, fail: 3 }
        for (const o of outcomes) {
          if (o.certifiedGrade && o.qualifiedGrade)
            expect(rank[o.certifiedGrade]).toBeGreaterThanOrEqual(rank[o.qualifiedGrade])
          expect(o.graded).toBe(o.certifiedGrade !== null)
        }
      }),
      { numRuns: 200 },
    )
  })
})

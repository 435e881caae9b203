/**
 * Property tests (fast-check) over random registers and evaluations: rankings are permutations
 * and deterministic under input shuffling; certification never exceeds a quota.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { proposeCertification } from '../../src/domain/certification'
import { DEFAULT_POLICY, type Policy } from '../../src/domain/policy'
import { rankAll, rankResults } from '../../src/domain/ranking'
import { storeResults, type EvaluationRecord } from '../../src/domain/store-result'
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
      cascade: fc.boolean(),
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
        for (let i = 1; i < ranked.length; i++) {
          expect((ranked[i - 1] as { final: number }).final).toBeGreaterThanOrEqual(
            (ranked[i] as { final: number }).final,
          )
        }
      }),
      { numRuns: 150 },
    )
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

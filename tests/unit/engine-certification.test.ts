import { describe, expect, it } from 'vitest'
import {
  differentialLimit,
  proposeCertification,
  quotaPlaces,
  type CertificationOutcome,
} from '../../src/domain/certification'
import { DEFAULT_POLICY, type Policy } from '../../src/domain/policy'
import { parsePolicy } from '../../src/domain/policy-schema'
import type { StoreResult } from '../../src/domain/store-result'
import type { Grade, Store } from '../../src/domain/types'
import { result, store } from '../helpers/engine-fixtures'

const policy = (patch: Partial<Policy>): Policy => ({ ...DEFAULT_POLICY, ...patch })

/**
 * A province of `size` graded stores: `excellent` at 96.xx, `good` at 92.xx, the rest at 85.
 * Scores fall by 0.01 per store so the ranking order is known: E0 > E1 > … > G0 > G1 > ….
 */
function province(name: string, size: number, excellent: number, good: number) {
  const stores: Store[] = []
  const results: StoreResult[] = []
  for (let i = 0; i < size; i++) {
    const isE = i < excellent
    const isG = !isE && i < excellent + good
    const code = isE ? `${name}-E${i}` : isG ? `${name}-G${i - excellent}` : `${name}-P${i}`
    const final = isE ? 9699 - i : isG ? 9299 - i : 8500
    const grade: Grade = isE ? 'excellent' : isG ? 'good' : 'pass'
    stores.push(store({ code, province: name, city: `${name}-c${i % 3}` }))
    results.push(result(code, final, grade))
  }
  return { stores, results }
}

function byCode(outcomes: CertificationOutcome[]) {
  return new Map(outcomes.map((o) => [o.storeCode, o]))
}

const certifiedList = (outcomes: CertificationOutcome[], g: Grade) =>
  outcomes.filter((o) => o.certifiedGrade === g).map((o) => o.storeCode)

describe('quotaPlaces and differentialLimit', () => {
  it('computes places in integers with the policy rounding', () => {
    expect(quotaPlaces(15, 0.05, 'floor')).toBe(0)
    expect(quotaPlaces(20, 0.05, 'floor')).toBe(1)
    expect(quotaPlaces(100, 0.05, 'floor')).toBe(5)
    expect(quotaPlaces(100, 0.2, 'floor')).toBe(20)
    expect(quotaPlaces(30, 0.05, 'round')).toBe(2) // 1.5 half up
    expect(quotaPlaces(29, 0.05, 'round')).toBe(1) // 1.45
    expect(quotaPlaces(15, 0.05, 'ceil')).toBe(1)
    expect(quotaPlaces(0, 0.2, 'ceil')).toBe(0)
    // 0.07 × 100 is 7.000000000000001 in floats; places must still be 7
    expect(quotaPlaces(100, 0.07, 'ceil')).toBe(7)
  })

  it('reads 差额 d as "nominees exceed places by d" or as "eliminate d of nominees"', () => {
    expect(differentialLimit(12, 0.2, 'exceed')).toBe(10)
    expect(differentialLimit(6, 0.2, 'exceed')).toBe(5)
    expect(differentialLimit(5, 0.2, 'exceed')).toBe(4)
    expect(differentialLimit(1, 0.2, 'exceed')).toBe(0)
    expect(differentialLimit(0, 0.2, 'exceed')).toBe(0)
    expect(differentialLimit(12, 0.2, 'eliminate')).toBe(9)
    expect(differentialLimit(10, 0.2, 'eliminate')).toBe(8)
    expect(differentialLimit(3, 0, 'exceed')).toBe(3)
  })
})

describe('proposeCertification', () => {
  it('by-score (default): dropped excellent nominees compete for good with the good nominees', () => {
    const { stores, results } = province('广东', 100, 12, 10)
    const { outcomes, units, warnings } = proposeCertification(results, stores, DEFAULT_POLICY)
    const o = byCode(outcomes)
    expect(certifiedList(outcomes, 'excellent')).toEqual([
      '广东-E0',
      '广东-E1',
      '广东-E2',
      '广东-E3',
      '广东-E4',
    ])
    // good: 7 dropped + 10 good nominees = 17; min(20 places, floor(17 / 1.2) = 14) = 14, by
    // score: the 7 dropped (96.xx) then G0..G6; G7..G9 are eliminated by the differential
    expect(o.get('广东-E11')).toMatchObject({ certifiedGrade: 'good', qualifiedGrade: 'excellent' })
    expect(o.get('广东-E11')?.notes.map((n) => n.code)).toEqual(['over-quota', 'cascade-score'])
    expect(o.get('广东-G6')?.certifiedGrade).toBe('good')
    expect(o.get('广东-G7')).toMatchObject({ certifiedGrade: 'pass', certifiedBy: 'city' })
    expect(o.get('广东-G7')?.notes[0]?.message).toBe(
      'eliminated by province differential (17 nominees, at most 14 certified)',
    )
    expect(units[0]).toMatchObject({
      candidates: { excellent: 12, good: 17 },
      differentialLimit: { excellent: 10, good: 14 },
      used: { excellent: 5, good: 14 },
      cascaded: 7,
    })
    expect(warnings).toEqual([])
  })

  it('good-first (the 1.0.0 reading): good nominees first, dropped excellent nominees into places left', () => {
    const { stores, results } = province('广东', 100, 12, 10)
    const goodFirst = policy({ cascade: 'good-first' })
    const { outcomes, units, warnings } = proposeCertification(results, stores, goodFirst)
    const o = byCode(outcomes)
    // excellent: min(5 places, floor(12 / 1.2) = 10) = 5, the five best
    expect(certifiedList(outcomes, 'excellent')).toEqual([
      '广东-E0',
      '广东-E1',
      '广东-E2',
      '广东-E3',
      '广东-E4',
    ])
    expect(o.get('广东-E0')?.certifiedBy).toBe('group')
    expect(o.get('广东-E5')?.notes.map((n) => n.message)).toContain(
      'over excellent quota in 广东 (5 places)',
    )
    // good: min(20, floor(10 / 1.2) = 8) = 8; G8, G9 eliminated by the province differential
    expect(o.get('广东-G7')?.certifiedGrade).toBe('good')
    expect(o.get('广东-G8')).toMatchObject({ certifiedGrade: 'pass', certifiedBy: 'city' })
    expect(o.get('广东-G8')?.notes[0]?.message).toMatch(/eliminated by province differential/)
    // cascade: 20 − 8 = 12 good places left, so all 7 excellent nominees not certified become good
    expect(o.get('广东-E11')).toMatchObject({ certifiedGrade: 'good', qualifiedGrade: 'excellent' })
    expect(o.get('广东-E11')?.notes.map((n) => n.code)).toEqual(['over-quota', 'cascade'])
    expect(units).toEqual([
      {
        unit: 'province',
        key: '广东',
        gradedCount: 100,
        evaluatedCount: 100,
        places: { excellent: 5, good: 20 },
        candidates: { excellent: 12, good: 10 },
        differentialLimit: { excellent: 10, good: 8 },
        used: { excellent: 5, good: 15 },
        cascaded: 7,
        overQuota: { excellent: false, good: false },
      },
    ])
    expect(warnings).toEqual([])
    expect(o.get('广东-P50')).toMatchObject({ certifiedGrade: 'pass', certifiedBy: 'city' })
  })

  it('a province with 15 stores has no excellent place (5% of 15 rounds down to 0)', () => {
    const { stores, results } = province('海南', 15, 2, 1)
    const { outcomes, units } = proposeCertification(results, stores, DEFAULT_POLICY)
    const o = byCode(outcomes)
    expect(units[0]?.places).toEqual({ excellent: 0, good: 3 })
    expect(certifiedList(outcomes, 'excellent')).toEqual([])
    expect(o.get('海南-E0')?.notes[0]?.message).toBe('over excellent quota in 海南 (0 places)')
    // one good nominee: floor(1 / 1.2) = 0 may be certified; the places go to the cascade
    expect(o.get('海南-G0')?.certifiedGrade).toBe('pass')
    expect(certifiedList(outcomes, 'good')).toEqual(['海南-E0', '海南-E1'])
  })

  it('the group differential can bind before the quota', () => {
    const { stores, results } = province('江苏', 100, 5, 0)
    const { outcomes } = proposeCertification(results, stores, DEFAULT_POLICY)
    // 5 places but floor(5 / 1.2) = 4
    expect(certifiedList(outcomes, 'excellent')).toEqual([
      '江苏-E0',
      '江苏-E1',
      '江苏-E2',
      '江苏-E3',
    ])
    const e4 = byCode(outcomes).get('江苏-E4')
    expect(e4?.notes[0]?.message).toBe(
      'eliminated by group differential (5 nominees, at most 4 certified)',
    )
    // by-score: E4 is the province's only candidate for good, and floor(1 / 1.2) = 0 may be
    // certified, exactly as for a lone good nominee
    expect(e4?.certifiedGrade).toBe('pass')
    expect(e4?.notes.map((n) => n.code)).toEqual([
      'differential',
      'differential',
      'cascade-score-none',
    ])
    // good-first: E4 bypasses the province differential and takes a place left over
    const goodFirst = proposeCertification(results, stores, policy({ cascade: 'good-first' }))
    expect(byCode(goodFirst.outcomes).get('江苏-E4')?.certifiedGrade).toBe('good')
  })

  it("the 'eliminate' formula certifies fewer", () => {
    const { stores, results } = province('江苏', 100, 5, 0)
    const p = policy({ differential: { ...DEFAULT_POLICY.differential, formula: 'eliminate' } })
    expect(
      certifiedList(proposeCertification(results, stores, p).outcomes, 'excellent'),
    ).toHaveLength(4)
    const big = province('浙江', 200, 12, 0)
    // places 10, floor(12 × 0.8) = 9 (exceed would allow 10)
    expect(
      certifiedList(proposeCertification(big.results, big.stores, p).outcomes, 'excellent'),
    ).toHaveLength(9)
    expect(
      certifiedList(
        proposeCertification(big.results, big.stores, DEFAULT_POLICY).outcomes,
        'excellent',
      ),
    ).toHaveLength(10)
  })

  it('without cascade an eliminated excellent nominee is pass', () => {
    const { stores, results } = province('江苏', 100, 6, 6)
    const { outcomes } = proposeCertification(results, stores, policy({ cascade: 'none' }))
    expect(byCode(outcomes).get('江苏-E5')?.certifiedGrade).toBe('pass')
    expect(byCode(outcomes).get('江苏-G0')?.certifiedGrade).toBe('good')
  })

  it('the booleans of older policy files keep their meaning', () => {
    expect(parsePolicy({ ...DEFAULT_POLICY, cascade: true })).toMatchObject({
      ok: true,
      policy: { cascade: 'good-first' },
    })
    expect(parsePolicy({ ...DEFAULT_POLICY, cascade: false })).toMatchObject({
      ok: true,
      policy: { cascade: 'none' },
    })
    expect(parsePolicy({ ...DEFAULT_POLICY, cascade: 'sideways' }).ok).toBe(false)
  })

  it('good-first only fills good places that remain, which inverts ranks; by-score does not', () => {
    const { stores, results } = province('福建', 40, 4, 10)
    // places: excellent 2, good 8; good nominees 10 → floor(10/1.2) = 8 = all places; nothing left
    const goodFirst = proposeCertification(results, stores, policy({ cascade: 'good-first' }))
    expect(goodFirst.units[0]?.cascaded).toBe(0)
    const e3 = byCode(goodFirst.outcomes).get('福建-E3')
    expect(e3?.certifiedGrade).toBe('pass')
    expect(e3?.notes.map((n) => n.code)).toEqual(['over-quota', 'cascade-none'])
    // the inversion: E3 (96.96) is pass while G7 (92.xx) is good
    expect(byCode(goodFirst.outcomes).get('福建-G7')?.certifiedGrade).toBe('good')
    // by-score: pool E2, E3, G0..G9 = 12; min(8, floor(12 / 1.2) = 10) = 8: E2, E3, G0..G5
    const { outcomes, units } = proposeCertification(results, stores, DEFAULT_POLICY)
    expect(units[0]?.cascaded).toBe(2)
    expect(certifiedList(outcomes, 'good')).toEqual([
      '福建-E2',
      '福建-E3',
      '福建-G0',
      '福建-G1',
      '福建-G2',
      '福建-G3',
      '福建-G4',
      '福建-G5',
    ])
    expect(byCode(outcomes).get('福建-G6')?.notes[0]?.code).toBe('over-quota')
  })

  it('cumulative caps count excellent places against the good cap', () => {
    const { stores, results } = province('广东', 100, 12, 30)
    const separate = proposeCertification(results, stores, DEFAULT_POLICY)
    expect(separate.units[0]?.used).toEqual({ excellent: 5, good: 20 })
    const cumulative = proposeCertification(
      results,
      stores,
      policy({ quota: { ...DEFAULT_POLICY.quota, caps: 'cumulative' } }),
    )
    expect(cumulative.units[0]?.used).toEqual({ excellent: 5, good: 15 })
  })

  it('a province-specific good differential is used for that province only', () => {
    const a = province('江苏', 100, 0, 10)
    const b = province('浙江', 100, 0, 10)
    const p = policy({
      differential: { ...DEFAULT_POLICY.differential, provinceGoodByProvince: { 江苏: 1 } },
    })
    const { units } = proposeCertification(
      [...a.results, ...b.results],
      [...a.stores, ...b.stores],
      p,
    )
    expect(units.map((u) => [u.key, u.used.good])).toEqual([
      ['江苏', 5], // floor(10 / 2)
      ['浙江', 8], // floor(10 / 1.2)
    ])
  })

  it('breaks ties for the last place by the tie-break order', () => {
    const stores = Array.from({ length: 40 }, (_, i) =>
      store({ code: `T${String(i).padStart(2, '0')}`, province: '云南' }),
    )
    const results = stores.map((s) => result(s.code, 8500, 'pass'))
    // 2 excellent places; 3 nominees all at 96.00 → floor(3/1.2) = 2 certified
    results[5] = result('T05', 9600, 'excellent', { deductions: 200 })
    results[6] = result('T06', 9600, 'excellent', { deductions: 0 })
    results[7] = result('T07', 9600, 'excellent', { deductions: 100 })
    const { outcomes } = proposeCertification(results, stores, DEFAULT_POLICY)
    expect(certifiedList(outcomes, 'excellent')).toEqual(['T06', 'T07'])
  })

  it('counts only graded stores in the denominator; "evaluated" counts only those with a result', () => {
    const stores = [
      ...Array.from({ length: 20 }, (_, i) => store({ code: `A${i}`, province: '西藏' })),
      store({ code: 'L4', province: '西藏', level: 4 }),
      store({ code: 'PT', province: '西藏', type: 'partner' }),
    ]
    const results: StoreResult[] = stores.slice(0, 10).map((s) => result(s.code, 8500, 'pass'))
    const eligible = proposeCertification(results, stores, DEFAULT_POLICY)
    expect(eligible.units[0]).toMatchObject({
      gradedCount: 20,
      evaluatedCount: 10,
      places: { excellent: 1, good: 4 },
    })
    const evaluated = proposeCertification(
      results,
      stores,
      policy({ quota: { ...DEFAULT_POLICY.quota, denominator: 'evaluated' } }),
    )
    expect(evaluated.units[0]).toMatchObject({ gradedCount: 10, places: { excellent: 0, good: 2 } })
  })

  it('supports city and group quota units', () => {
    const a = province('江苏', 40, 3, 0)
    const b = province('浙江', 60, 3, 0)
    const stores = [...a.stores, ...b.stores]
    const results = [...a.results, ...b.results]
    const group = proposeCertification(
      results,
      stores,
      policy({ quota: { ...DEFAULT_POLICY.quota, unit: 'group' } }),
    )
    // 100 stores → 5 places; 6 nominees → floor(6/1.2) = 5; the five best of both provinces
    expect(group.units).toHaveLength(1)
    expect(group.units[0]).toMatchObject({
      key: 'group',
      places: { excellent: 5 },
      used: { excellent: 5 },
    })
    const city = proposeCertification(
      results,
      stores,
      policy({ quota: { ...DEFAULT_POLICY.quota, unit: 'city' } }),
    )
    expect(city.units.map((u) => u.key)).toEqual([
      '江苏/江苏-c0',
      '江苏/江苏-c1',
      '江苏/江苏-c2',
      '浙江/浙江-c0',
      '浙江/浙江-c1',
      '浙江/浙江-c2',
    ])
  })

  it('keeps ungraded stores ungraded and carries result notes through', () => {
    const stores = [
      store({ code: 'L4', level: 4 }),
      store({ code: 'SELF' }),
      store({ code: 'NONE' }),
    ]
    const results: StoreResult[] = [
      {
        storeCode: 'L4',
        graded: false,
        ungradedReason: 'level-not-graded',
        redLines: [],
        notes: [{ code: 'ungraded-level', message: 'level 4' }],
      },
      {
        ...result('SELF', 9800, 'pass', { reviewer: 'self' }),
        scoreGrade: 'excellent',
        notes: [{ code: 'self-only', message: 'self-assessment only' }],
      },
      {
        storeCode: 'NONE',
        graded: false,
        ungradedReason: 'no-evaluation',
        redLines: [],
        notes: [],
      },
    ]
    const o = byCode(proposeCertification(results, stores, DEFAULT_POLICY).outcomes)
    expect(o.get('L4')).toMatchObject({ graded: false, certifiedGrade: null, proposedGrade: null })
    expect(o.get('SELF')).toMatchObject({ graded: true, certifiedGrade: 'pass', reviewer: 'self' })
    expect(o.get('SELF')?.notes[0]?.code).toBe('self-only')
    expect(o.get('NONE')?.certifiedGrade).toBeNull()
  })

  it('handles empty input and units with no graded store', () => {
    expect(proposeCertification([], [], DEFAULT_POLICY)).toEqual({
      outcomes: [],
      units: [],
      warnings: [],
    })
    const stores = [store({ code: 'X', province: '青海' })]
    const { units } = proposeCertification([], stores, DEFAULT_POLICY)
    expect(units[0]).toMatchObject({
      key: '青海',
      gradedCount: 1,
      evaluatedCount: 0,
      used: { excellent: 0, good: 0 },
    })
  })

  it('applies manual overrides on top, records them and flags a unit pushed over quota', () => {
    const { stores, results } = province('广东', 100, 12, 10)
    const { outcomes, units, warnings } = proposeCertification(results, stores, DEFAULT_POLICY, [
      { storeCode: '广东-E6', grade: 'excellent', reason: 'appeal upheld' },
      { storeCode: 'NOPE', grade: 'good', reason: 'typo' },
    ])
    const e6 = byCode(outcomes).get('广东-E6')
    expect(e6).toMatchObject({
      proposedGrade: 'good',
      certifiedGrade: 'excellent',
      certifiedBy: 'override',
      override: { from: 'good', to: 'excellent', reason: 'appeal upheld' },
    })
    expect(units[0]?.used.excellent).toBe(6)
    expect(units[0]?.overQuota).toEqual({ excellent: true, good: false })
    expect(warnings.map((w) => w.code)).toEqual(['override-unknown-store', 'over-quota'])
  })

  it('reports a result whose store is not in the register', () => {
    const { warnings, outcomes } = proposeCertification(
      [result('GHOST', 9000, 'good')],
      [],
      DEFAULT_POLICY,
    )
    expect(warnings[0]?.code).toBe('unknown-store')
    expect(outcomes[0]).toMatchObject({ unitKey: null, certifiedGrade: null })
  })
})

import { describe, expect, it } from 'vitest'
import {
  DEFAULT_POLICY,
  certifyAndRank,
  periodResults,
  rankPeriod,
  type EvaluationRecord,
} from '@/domain'
import type { CertificationEntry } from '@/domain/records'
import type { Store } from '@/domain/types'
import { rankingExportData } from '@/io/ranking-export'

// 20 graded stores in one province (1 excellent place, 4 good), one level-4 store, one record
// of another period and one for a store outside the register.
const stores: Store[] = [
  ...Array.from({ length: 20 }, (_, i) => ({
    code: `S${String(i).padStart(2, '0')}`,
    name: `店${i}`,
    province: '广东',
    city: i < 10 ? '广州' : '深圳',
    level: 2 as const,
    type: 'self' as const,
  })),
  { code: 'L4', name: '小店', province: '广东', city: '广州', level: 4, type: 'self' },
]
const records: EvaluationRecord[] = [
  ...stores.map((s, i) => ({
    storeCode: s.code,
    period: '2026-Q4',
    reviewer: 'city' as const,
    submittedAt: '2026-12-01T00:00:00Z',
    final: 9800 - i * 60,
  })),
  {
    storeCode: 'S19',
    period: '2026-Q3',
    reviewer: 'province',
    submittedAt: '2026-09-01T00:00:00Z',
    final: 9990,
  },
  {
    storeCode: 'GHOST',
    period: '2026-Q4',
    reviewer: 'city',
    submittedAt: '2026-12-01T00:00:00Z',
    final: 9000,
  },
]
const override = (storeCode: string, grade: string | null, at: string): CertificationEntry => ({
  id: `${storeCode}-${at}`,
  kind: 'override',
  period: '2026-Q4',
  unit: '广东',
  step: 'override',
  actor: '李四',
  at,
  storeCode,
  payload: { grade, reason: '复核' },
})

describe('rankPeriod (the one rankings pipeline)', () => {
  it('is its two stages composed', () => {
    const log = [override('S10', 'good', '2026-12-20')]
    const whole = rankPeriod({
      register: stores,
      records,
      policy: DEFAULT_POLICY,
      period: '2026-Q4',
      log,
    })
    const results = periodResults(stores, records, DEFAULT_POLICY, '2026-Q4')
    expect(whole.results).toEqual(results)
    expect(whole).toEqual({
      results,
      ...certifyAndRank({ register: stores, results, policy: DEFAULT_POLICY, log }),
    })
  })

  it('gives one row per register store, in register order, certified and ranked', () => {
    const { rows, proposal } = rankPeriod({
      register: stores,
      records,
      policy: DEFAULT_POLICY,
      period: '2026-Q4',
    })
    expect(rows.map((r) => r.code)).toEqual(stores.map((s) => s.code))
    const s00 = rows.find((r) => r.code === 'S00')!
    expect(s00).toMatchObject({ certifiedGrade: 'excellent', rankGroup: 1, rankCity: 1 })
    // The second excellent nominee (97.40) is not certified excellent: one excellent place.
    const s01 = rows.find((r) => r.code === 'S01')!
    expect(s01).toMatchObject({ scoreGrade: 'excellent', rankGroup: 2 })
    expect(s01.certifiedGrade).not.toBe('excellent')
    // The Q3 record does not count for S19; level 4 is outside grading.
    expect(rows.find((r) => r.code === 'S19')!.final).toBe(9800 - 19 * 60)
    expect(rows.find((r) => r.code === 'L4')).toMatchObject({
      certifiedGrade: null,
      rankGroup: null,
    })
    expect(proposal.outcomes).toHaveLength(stores.length)
  })

  it("applies the log's latest override per store and its withdrawal", () => {
    const base = { register: stores, records, policy: DEFAULT_POLICY, period: '2026-Q4' }
    const on = rankPeriod({ ...base, log: [override('S15', 'good', '2026-12-20')] })
    expect(on.rows.find((r) => r.code === 'S15')).toMatchObject({
      certifiedGrade: 'good',
      certifiedBy: 'override',
    })
    expect(on.overrides).toEqual([
      { storeCode: 'S15', grade: 'good', reason: '复核', actor: '李四', at: '2026-12-20' },
    ])
    const off = rankPeriod({
      ...base,
      log: [override('S15', 'good', '2026-12-20'), override('S15', null, '2026-12-21')],
    })
    expect(off.overrides).toEqual([])
    expect(off.rows.find((r) => r.code === 'S15')!.certifiedBy).not.toBe('override')
  })

  it('the export shows the rows as they are: same grades and ranks, no second ranking', () => {
    const ranked = rankPeriod({ register: stores, records, policy: DEFAULT_POLICY })
    const data = rankingExportData({ ranked })
    expect(
      data.stores.map((s) => [s.code, s.certifiedGrade, s.rankCity, s.rankProvince, s.rankGroup]),
    ).toEqual(
      ranked.rows.map((r) => [
        r.code,
        r.certifiedGrade ?? 'ungraded',
        r.rankCity,
        r.rankProvince,
        r.rankGroup,
      ]),
    )
    expect(data.cities.map((c) => c.city)).toEqual(ranked.rankings.cityStats.map((c) => c.city))
  })
})

describe('a closed store (domain/store-register)', () => {
  it('leaves the rankings and the quota denominator of periods after its closing day', () => {
    const run = (closedOn?: string) =>
      rankPeriod({
        register: stores.map((s) => (s.code === 'S00' && closedOn ? { ...s, closedOn } : s)),
        records,
        policy: DEFAULT_POLICY,
        period: '2026-Q4',
      })
    const open = run()
    const closed = run('2026-10-01')
    expect(closed.rows.map((r) => r.code)).not.toContain('S00')
    expect(closed.rows).toHaveLength(open.rows.length - 1)
    const unit = (r: typeof open) => r.proposal.units.find((u) => u.unit === 'province')!
    expect(unit(closed).gradedCount).toBe(unit(open).gradedCount - 1)
    // S01 moves up to first place in the group.
    expect(closed.rows.find((r) => r.code === 'S01')!.rankGroup).toBe(1)
    // Closed during the period: still in it.
    expect(run('2026-11-15').rows.map((r) => r.code)).toContain('S00')
  })
})

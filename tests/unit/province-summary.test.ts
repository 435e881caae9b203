import { describe, expect, it } from 'vitest'
import { DEFAULT_POLICY, rankPeriod, type EvaluationRecord } from '@/domain'
import { provinceSummary } from '@/domain/province-summary'
import type { Store } from '@/domain/types'

const stores: Store[] = [
  ...Array.from({ length: 20 }, (_, i) => ({
    code: `G${String(i).padStart(2, '0')}`,
    name: `粤${i}`,
    province: '广东',
    city: i < 10 ? '广州' : '深圳',
    level: 2 as const,
    type: 'self' as const,
  })),
  ...Array.from({ length: 5 }, (_, i) => ({
    code: `J${i}`,
    name: `苏${i}`,
    province: '江苏',
    city: '南京',
    level: 1 as const,
    type: 'self' as const,
  })),
  { code: 'P1', name: '合作厅', province: '江苏', city: '南京', level: 2, type: 'partner' },
]
const records: EvaluationRecord[] = stores.map((s, i) => ({
  storeCode: s.code,
  period: '2026-Q4',
  reviewer: 'city',
  submittedAt: '2026-12-01T00:00:00Z',
  final: 9900 - i * 80,
}))

describe('provinceSummary (the group report’s opening table)', () => {
  it('reads every figure from the rankings result', () => {
    const ranked = rankPeriod({
      register: stores,
      records,
      policy: DEFAULT_POLICY,
      period: '2026-Q4',
    })
    const lines = provinceSummary(ranked.rankings, ranked.proposal, ranked.rows)
    expect(lines.map((l) => l.province)).toEqual([
      ...ranked.rankings.provinceStats.map((p) => p.province),
      null,
    ])
    const js = lines.find((l) => l.province === '江苏')!
    // The partner store is in the register but not graded.
    expect(js).toMatchObject({ stores: 6, graded: 5 })
    const gd = lines.find((l) => l.province === '广东')!
    const gdUnit = ranked.proposal.units.find((u) => u.key === '广东')!
    expect(gd.quota).toEqual({
      excellent: { used: gdUnit.used.excellent, places: gdUnit.places.excellent },
      good: { used: gdUnit.used.good, places: gdUnit.places.good },
    })
    // Counts are the certified grades of the rows.
    const certified = ranked.rows.filter(
      (r) => r.province === '广东' && r.certifiedGrade === 'excellent',
    )
    expect(gd.grades.excellent).toBe(certified.length)
    const total = lines.at(-1)!
    expect(total.stores).toBe(stores.length)
    expect(total.graded).toBe(25)
    expect(total.grades.excellent + total.grades.good + total.grades.pass + total.grades.fail).toBe(
      25,
    )
    expect(total.shares.fail).toBeCloseTo(total.grades.fail / 25)
  })
})

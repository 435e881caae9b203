import { describe, expect, it } from 'vitest'
import { DEFAULT_POLICY, type EvaluationRecord } from '@/domain'
import {
  gradeDistribution,
  histogram,
  meanSectionShares,
  selfInspectionGap,
  trend,
} from '@/domain/chart-data'
import type { Store } from '@/domain/types'

const stores: Store[] = [
  { code: 'A', name: 'a', province: 'P', city: '甲', level: 1, type: 'self' },
  { code: 'B', name: 'b', province: 'P', city: '甲', level: 2, type: 'self' },
  { code: 'C', name: 'c', province: 'P', city: '乙', level: 2, type: 'self' },
]
const r = (
  storeCode: string,
  reviewer: EvaluationRecord['reviewer'],
  final: number,
  period = '2026-Q4',
  at = '2026-11-01T00:00:00Z',
): EvaluationRecord => ({ storeCode, reviewer, final, period, submittedAt: at })

describe('chart data', () => {
  it('histogram bins include the lower edge and put 100 in the last bin', () => {
    const bins = histogram([8000, 8099, 8100, 9500, 10000], 100, 8000)
    expect(bins[0]).toEqual({ from: 8000, to: 8100, count: 2 })
    expect(bins[1]!.count).toBe(1)
    expect(bins.find((b) => b.from === 9500)!.count).toBe(1)
    expect(bins.at(-1)).toEqual({ from: 9900, to: 10000, count: 1 })
    expect(bins.reduce((s, b) => s + b.count, 0)).toBe(5)
    expect(histogram([])).toEqual([])
  })

  it('counts certified grades per city, skipping ungraded stores', () => {
    const rows = [
      { province: 'P', city: '甲', certifiedGrade: 'good' as const, graded: true },
      { province: 'P', city: '甲', certifiedGrade: 'pass' as const, graded: true },
      { province: 'P', city: '乙', certifiedGrade: null, graded: false },
    ]
    expect(gradeDistribution(rows, 'city')).toEqual([
      { key: 'P/甲', label: '甲', counts: { excellent: 0, good: 1, pass: 1, fail: 0 }, total: 2 },
    ])
  })

  it('measures self-assessment minus the counting inspection, and flags inflated cities', () => {
    const records = [
      r('A', 'self', 9800),
      r('A', 'city', 9000),
      r('A', 'province', 9100, '2026-Q4', '2026-11-05T00:00:00Z'),
      r('B', 'self', 9000),
      r('B', 'city', 8800),
      r('C', 'self', 9000),
      r('C', 'city', 9200),
    ]
    const rows = selfInspectionGap(stores, records, DEFAULT_POLICY, 500)
    // A: 98 − 91 (province counts over city) = 7; B: 2 → mean 4.5 points.
    expect(rows.find((x) => x.label === '甲')).toEqual({
      key: 'P/甲',
      label: '甲',
      stores: 2,
      meanGap: 450,
      maxGap: 700,
      inflated: false,
    })
    expect(rows.find((x) => x.label === '乙')).toMatchObject({ meanGap: -200, inflated: false })
    const strict = selfInspectionGap(stores, records, DEFAULT_POLICY, 400)
    expect(strict.find((x) => x.label === '甲')!.inflated).toBe(true)
  })

  it('trends the mean counting score per period', () => {
    const records = [
      r('A', 'city', 9000, '2026-Q3'),
      r('B', 'city', 8000, '2026-Q3'),
      r('A', 'city', 9500, '2026-Q4'),
      r('A', 'self', 9900, '2026-Q4'),
    ]
    expect(trend(['A', 'B'], records, DEFAULT_POLICY)).toEqual([
      { period: '2026-Q3', mean: 8500, count: 2 },
      { period: '2026-Q4', mean: 9500, count: 1 },
    ])
  })

  it('averages section shares, leaving out sections that do not apply', () => {
    const s = (sectionId: string, score: number, effectiveWeight: number, applicable = true) => ({
      sectionId,
      score,
      effectiveWeight,
      applicable,
    })
    expect(
      meanSectionShares([
        [s('a', 1000, 2000), s('b', 0, 0, false)],
        [s('a', 2000, 2000), s('b', 500, 1000)],
      ]),
    ).toEqual([
      { sectionId: 'a', share: 0.75 },
      { sectionId: 'b', share: 0.5 },
    ])
  })
})

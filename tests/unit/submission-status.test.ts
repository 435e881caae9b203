import { describe, expect, it } from 'vitest'
import { periodEnd, submissionStatus } from '@/domain/submission-status'
import type { Store } from '@/domain/types'

const store = (code: string, city: string): Store => ({
  code,
  name: `${code}厅`,
  province: '江苏',
  city,
  level: 2,
  type: 'self',
})
const STORES = [store('A1', '南京'), store('A2', '南京'), store('A3', '南京'), store('B1', '苏州')]

describe('submission status', () => {
  it('ends a period at midnight China time', () => {
    expect(periodEnd('2026-Q4')?.toISOString()).toBe('2026-12-31T16:00:00.000Z')
    expect(periodEnd('2026-Q1')?.toISOString()).toBe('2026-03-31T16:00:00.000Z')
    expect(periodEnd('2026-H1')?.toISOString()).toBe('2026-06-30T16:00:00.000Z')
    expect(periodEnd('2026-02')?.toISOString()).toBe('2026-02-28T16:00:00.000Z')
    expect(periodEnd('2026')?.toISOString()).toBe('2026-12-31T16:00:00.000Z')
    expect(periodEnd('soon')).toBeNull()
  })

  it('an inspection wins over a self-assessment; nothing is not yet, then overdue', () => {
    const submitted = [
      { storeCode: 'A1', reviewer: 'self' as const, submittedAt: '2026-10-01T00:00:00Z' },
      { storeCode: 'A1', reviewer: 'city' as const, submittedAt: '2026-11-01T00:00:00Z' },
      { storeCode: 'A2', reviewer: 'self' as const, submittedAt: '2026-10-02T00:00:00Z' },
      { storeCode: 'ZZ', reviewer: 'city' as const, submittedAt: null },
    ]
    const during = submissionStatus(STORES, submitted, '2026-Q4', new Date('2026-12-31T15:59:59Z'))
    expect(during.stores.map((s) => [s.code, s.state])).toEqual([
      ['A1', 'inspected'],
      ['A2', 'self-assessed'],
      ['A3', 'not-yet'],
      ['B1', 'not-yet'],
    ])
    expect(during.stores[0]).toMatchObject({
      inspectedAt: '2026-11-01T00:00:00Z',
      selfAssessedAt: '2026-10-01T00:00:00Z',
    })
    expect(during.cities).toEqual([
      {
        province: '江苏',
        city: '南京',
        total: 3,
        counts: { inspected: 1, 'self-assessed': 1, 'not-yet': 1, overdue: 0 },
      },
      {
        province: '江苏',
        city: '苏州',
        total: 1,
        counts: { inspected: 0, 'self-assessed': 0, 'not-yet': 1, overdue: 0 },
      },
    ])
    const after = submissionStatus(STORES, submitted, '2026-Q4', new Date('2026-12-31T16:00:00Z'))
    expect(after.stores.map((s) => s.state)).toEqual([
      'inspected',
      'self-assessed',
      'overdue',
      'overdue',
    ])
  })
})

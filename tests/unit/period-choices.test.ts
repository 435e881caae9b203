import { describe, expect, it } from 'vitest'
import { isPeriod, periodChoices } from '../../src/domain/period'

describe('the period picker', () => {
  it('offers this quarter first, earlier quarters of this and last year, then the years', () => {
    const got = periodChoices(new Date(2026, 10, 2))
    expect(got).toEqual([
      '2026-Q4',
      '2026-Q3',
      '2026-Q2',
      '2026-Q1',
      '2025-Q4',
      '2025-Q3',
      '2025-Q2',
      '2025-Q1',
      '2026',
      '2025',
    ])
    expect(got.every(isPeriod)).toBe(true)
    // Early in the year: no future quarters.
    expect(periodChoices(new Date(2026, 0, 5)).slice(0, 3)).toEqual([
      '2026-Q1',
      '2025-Q4',
      '2025-Q3',
    ])
  })
})

/** src/i18n/format.ts: figures and dates follow the locale; kept formatters never mix options. */
import { describe, expect, it } from 'vitest'
import {
  formatBytes,
  formatDate,
  formatDateTime,
  formatNumber,
  formatPercent,
  formatScore,
} from '@/i18n/format'

describe('locale formatting', () => {
  it('formats scores, numbers and shares per locale and per number of digits', () => {
    expect(formatScore(8995, 'zh')).toBe('89.95')
    expect(formatNumber(20000, 'zh')).toBe('20,000')
    expect(formatNumber(20000, 'en')).toBe('20,000')
    expect(formatNumber(1.5, 'en', 2)).toBe('1.50')
    // The same locale with other digits or another style is another formatter.
    expect(formatPercent(0.05, 'zh')).toBe('5.0%')
    expect(formatPercent(0.05, 'zh', 0)).toBe('5%')
    expect(formatPercent(0.2, 'en', 2)).toBe('20.00%')
    expect(formatNumber(0.05, 'zh', 1)).toBe('0.1')
    expect(formatBytes(1536, 'en')).toBe('1.5 KB')
  })

  it('formats dates in the local calendar of each language', () => {
    const at = new Date(2026, 11, 2, 9, 5)
    expect(formatDate(at, 'zh')).toBe('2026年12月2日')
    expect(formatDate(at, 'en')).toBe('2 Dec 2026')
    expect(formatDateTime(at, 'zh')).toBe('2026年12月2日 09:05')
    expect(formatDateTime(at, 'en')).toBe('2 Dec 2026, 09:05')
    expect(formatDate('not a date', 'zh')).toBe('—')
    expect(formatDateTime(undefined, 'en')).toBe('—')
  })
})

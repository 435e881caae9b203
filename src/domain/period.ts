import type { Period } from './types'

/**
 * The calendar quarter a moment falls in, e.g. `2026-Q4`. The clock is passed in so the
 * default period of a new evaluation is testable; the local calendar is used because an
 * inspector thinks of "this quarter" in local time, not UTC.
 */
export function quarterOf(now: Date): Period {
  return `${now.getFullYear()}-Q${Math.floor(now.getMonth() / 3) + 1}`
}

/** `2026-Q4` or `2026`: the period labels the app understands. */
export function isPeriod(s: string): boolean {
  return /^\d{4}(-Q[1-4])?$/.test(s)
}

/**
 * The periods offered when starting an evaluation: this quarter first, then the other quarters
 * of this year and last year, newest first, then this year and last year as whole years.
 */
export function periodChoices(now: Date): Period[] {
  const year = now.getFullYear()
  const current = quarterOf(now)
  const quarters: Period[] = []
  for (const y of [year, year - 1])
    for (let q = 4; q >= 1; q--) {
      const p = `${y}-Q${q}`
      if (p <= current && p !== current) quarters.push(p)
    }
  return [current, ...quarters, `${year}`, `${year - 1}`]
}

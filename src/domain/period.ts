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

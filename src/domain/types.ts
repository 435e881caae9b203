/**
 * Shared domain vocabulary. Pure TypeScript: no Vue, Pinia, Dexie, DOM or Node imports
 * (enforced by eslint), so the same code runs in the app, in exports and in the CLI.
 *
 * Points are integer hundredths ("centipoints"): 89.95 is 8995. Arithmetic on them is exact;
 * rounding happens only where a fraction is unavoidable (weight scaling) and for display.
 */

/** Integer hundredths of a point. */
export type Centi = number

export type Locale = 'zh' | 'en'
/** A label in both languages. */
export interface Text {
  zh: string
  en: string
}

export type StoreLevel = 1 | 2 | 3 | 4
/** `self`: self-operated (自营厅); `partner`: social partner store (社会合作厅). */
export type StoreType = 'self' | 'partner'

export interface Store {
  code: string
  name: string
  province: string
  city: string
  district?: string
  level: StoreLevel
  type: StoreType
  address?: string
  openingHours?: string
  /**
   * Closed from this day on (`YYYY-MM-DD`, local calendar): kept with its history, out of the
   * rankings and quotas of every period that starts on or after it (domain/store-register.ts).
   */
  closedOn?: string
}

/** Who made an evaluation: the store's own self-assessment, or an inspection at a level. */
export type Reviewer = 'self' | 'city' | 'province' | 'group'
export const REVIEWERS: readonly Reviewer[] = ['self', 'city', 'province', 'group']

export type Grade = 'excellent' | 'good' | 'pass' | 'fail'
export const GRADES: readonly Grade[] = ['excellent', 'good', 'pass', 'fail']

/** A period label such as `2026-Q4` or `2026`. */
export type Period = string

/**
 * The raw answer to one rubric item. Scores are always computed from answers, never stored
 * in their place.
 * - yesno: `value` is true (meets) / false (fails)
 * - scale: `value` is the points awarded, 0..max in the item's steps
 * - count: `value` is the number of occurrences observed (integer ≥ 0)
 * - measure: `value` is the measured quantity in the item's unit (e.g. minutes)
 * `na` marks the item not applicable (only where the rubric allows it); `value` is then ignored.
 */
export interface Answer {
  itemId: string
  value?: boolean | number | null
  na?: boolean
  note?: string
  photoIds?: string[]
}

export type Answers = Record<string, Answer>

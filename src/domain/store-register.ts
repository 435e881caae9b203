/**
 * Register upkeep rules: which stores a period counts (a closed store stays in the register and
 * in its history, but leaves the rankings and quotas of the periods that start on or after its
 * closing day), and what a re-imported row changes in a store already registered.
 */
import type { Period, Store } from './types'

const DAY = /^\d{4}-\d{2}-\d{2}$/

/** Whether `s` is a calendar day written `YYYY-MM-DD` (2026-02-30 is not). */
export function isDay(s: string): boolean {
  if (!DAY.test(s)) return false
  const [y, m, d] = s.split('-').map(Number) as [number, number, number]
  const date = new Date(Date.UTC(y, m - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
}

/** The first day of a period: `2026-Q4` → `2026-10-01`, `2026` → `2026-01-01`. */
export function periodStart(period: Period): string {
  const m = /^(\d{4})(?:-Q([1-4]))?$/.exec(period)
  if (!m) throw new Error(`not a period: ${period}`)
  const month = m[2] ? (Number(m[2]) - 1) * 3 + 1 : 1
  return `${m[1]}-${String(month).padStart(2, '0')}-01`
}

/**
 * Whether a store counts in a period: open, or closed on a day after the period began (it was
 * open for part of it). A store closed on 2026-10-01 is out of 2026-Q4; closed on 2026-10-02 it
 * is still in 2026-Q4 and out of 2027-Q1.
 */
export function countsIn(store: Store, period: Period): boolean {
  return store.closedOn === undefined || store.closedOn > periodStart(period)
}

/** The register a period's rankings and quotas use: every store that counts in it. */
export function registerFor(register: readonly Store[], period: Period | undefined): Store[] {
  if (period === undefined || !register.some((s) => s.closedOn !== undefined))
    return register as Store[]
  return register.filter((s) => countsIn(s, period))
}

/** The fields a register file can change, in the order a preview lists them. */
export const STORE_CHANGE_FIELDS = [
  'name',
  'province',
  'city',
  'district',
  'level',
  'type',
  'address',
  'openingHours',
] as const
export type StoreChangeField = (typeof STORE_CHANGE_FIELDS)[number]

export interface StoreFieldChange {
  field: StoreChangeField
  from: string | number | null
  to: string | number | null
}

/**
 * The store a re-imported row makes of a registered one: the registered code's spelling (codes
 * differing in case or width are one store) and its closing day are kept, and so is every
 * optional field whose column the file does not have (`columns`). A column that is there but
 * empty clears the field.
 */
export function updatedStore(
  registered: Store,
  incoming: Store,
  columns: ReadonlySet<StoreChangeField>,
): Store {
  const out: Store = { ...registered, ...incoming, code: registered.code }
  for (const f of ['district', 'address', 'openingHours'] as const) {
    if (!columns.has(f)) {
      if (registered[f] !== undefined) out[f] = registered[f]
    } else if (incoming[f] === undefined) delete out[f]
  }
  if (registered.closedOn !== undefined) out.closedOn = registered.closedOn
  return out
}

/** What changes from `before` to `after`, field by field (empty: the same store). */
export function storeChanges(before: Store, after: Store): StoreFieldChange[] {
  const out: StoreFieldChange[] = []
  for (const field of STORE_CHANGE_FIELDS) {
    const from = before[field] ?? null
    const to = after[field] ?? null
    if (from !== to) out.push({ field, from, to })
  }
  return out
}

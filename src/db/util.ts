/** Small helpers shared by the repositories. */
import type { Answer } from '@/domain/types'

/** The clock, passed in so tests can fix time. */
export type Clock = () => Date

export const systemClock: Clock = () => new Date()

export function newId(): string {
  return crypto.randomUUID()
}

/**
 * A plain copy of an answer. Callers may hand in Vue reactive proxies, which IndexedDB cannot
 * clone; rebuilding the object (and its photoIds array) leaves only plain data.
 */
export function plainAnswer(a: Answer): Answer {
  const out: Answer = { itemId: a.itemId }
  if (a.value !== undefined) out.value = a.value
  if (a.na !== undefined) out.na = a.na
  if (a.note !== undefined) out.note = a.note
  if (a.photoIds !== undefined) out.photoIds = [...a.photoIds]
  return out
}

/**
 * A deep copy of the plain objects and arrays in `value`, everything else (ArrayBuffer, typed
 * arrays, Date, CryptoKey) kept as is. The repositories write through this, so a caller may hand
 * them Vue's reactive proxies, which IndexedDB's structured clone refuses.
 */
export function plain<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => plain(v)) as T
  if (value !== null && typeof value === 'object') {
    const proto: unknown = Object.getPrototypeOf(value)
    if (proto !== Object.prototype && proto !== null) return value
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = plain(v)
    return out as T
  }
  return value
}

/** A copy of `o` without `keys` (records read from files may carry fields we do not name). */
export function omit<T extends object>(o: T, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)))
}

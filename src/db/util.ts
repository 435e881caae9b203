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

/** Item ids may contain dots, which a Dexie key-path update would read as nesting. */
export function isKeyPathSafe(id: string): boolean {
  return !id.includes('.')
}

/**
 * The answer rules every screen, the submit check and the engine share: whether an item is
 * answered, and whether an answer carries the evidence its rule asks for.
 */
import type { Evidence } from './rubric-schema'
import type { Answer } from './types'

/** Answered: marked N/A, or given a value (false and 0 count; null and absent do not). */
export function isAnswered(a: Answer | undefined): a is Answer {
  return a !== undefined && (a.na === true || (a.value !== undefined && a.value !== null))
}

/** The evidence rule: a photo, a note (not blank), either, or nothing. */
export function hasEvidence(rule: Evidence, a: Answer | undefined): boolean {
  const photo = (a?.photoIds?.length ?? 0) > 0
  const text = (a?.note?.trim().length ?? 0) > 0
  switch (rule) {
    case 'none':
      return true
    case 'photo':
      return photo
    case 'note':
      return text
    case 'photo-or-note':
      return photo || text
  }
}

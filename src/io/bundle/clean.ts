/**
 * The text of an opened bundle, cleaned as the form and the file import clean what is typed or
 * read (domain/text-clean.ts): bidi controls, zero-width and control characters removed, so a
 * store name, a note or an evaluator's name from another device can never read differently
 * from what it holds. Runs on the records after their hashes and signature were checked (those
 * cover the bytes as sent), before anything is previewed or stored. Codes and ids are left as
 * they are: they are checked against their own alphabets, and changing one would break links.
 */
import { cleanMultiline, cleanText } from '../../domain/text-clean'
import type { Store } from '../../domain/types'
import type { CertificationEntry, CorrectiveAction, Evaluation } from '../../domain/records'

const line = (s: string): string => cleanText(s).text
const optionalLine = (s: string | undefined): string | undefined =>
  s === undefined ? undefined : line(s)

/** Copies `record` with `fields` replaced, leaving absent optional fields absent. */
function withFields<T extends object>(record: T, fields: Partial<T>): T {
  const out = { ...record }
  for (const [k, v] of Object.entries(fields) as [keyof T, T[keyof T] | undefined][])
    if (v !== undefined) out[k] = v
  return out
}

export function cleanStore(s: Store): Store {
  return withFields(s, {
    name: line(s.name),
    province: line(s.province),
    city: line(s.city),
    district: optionalLine(s.district),
    address: optionalLine(s.address),
    openingHours: optionalLine(s.openingHours),
  })
}

export function cleanEvaluation<R>(e: Evaluation<R>): Evaluation<R> {
  const answers: Evaluation<R>['answers'] = {}
  for (const [itemId, a] of Object.entries(e.answers))
    answers[itemId] = a.note === undefined ? a : { ...a, note: cleanMultiline(a.note) }
  const signatures = e.signatures && { ...e.signatures }
  if (signatures)
    for (const role of ['inspector', 'manager'] as const) {
      const sig = signatures[role]
      if (sig) signatures[role] = { ...sig, name: line(sig.name) }
    }
  return withFields(e, {
    evaluatorName: line(e.evaluatorName),
    answers,
    returnedReason: e.returnedReason === undefined ? undefined : cleanMultiline(e.returnedReason),
    signatures,
  })
}

export function cleanCertification(c: CertificationEntry): CertificationEntry {
  const p = c.payload
  const payload =
    p !== null && typeof p === 'object' && typeof (p as { reason?: unknown }).reason === 'string'
      ? { ...p, reason: cleanMultiline((p as { reason: string }).reason) }
      : p
  return { ...c, unit: line(c.unit), actor: line(c.actor), payload }
}

export function cleanAction(a: CorrectiveAction): CorrectiveAction {
  return {
    ...a,
    what: cleanMultiline(a.what),
    who: line(a.who),
    evidenceNote: a.evidenceNote === null ? null : cleanMultiline(a.evidenceNote),
  }
}

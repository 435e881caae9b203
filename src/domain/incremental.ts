/**
 * Incremental bundles (issue 17 item 7): a bundle that carries only what changed since the last
 * bundle sent to the same receiver, or since a date. Pure: src/db fingerprints the records
 * (a hash of each record's canonical JSON) and keeps, per receiver, the fingerprints of what it
 * sent (`bundleReceivers`); this file decides what an incremental bundle holds.
 *
 * - Since the last bundle to a receiver: a record goes when its fingerprint differs from the one
 *   last sent to that receiver (new or changed). Clocks play no part, so an evaluation imported
 *   from a third device after the last bundle goes too, whatever its own times say. The first
 *   bundle to a receiver carries everything (it is not marked incremental).
 * - Since a date: the evaluations updated, the log entries made and the actions raised or done at
 *   or after it (the times the records carry).
 * Either way the stores the carried records belong to go with them (a receiver may not have
 * them yet), and the photos the carried evaluations and actions own or cite.
 */
import type { CertificationEntry, CorrectiveAction, Evaluation } from './records'
import type { Store } from './types'

export interface ReceiverMemory {
  /** When the last bundle to this receiver was made (ISO 8601). */
  at: string
  /** `kind:id` → fingerprint of every record sent to it so far. */
  sent: Record<string, string>
}

/** Receiver name (as the user typed it) → what it was sent. */
export type BundleReceivers = Record<string, ReceiverMemory>

export type Incremental = { receiver: string } | { since: string }

export interface ScopeRecords<E extends Evaluation> {
  stores: readonly Store[]
  evaluations: readonly E[]
  certification: readonly CertificationEntry[]
  actions: readonly CorrectiveAction[]
}

export interface IncrementalPick<E extends Evaluation> {
  stores: Store[]
  evaluations: E[]
  certification: CertificationEntry[]
  actions: CorrectiveAction[]
  /** What the manifest says: null when the bundle is full (first bundle to a receiver). */
  since: string | null
}

export const recordKey = (kind: string, id: string): string => `${kind}:${id}`

/** The receiver name as kept: trimmed, inner spaces collapsed; empty is no receiver. */
export function receiverName(raw: string): string {
  return raw.trim().replace(/\s+/g, ' ').slice(0, 100)
}

const atOrAfter = (t: string | null | undefined, since: number) =>
  t !== null && t !== undefined && Date.parse(t) >= since

/**
 * What an incremental bundle of `scope` holds. `fingerprint(kind, id)` gives a record's current
 * fingerprint (receiver mode only), `memory` what the receiver was sent.
 */
export function pickIncremental<E extends Evaluation>(
  scope: ScopeRecords<E>,
  mode: Incremental,
  fingerprint: (kind: string, id: string) => string,
  memory: ReceiverMemory | undefined,
): IncrementalPick<E> {
  let changed: (kind: string, id: string, at: () => (string | null | undefined)[]) => boolean
  let since: string | null
  if ('since' in mode) {
    const t = Date.parse(mode.since)
    since = new Date(t).toISOString()
    changed = (_k, _id, at) => at().some((x) => atOrAfter(x, t))
  } else {
    if (!memory)
      return {
        stores: [...scope.stores],
        evaluations: [...scope.evaluations],
        certification: [...scope.certification],
        actions: [...scope.actions],
        since: null,
      }
    since = memory.at
    changed = (kind, id) => memory.sent[recordKey(kind, id)] !== fingerprint(kind, id)
  }
  const evaluations = scope.evaluations.filter((e) =>
    changed('evaluation', e.id, () => [e.updatedAt, e.submittedAt, e.setAside?.at]),
  )
  const certification = scope.certification.filter((c) =>
    changed('certification', c.id, () => [c.at]),
  )
  const actions = scope.actions.filter((a) =>
    changed('action', a.id, () => [a.createdAt, a.doneAt]),
  )
  const needed = new Set([
    ...evaluations.map((e) => e.storeCode),
    ...actions.map((a) => a.storeCode),
    ...certification.flatMap((c) => (c.storeCode ? [c.storeCode] : [])),
  ])
  const stores = scope.stores.filter(
    (s) => needed.has(s.code) || ('receiver' in mode && changed('store', s.code, () => [])),
  )
  return { stores, evaluations, certification, actions, since }
}

/** The receiver's memory after a bundle made `at` carried these fingerprints. */
export function rememberSent(
  memory: ReceiverMemory | undefined,
  at: string,
  carried: Readonly<Record<string, string>>,
): ReceiverMemory {
  return { at, sent: { ...(memory?.sent ?? {}), ...carried } }
}

/** How many records an incremental bundle carries (photos included). */
export function changeCount(pick: Omit<IncrementalPick<Evaluation>, 'since'>, photos: number) {
  return (
    pick.stores.length +
    pick.evaluations.length +
    pick.certification.length +
    pick.actions.length +
    photos
  )
}

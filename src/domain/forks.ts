/**
 * Revisions that cannot fork, and the origin-device rule (issue 17 item 6, issue 15 item 5).
 *
 * A reopened evaluation is a new record (revision + 1, `revisionOf` naming the one it revises).
 * Two devices that reopen the same submitted evaluation make two such records with different
 * ids: a fork. Neither may win silently. The bundle import shows the second as a conflict with
 * the first and the sync server refuses it (outcome `conflict`, reason `forked`); the revision
 * the user does not keep is not deleted but set aside (`setAside`): it stays in history, travels
 * in bundles and backups, and the results projection leaves it out, so rankings count only the
 * revision chosen.
 *
 * `originDevice` is the device that created an evaluation (set at creation and at reopen, never
 * changed). A bundle's change to an evaluation whose origin is not the bundle's sender (the
 * evaluation of a third device, or this device's own) is a conflict the user resolves, never an
 * automatic update. Records from before the field (no `originDevice`) keep the old rule: the
 * copy further along wins.
 */
import { planRecords, type PlannedItem } from './merge'
import type { Evaluation } from './records'

/** Why an evaluation is not counted: the user kept another revision of the same base. */
export interface SetAside {
  /** The revision kept instead. */
  for: string
  /** When the user decided (ISO 8601). */
  at: string
}

export function isSetAside(e: Pick<Evaluation, 'setAside'>): boolean {
  return e.setAside !== undefined && e.setAside !== null
}

/** The evaluation as set aside in favour of `keptId`. */
export function setAsideFor<E extends Evaluation>(e: E, keptId: string, at: string): E {
  return { ...e, setAside: { for: keptId, at } }
}

/**
 * The revision `incoming` forks from, if any: another record revising the same evaluation
 * (same `revisionOf`, another id), neither of the two set aside.
 */
export function forkSibling<E extends Evaluation>(
  incoming: Evaluation,
  siblings: readonly E[],
): E | undefined {
  if (incoming.revisionOf === null || isSetAside(incoming)) return undefined
  return siblings.find(
    (s) => s.id !== incoming.id && s.revisionOf === incoming.revisionOf && !isSetAside(s),
  )
}

/**
 * Whether a change to `local` arriving from `sender` is a change to another device's evaluation:
 * the local copy names its origin and the sender is not that device, or the incoming copy names
 * another origin (a rewritten field). False when the local copy has no origin (older records).
 */
export function changesOtherDevice(
  local: Pick<Evaluation, 'originDevice'>,
  incoming: Pick<Evaluation, 'originDevice'>,
  sender: string,
): boolean {
  if (local.originDevice === undefined) return false
  return sender !== local.originDevice || incoming.originDevice !== local.originDevice
}

/**
 * The plan for a bundle's evaluations: the merge rules of merge.ts, then the two rules above.
 * `local` looks a record up by id; `siblings` gives the local records revising an evaluation.
 * Incoming revisions of one base are siblings of each other too (the first one planned stands
 * for the base, the next is a conflict with it).
 */
export function planEvaluations<E extends Evaluation>(
  incoming: readonly E[],
  local: (id: string) => E | undefined,
  siblings: (revisionOf: string) => readonly E[],
  sender: string,
): PlannedItem<'evaluation', E>[] {
  const planned = new Map<string, E[]>()
  return planRecords('evaluation', incoming, (e) => e.id, local).map((item) => {
    const e = item.incoming
    if (item.verdict === 'update' && item.local && changesOtherDevice(item.local, e, sender))
      return { ...item, verdict: 'conflict', reason: 'other-device' }
    if (item.verdict === 'add' && e.revisionOf !== null) {
      const earlier = planned.get(e.revisionOf) ?? []
      const sibling = forkSibling(e, [...siblings(e.revisionOf), ...earlier])
      earlier.push(e)
      planned.set(e.revisionOf, earlier)
      if (sibling) return { ...item, verdict: 'conflict', local: sibling, reason: 'fork' }
    }
    return item
  })
}

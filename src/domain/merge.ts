/**
 * Merge rules for importing a bundle: each incoming record is compared with the local record of
 * the same id and classified. Pure: the database layer fetches the local records, asks here, and
 * writes what the plan says in one transaction.
 *
 * - add:      no local record with that id.
 * - same:     identical content (editSeq, a per-device write counter, is ignored) — nothing to do,
 *             which is what makes importing the same bundle twice a no-op.
 * - update:   the incoming record is further along: a higher revision, or a later state
 *             (draft → submitted → returned; corrective action open → done).
 * - older:    the local record is further along; it is kept and the incoming one is listed, so
 *             nothing is dropped without the user seeing it.
 * - conflict: same revision and state but different content — the record was changed on two
 *             devices (two edited drafts, or two different submitted texts). Shown side by side;
 *             the user chooses; until then the local record stays.
 *
 * Records never delete each other: a reopened evaluation is a new record (revision + 1) that
 * points at the one it revises, so both revisions arrive as separate adds. Two revisions of the
 * same base from two devices (a fork) and changes to another device's evaluation are conflicts
 * too (forks.ts, `planEvaluations`).
 */

import type { CertificationEntry, CorrectiveAction, Evaluation, Photo } from './records'
import type { Store } from './types'

export type RecordKind = 'store' | 'evaluation' | 'certification' | 'action' | 'photo'
export type Verdict = 'add' | 'update' | 'same' | 'older' | 'conflict'
export type Choice = 'local' | 'incoming'

/** One planned record of kind `K`: its verdict, the incoming copy and the local one, if any. */
export interface PlannedItem<K extends RecordKind = RecordKind, T = unknown> {
  kind: K
  id: string
  verdict: Verdict
  incoming: T
  local?: T
  /**
   * Why a record is a conflict beyond "changed on two devices": `fork`, a second revision of
   * the same base (`local` is then the other revision, another id); `other-device`, a change
   * to an evaluation whose origin is not the sender (domain/forks.ts).
   */
  reason?: 'fork' | 'other-device'
}

/** A photo as the merge compares it: metadata plus the SHA-256 of its bytes. */
export type PhotoDescriptor = Omit<Photo, 'bytes' | 'thumbBytes'> & { sha256: string }

/** The record each kind of a bundle carries. */
export interface MergeRecords {
  store: Store
  evaluation: Evaluation
  certification: CertificationEntry
  action: CorrectiveAction
  photo: PhotoDescriptor
}

/** A planned record of a bundle, discriminated by `kind`: `incoming` has that kind's type. */
export type MergeItem = { [K in RecordKind]: PlannedItem<K, MergeRecords[K]> }[RecordKind]

export type MergeCounts = Record<Verdict, number>

/** Stable JSON: object keys sorted, so records read back from IndexedDB compare equal to parsed JSON. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>
      return Object.fromEntries(
        Object.keys(o)
          .sort()
          .map((k) => [k, o[k]]),
      )
    }
    return v
  })
}

/** Fields that differ between devices without the record having changed. */
const VOLATILE: Partial<Record<RecordKind, readonly string[]>> = { evaluation: ['editSeq'] }

export function sameContent(kind: RecordKind, a: unknown, b: unknown): boolean {
  const drop = VOLATILE[kind]
  if (!drop) return canonical(a) === canonical(b)
  const strip = (r: unknown) =>
    Object.fromEntries(
      Object.entries(r as Record<string, unknown>).filter(([k]) => !drop.includes(k)),
    )
  return canonical(strip(a)) === canonical(strip(b))
}

const EVALUATION_STATE: Record<string, number> = { draft: 0, submitted: 1, returned: 2 }
const ACTION_STATE: Record<string, number> = { open: 0, done: 1 }

/** How far along a record is; a larger tuple wins. Kinds without a progression return []. */
function progress(kind: RecordKind, r: unknown): number[] {
  const rec = r as Record<string, unknown>
  // A revision set aside in favour of another (forks.ts) is further along than the same
  // revision not yet set aside, so the decision travels.
  if (kind === 'evaluation')
    return [
      Number(rec.revision ?? 1),
      EVALUATION_STATE[String(rec.status)] ?? 0,
      rec.setAside ? 1 : 0,
    ]
  if (kind === 'action') return [ACTION_STATE[String(rec.status)] ?? 0]
  return []
}

function compareTuples(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

export function classify<T>(kind: RecordKind, local: T | undefined, incoming: T): Verdict {
  if (local === undefined) return 'add'
  if (sameContent(kind, local, incoming)) return 'same'
  const d = compareTuples(progress(kind, incoming), progress(kind, local))
  if (d > 0) return 'update'
  if (d < 0) return 'older'
  return 'conflict'
}

/** Classifies every incoming record; `local` looks a record up by id. */
export function planRecords<K extends RecordKind, T>(
  kind: K,
  incoming: readonly T[],
  idOf: (r: T) => string,
  local: (id: string) => T | undefined,
): PlannedItem<K, T>[] {
  return incoming.map((r) => {
    const id = idOf(r)
    const l = local(id)
    const item: PlannedItem<K, T> = { kind, id, verdict: classify(kind, l, r), incoming: r }
    if (l !== undefined) item.local = l
    return item
  })
}

export function countVerdicts(items: readonly Pick<PlannedItem, 'verdict'>[]): MergeCounts {
  const c: MergeCounts = { add: 0, update: 0, same: 0, older: 0, conflict: 0 }
  for (const i of items) c[i.verdict]++
  return c
}

export function choiceKey(kind: RecordKind, id: string): string {
  return `${kind}:${id}`
}

/** Whether the plan writes this item: adds and updates always, conflicts when the user took the incoming side. */
export function takesIncoming(
  item: Pick<PlannedItem, 'kind' | 'id' | 'verdict'>,
  choices: Readonly<Record<string, Choice>>,
): boolean {
  if (item.verdict === 'add' || item.verdict === 'update') return true
  return item.verdict === 'conflict' && choices[choiceKey(item.kind, item.id)] === 'incoming'
}

/**
 * The merge applied to an in-memory table (what the database layer does inside its
 * transaction). Used by the property tests and the benchmark's in-memory target.
 */
export function mergeInto<T>(
  kind: RecordKind,
  table: ReadonlyMap<string, T>,
  incoming: readonly T[],
  idOf: (r: T) => string,
  choices: Readonly<Record<string, Choice>> = {},
): Map<string, T> {
  const out = new Map(table)
  for (const item of planRecords(kind, incoming, idOf, (id) => out.get(id))) {
    if (takesIncoming(item, choices)) out.set(item.id, item.incoming)
  }
  return out
}

export interface FieldDiff {
  path: string
  local: unknown
  incoming: unknown
}

function flatten(value: unknown, prefix: string, depth: number, out: Map<string, unknown>): void {
  if (depth > 0 && value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      flatten(v, prefix ? `${prefix}.${k}` : k, depth - 1, out)
  } else {
    out.set(prefix, value)
  }
}

/** The fields in which two versions of a record differ, for the side-by-side conflict view. */
export function diffFields(kind: RecordKind, local: unknown, incoming: unknown): FieldDiff[] {
  const a = new Map<string, unknown>()
  const b = new Map<string, unknown>()
  // Evaluations nest answers two levels down (answers.<item>.value): show those individually.
  const depth = kind === 'evaluation' ? 3 : 2
  flatten(local, '', depth, a)
  flatten(incoming, '', depth, b)
  const volatile = VOLATILE[kind] ?? []
  const paths = [...new Set([...a.keys(), ...b.keys()])].filter((p) => !volatile.includes(p)).sort()
  return paths
    .filter((p) => canonical(a.get(p)) !== canonical(b.get(p)))
    .map((p) => ({ path: p, local: a.get(p), incoming: b.get(p) }))
}

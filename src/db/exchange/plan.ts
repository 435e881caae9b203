/**
 * Classifying every record of a bundle against this device's database (the merge rules are in
 * domain/merge.ts), and the preview counts built from that plan.
 */
import { sha256Hex, type Manifest, type OpenBundle, type PhotoMeta } from '@/io/bundle'
import {
  countVerdicts,
  planRecords,
  type MergeCounts,
  type MergeItem,
  type PhotoDescriptor,
  type RecordKind,
} from '@/domain/merge'
import { planEvaluations } from '@/domain/forks'
import type { Store } from '@/domain/types'
import type { CertificationEntry, CorrectiveAction, Evaluation, Photo } from '@/domain/records'
import type { AppDatabase } from '../rows'
import { omit } from '../util'
import type { SignerInfo, TrustProblem } from './trust'
import type { ResultMismatch } from '@/domain/bundle-checks'

export interface ImportPreview {
  manifest: Manifest
  byKind: Record<RecordKind, MergeCounts>
  totals: MergeCounts
  /** Records changed on two devices: shown side by side, the user picks a side for each. */
  conflicts: MergeItem[]
  /** Incoming records older than the local ones: kept local, listed so nothing vanishes unseen. */
  older: MergeItem[]
  /** Who signed it, and whether that device was seen before with the same key. */
  signer: SignerInfo | null
  /** Set when the signature contradicts the sender's pinned key: refused unless accepted. */
  trustProblem: TrustProblem | null
  /** Evaluations whose claimed result differs from what their answers give (recomputed kept). */
  recomputed: ResultMismatch[]
  /** Store code → name for the stores the conflicts concern (the bundle's, else this device's). */
  storeNames: Record<string, string>
}

const KINDS: RecordKind[] = ['store', 'evaluation', 'certification', 'action', 'photo']

function describeIncoming(p: PhotoMeta): PhotoDescriptor {
  return omit(p, ['file', 'thumbFile']) as PhotoDescriptor
}

async function describeLocal(p: Photo): Promise<PhotoDescriptor> {
  return {
    ...(omit(p, ['bytes', 'thumbBytes']) as Omit<Photo, 'bytes' | 'thumbBytes'>),
    sha256: await sha256Hex(new Uint8Array(p.bytes)),
  }
}

function byId<T>(rows: (T | undefined)[], idOf: (r: T) => string): Map<string, T> {
  return new Map(rows.filter((r): r is T => r !== undefined).map((r) => [idOf(r), r]))
}

/** The preview of a plan: counts by kind, the conflicts to decide and the older records kept. */
export function previewOf(
  manifest: Manifest,
  items: MergeItem[],
  signer: SignerInfo | null,
  checks: {
    trustProblem: TrustProblem | null
    recomputed: ResultMismatch[]
    storeNames?: Record<string, string>
  } = {
    trustProblem: null,
    recomputed: [],
  },
): ImportPreview {
  const byKind = Object.fromEntries(
    KINDS.map((k) => [k, countVerdicts(items.filter((i) => i.kind === k))]),
  ) as Record<RecordKind, MergeCounts>
  return {
    manifest,
    signer,
    storeNames: {},
    ...checks,
    byKind,
    totals: countVerdicts(items),
    conflicts: items.filter((i) => i.verdict === 'conflict'),
    older: items.filter((i) => i.verdict === 'older'),
  }
}

/**
 * Classifies every record of the bundle against the database. `wait` wraps non-IndexedDB
 * promises (hashing a local photo) so that inside a transaction it stays alive.
 */
export async function planAll(
  db: AppDatabase,
  bundle: OpenBundle,
  wait: <T>(p: Promise<T>) => Promise<T>,
): Promise<MergeItem[]> {
  const local = async <T>(
    table: { bulkGet(keys: string[]): Promise<(T | undefined)[]> },
    ids: string[],
    idOf: (r: T) => string,
  ) => byId(await table.bulkGet(ids), idOf)

  const stores = await local<Store>(
    db.stores,
    bundle.stores.map((s) => s.code),
    (s) => s.code,
  )
  const evals = await local<Evaluation>(
    db.evaluations,
    bundle.evaluations.map((e) => e.id),
    (e) => e.id,
  )
  // The local revisions of every base an incoming revision revises (forks, domain/forks.ts).
  const bases = [...new Set(bundle.evaluations.flatMap((e) => e.revisionOf ?? []))]
  const revising = new Map<string, Evaluation[]>()
  for (const r of bases.length
    ? await db.evaluations.where('revisionOf').anyOf(bases).toArray()
    : [])
    revising.set(r.revisionOf!, [...(revising.get(r.revisionOf!) ?? []), r])
  const certs = await local<CertificationEntry>(
    db.certification,
    bundle.certification.map((c) => c.id),
    (c) => c.id,
  )
  const acts = await local<CorrectiveAction>(
    db.actions,
    bundle.actions.map((a) => a.id),
    (a) => a.id,
  )
  const photos = new Map<string, PhotoDescriptor>()
  for (const p of bundle.photos) {
    // One photo at a time: comparing thousands must not load all their bytes together.
    const row = await db.photos.get(p.id)
    if (row) photos.set(p.id, await wait(describeLocal(row)))
  }
  return [
    ...planRecords(
      'store',
      bundle.stores,
      (s) => s.code,
      (id) => stores.get(id),
    ),
    ...planEvaluations(
      bundle.evaluations,
      (id) => evals.get(id),
      (base) => revising.get(base) ?? [],
      bundle.manifest.exportedBy.deviceId,
    ),
    ...planRecords(
      'certification',
      bundle.certification,
      (c) => c.id,
      (id) => certs.get(id),
    ),
    ...planRecords(
      'action',
      bundle.actions,
      (a) => a.id,
      (id) => acts.get(id),
    ),
    ...planRecords(
      'photo',
      bundle.photos.map(describeIncoming),
      (p) => p.id,
      (id) => photos.get(id),
    ),
  ]
}

/**
 * Export and import of exchange bundles against this device's database.
 *
 * Import is two steps: preview (what would be added, updated, left alone, and what conflicts)
 * and apply, which writes everything in ONE transaction over every table: if anything fails
 * (storage full, a photo that no longer matches its checksum) nothing of the bundle is kept.
 * Photos are read from the file inside that transaction one at a time; Dexie.waitFor keeps the
 * IndexedDB transaction alive while the file is read.
 */
import { Dexie } from 'dexie'
import {
  readBundle,
  sha256Hex,
  writeBundle,
  type BundleInfo,
  type ByteSource,
  type ChunkSink,
  type Manifest,
  type OpenBundle,
  type PhotoMeta,
  type ReadOptions,
  type ReadResult,
  type BundleContent,
  type DeviceKey,
  generateDeviceKey,
  signerFor,
} from '@/io/bundle'
import {
  choiceKey,
  countVerdicts,
  planRecords,
  takesIncoming,
  type Choice,
  type MergeCounts,
  type MergeItem,
  type RecordKind,
} from '@/domain/merge'
import {
  exportPhotoIds,
  exportScope,
  importedEvaluation,
  markExported,
  signerTrust,
  trustAfterImport,
  type SignerTrust,
} from '@/domain/exchange-rules'
import { rubricKey } from '@/domain/rubric-registry'
import type { Rubric } from '@/domain/rubric-schema'
import type { Store } from '@/domain/types'
import type { CertificationEntry, CorrectiveAction, Evaluation, Photo } from '@/domain/records'
import type { AppDatabase, EvaluationRow, MetaKey } from './database'
import { guardQuota } from './errors'
import { createMetaRepo } from './meta.repo'
import { syncResults } from './results'
import { systemClock, type Clock } from './util'

/** Meta rows this module keeps (documented on MetaKey in database.ts). */
export const EXPORTED_KEY = 'exportedEvaluations' satisfies MetaKey
export const IMPORTED_RUBRICS_KEY = 'importedRubrics' satisfies MetaKey
export const TRUSTED_DEVICES_KEY = 'trustedDevices' satisfies MetaKey
export const DEVICE_KEY = 'deviceKey' satisfies MetaKey

export type { SignerTrust } from '@/domain/exchange-rules'

export type RubricLookup = (id: string, version: string) => Rubric | undefined

export interface ExportSelection {
  province?: string
  city?: string
  /** Explicit store codes; when given, province and city only label the bundle. */
  storeCodes?: string[]
  /** A period such as `2026-Q4`; null or absent: every period. */
  period?: string | null
}

export interface ImportPreview {
  manifest: Manifest
  byKind: Record<RecordKind, MergeCounts>
  totals: MergeCounts
  /** Records changed on two devices: shown side by side, the user picks a side for each. */
  conflicts: MergeItem[]
  /** Incoming records older than the local ones: kept local, listed so nothing vanishes unseen. */
  older: MergeItem[]
  /** Who signed it, and whether that device was seen before with the same key. */
  signer: { deviceId: string; fingerprint: string; trust: SignerTrust } | null
}

export interface ImportResult {
  written: Record<RecordKind, number>
  keptLocal: number
  rubricsAdded: number
}

const KINDS: RecordKind[] = ['store', 'evaluation', 'certification', 'action', 'photo']

/** Every table a bundle import or a backup restore writes, locked together in one transaction. */
export function bundleTables(db: AppDatabase) {
  return [db.stores, db.evaluations, db.results, db.photos, db.actions, db.certification, db.meta]
}

/** A photo as the merge compares it: metadata plus the SHA-256 of its bytes. */
type PhotoDescriptor = Omit<Photo, 'bytes' | 'thumbBytes'> & { sha256: string }

/** A copy of `o` without `keys` (records read from files may carry fields we do not name). */
export function omit<T extends object>(o: T, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)))
}

function describeIncoming(p: PhotoMeta): PhotoDescriptor {
  return omit(p, ['file', 'thumbFile']) as PhotoDescriptor
}

async function describeLocal(p: Photo): Promise<PhotoDescriptor> {
  return {
    ...(omit(p, ['bytes', 'thumbBytes']) as Omit<Photo, 'bytes' | 'thumbBytes'>),
    sha256: await sha256Hex(new Uint8Array(p.bytes)),
  }
}

function toArrayBuffer(u: Uint8Array): ArrayBuffer {
  return u.slice().buffer
}

function byId<T>(rows: (T | undefined)[], idOf: (r: T) => string): Map<string, T> {
  return new Map(rows.filter((r): r is T => r !== undefined).map((r) => [idOf(r), r]))
}

export function createExchangeRepo(db: AppDatabase, clock: Clock = systemClock) {
  const meta = createMetaRepo(db)

  const importedRubrics = (): Promise<Rubric[]> => meta.importedRubrics()

  /** Shipped rubrics first, then those that arrived in earlier bundles. */
  async function rubricLookup(shipped: RubricLookup): Promise<RubricLookup> {
    const extra = new Map((await importedRubrics()).map((r) => [rubricKey(r.id, r.version), r]))
    return (id, version) => shipped(id, version) ?? extra.get(rubricKey(id, version))
  }

  async function selectStores(sel: ExportSelection): Promise<Store[]> {
    if (sel.storeCodes?.length)
      return (await db.stores.bulkGet(sel.storeCodes)).filter((s): s is Store => s !== undefined)
    if (sel.province && sel.city)
      return db.stores.where('[province+city]').equals([sel.province, sel.city]).toArray()
    if (sel.province) return db.stores.where('province').equals(sel.province).toArray()
    return db.stores.toArray()
  }

  /** What an exchange bundle for this selection holds; photos are read later, one at a time. */
  async function exportContent(sel: ExportSelection, rubric: RubricLookup): Promise<BundleContent> {
    const stores = await selectStores(sel)
    const codes = stores.map((s) => s.code)
    const scope = exportScope({
      stores,
      evaluations: await db.evaluations.where('storeCode').anyOf(codes).toArray(),
      certification: await db.certification.toArray(),
      actions: await db.actions.where('storeCode').anyOf(codes).toArray(),
      period: sel.period ?? null,
    })
    const { evaluations, certification, actions } = scope
    const owned = await db.photos
      .where('evaluationId')
      .anyOf(evaluations.map((e) => e.id))
      .primaryKeys()
    const photoIds = exportPhotoIds(owned, evaluations, actions)
    const rubrics = scope.rubricKeys
      .map((k) => {
        const [id, version] = k.split('@') as [string, string]
        return rubric(id, version)
      })
      .filter((r): r is Rubric => r !== undefined)
    return {
      stores,
      rubrics,
      evaluations,
      certification,
      actions,
      photoIds,
      readPhoto: (id) => db.photos.get(id),
    }
  }

  async function trusted(): Promise<Record<string, string>> {
    return (
      ((await db.meta.get(TRUSTED_DEVICES_KEY))?.value as Record<string, string> | undefined) ?? {}
    )
  }

  return {
    importedRubrics,
    rubricLookup,

    /** This device's signing key, made on first use (non-extractable private key). */
    async deviceKey(): Promise<DeviceKey> {
      const row = (await db.meta.get(DEVICE_KEY))?.value as DeviceKey | undefined
      if (row?.privateKey) return row
      const key = await generateDeviceKey()
      await db.meta.put({ key: DEVICE_KEY, value: key })
      return key
    },

    /**
     * Writes the bundle to `sink` and records which evaluations it carried (for the backup
     * reminder's "unsent" count).
     */
    async exportBundle(
      sel: ExportSelection,
      shipped: RubricLookup,
      sink: ChunkSink,
      who: { evaluator?: string; app?: string; key?: DeviceKey } = {},
    ): Promise<Manifest> {
      const content = await exportContent(sel, await rubricLookup(shipped))
      const info: BundleInfo = {
        kind: 'exchange',
        exportedAt: clock().toISOString(),
        deviceId: await meta.deviceId(),
        ...(who.evaluator !== undefined ? { evaluator: who.evaluator } : {}),
        ...(who.app !== undefined ? { app: who.app } : {}),
        ...(who.key ? { sign: signerFor(who.key) } : {}),
        scope: {
          ...(sel.province ? { province: sel.province } : {}),
          ...(sel.city ? { city: sel.city } : {}),
          ...(sel.storeCodes?.length ? { storeCodes: sel.storeCodes } : {}),
          period: sel.period ?? null,
        },
      }
      const manifest = await writeBundle(content, info, sink)
      await db.transaction('rw', db.meta, async () => {
        const prev =
          ((await db.meta.get(EXPORTED_KEY))?.value as Record<string, string> | undefined) ?? {}
        const next = markExported(prev, content.evaluations, info.exportedAt)
        await db.meta.put({ key: EXPORTED_KEY, value: next })
      })
      return manifest
    },

    /** Validates a bundle file against what this device knows (its rubrics). */
    async open(
      src: ByteSource,
      shipped: RubricLookup,
      opts: Omit<ReadOptions, 'localRubric'> = {},
    ): Promise<ReadResult> {
      return readBundle(src, {
        expectKind: 'exchange',
        ...opts,
        localRubric: await rubricLookup(shipped),
      })
    },

    async preview(bundle: OpenBundle): Promise<ImportPreview> {
      const items = await planAll(db, bundle, (p) => p)
      const byKind = Object.fromEntries(
        KINDS.map((k) => [k, countVerdicts(items.filter((i) => i.kind === k))]),
      ) as Record<RecordKind, MergeCounts>
      const deviceId = bundle.manifest.exportedBy.deviceId
      const signer = bundle.signer
        ? {
            deviceId,
            fingerprint: bundle.signer.fingerprint,
            trust: signerTrust(await trusted(), deviceId, bundle.signer.fingerprint),
          }
        : null
      return {
        manifest: bundle.manifest,
        signer,
        byKind,
        totals: countVerdicts(items),
        conflicts: items.filter((i) => i.verdict === 'conflict'),
        older: items.filter((i) => i.verdict === 'older'),
      }
    },

    /**
     * Applies the bundle in one transaction. The plan is worked out again inside it, against the
     * database as it is now; a conflict the user has not decided keeps the local record.
     */
    async apply(
      bundle: OpenBundle,
      choices: Readonly<Record<string, Choice>> = {},
    ): Promise<ImportResult> {
      const tables = bundleTables(db)
      return guardQuota(() =>
        db.transaction('rw', tables, async () => {
          const items = await planAll(db, bundle, (p) => Dexie.waitFor(p))
          const evaluations: EvaluationRow[] = []
          const written: Record<RecordKind, number> = {
            store: 0,
            evaluation: 0,
            certification: 0,
            action: 0,
            photo: 0,
          }
          let keptLocal = 0
          for (const item of items) {
            if (!takesIncoming(item, choices)) {
              if (item.verdict === 'conflict' || item.verdict === 'older') keptLocal++
              continue
            }
            written[item.kind]++
            switch (item.kind) {
              case 'store':
                await db.stores.put(item.incoming as Store)
                break
              case 'evaluation': {
                const row = importedEvaluation(
                  item.incoming as EvaluationRow,
                  item.local as EvaluationRow | undefined,
                )
                await db.evaluations.put(row)
                evaluations.push(row)
                break
              }
              case 'certification':
                await db.certification.put(item.incoming as CertificationEntry)
                break
              case 'action':
                await db.actions.put(item.incoming as CorrectiveAction)
                break
              case 'photo': {
                const header = item.incoming as PhotoDescriptor
                const data = await Dexie.waitFor(bundle.readPhoto(header.id))
                const rest = omit(header, ['sha256'])
                await db.photos.put({
                  ...rest,
                  bytes: toArrayBuffer(data.bytes),
                  thumbBytes: toArrayBuffer(data.thumbBytes),
                } as Photo)
                break
              }
            }
          }
          await syncResults(db, evaluations)
          const known = await importedRubrics()
          const have = new Set(known.map((r) => rubricKey(r.id, r.version)))
          const added = bundle.rubrics.filter((r) => !have.has(rubricKey(r.id, r.version)))
          if (added.length)
            await db.meta.put({ key: IMPORTED_RUBRICS_KEY, value: [...known, ...added] })
          // Trust on first use (domain/exchange-rules.ts).
          const trust = trustAfterImport(
            await trusted(),
            bundle.manifest.exportedBy.deviceId,
            bundle.signer?.fingerprint,
          )
          if (trust) await db.meta.put({ key: TRUSTED_DEVICES_KEY, value: trust })
          return { written, keptLocal, rubricsAdded: added.length }
        }),
      )
    },

    /** Export times by evaluation id. */
    async exported(): Promise<Record<string, string>> {
      return ((await db.meta.get(EXPORTED_KEY))?.value as Record<string, string> | undefined) ?? {}
    },
  }
}

/**
 * Classifies every record of the bundle against the database. `wait` wraps non-IndexedDB
 * promises (hashing a local photo) so that inside a transaction it stays alive.
 */
async function planAll(
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
    ...planRecords(
      'evaluation',
      bundle.evaluations,
      (e) => e.id,
      (id) => evals.get(id),
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
  ] as MergeItem[]
}

export { choiceKey }
export type ExchangeRepo = ReturnType<typeof createExchangeRepo>

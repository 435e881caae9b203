/**
 * Full backups: every table, photos included, in the bundle container (`kind: backup`), and
 * restore onto an EMPTY device only. Restoring merges nothing: onto a device that already holds
 * data it would mix two histories, so it is refused and the user is told why.
 */
import { Dexie } from 'dexie'
import {
  readBundle,
  writeBundle,
  type ByteSource,
  type ChunkSink,
  type Manifest,
  type OpenBundle,
  type ReadResult,
  PART,
  signerFor,
} from '@/io/bundle'
import { backupReminder, unsentIds, type Reminder } from '@/domain/backup-reminder'
import { checkBackupMeta, RESTORED_META_KEYS } from '@/domain/backup-meta'
import { rubricKey } from '@/domain/rubric-registry'
import type { Rubric } from '@/domain/rubric-schema'
import type { Photo } from '@/domain/records'
import type { AppDatabase, EvaluationRow } from './rows'
import { guardQuota } from './errors'
import { bundleTables } from './exchange/apply'
import { EXPORTED_KEY } from './exchange/export'
import { createRubricsRepo, type RubricLookup } from './exchange/rubrics'
import { createMetaRepo } from './meta.repo'
import { createTrustRepo } from './exchange/trust'
import { syncResults } from './results'
import { omit, systemClock, type Clock } from './util'

/**
 * The settings rows a backup carries: only those a restore takes back (domain/backup-meta.ts).
 * The device's id and key, its trust list and its server connection stay on the device.
 */
const BACKED_UP = new Set<string>(RESTORED_META_KEYS)

export class NotEmptyError extends Error {
  override name = 'NotEmptyError'
  constructor(readonly counts: Record<string, number>) {
    super(`Restore needs an empty device; this one holds ${JSON.stringify(counts)}.`)
  }
}

export interface RestoreResult {
  stores: number
  evaluations: number
  certification: number
  actions: number
  photos: number
}

export function createBackupRepo(db: AppDatabase, clock: Clock = systemClock) {
  const meta = createMetaRepo(db)
  const exchange = createRubricsRepo(db)

  async function counts(): Promise<Record<string, number>> {
    const [stores, evaluations, photos, actions, certification] = await Promise.all([
      db.stores.count(),
      db.evaluations.count(),
      db.photos.count(),
      db.actions.count(),
      db.certification.count(),
    ])
    return { stores, evaluations, photos, actions, certification }
  }

  async function isEmpty(): Promise<boolean> {
    return Object.values(await counts()).every((n) => n === 0)
  }

  return {
    counts,
    isEmpty,

    /** Writes a full backup to `sink` and records the time as meta.lastBackupAt. */
    async backup(shipped: RubricLookup, sink: ChunkSink, app?: string): Promise<Manifest> {
      const lookup = await exchange.rubricLookup(shipped)
      const evaluations = await db.evaluations.toArray()
      const keys = [
        ...new Set(evaluations.map((e) => rubricKey(e.rubricId, e.rubricVersion))),
      ].sort()
      const rubrics = keys
        .map((k) => lookup(...(k.split('@') as [string, string])))
        .filter((r): r is Rubric => r !== undefined)
      const exportedAt = clock().toISOString()
      const manifest = await writeBundle(
        {
          stores: await db.stores.toArray(),
          rubrics,
          evaluations,
          certification: await db.certification.toArray(),
          actions: await db.actions.toArray(),
          photoIds: (await db.photos.toCollection().primaryKeys()).sort(),
          readPhoto: (id) => db.photos.get(id),
          meta: (await db.meta.toArray()).filter((m) => BACKED_UP.has(m.key)),
        },
        {
          kind: 'backup',
          exportedAt,
          deviceId: await meta.deviceId(),
          ...(app !== undefined ? { app } : {}),
          // Signed with the device key, as bundles are: a changed part breaks the signature.
          sign: signerFor(await createTrustRepo(db).deviceKey()),
          scope: { period: null },
        },
        sink,
      )
      await meta.set('lastBackupAt', exportedAt)
      return manifest
    },

    /**
     * Reads and checks a backup like a bundle (schemas, SHA-256 of every part, signature), then
     * its settings rows key by key; the first problem refuses it whole.
     */
    async open(src: ByteSource, shipped: RubricLookup): Promise<ReadResult> {
      const r = await readBundle(src, {
        expectKind: 'backup',
        localRubric: await exchange.rubricLookup(shipped),
      })
      if (!r.ok) return r
      const checked = checkBackupMeta(r.bundle.meta)
      if (!checked.ok)
        return {
          ok: false,
          error: { code: 'bad-record', params: { part: PART.meta, ...checked.problem } },
        }
      return { ok: true, bundle: { ...r.bundle, meta: checked.rows } }
    },

    /** Restores a validated backup onto an empty device, all in one transaction. */
    async restore(bundle: OpenBundle): Promise<RestoreResult> {
      // Checked again here: a caller that skipped open() must not write unchecked settings.
      const checked = checkBackupMeta(bundle.meta)
      if (!checked.ok) throw new Error(`backup meta refused: ${checked.problem.path}`)
      const tables = bundleTables(db)
      return guardQuota(() =>
        db.transaction('rw', tables, async () => {
          // Checked inside the transaction: nothing can be added between the check and the writes.
          const now = await counts()
          if (Object.values(now).some((n) => n > 0)) throw new NotEmptyError(now)
          await db.stores.bulkAdd(bundle.stores)
          await db.evaluations.bulkAdd(bundle.evaluations as never[])
          // Derived data is not in the backup: rebuilt from the restored evaluations.
          await syncResults(db, bundle.evaluations as unknown as EvaluationRow[])
          await db.certification.bulkAdd(bundle.certification)
          await db.actions.bulkAdd(bundle.actions)
          for (const p of bundle.photos) {
            const data = await Dexie.waitFor(bundle.readPhoto(p.id))
            const rest = omit(p, ['file', 'thumbFile', 'sha256'])
            const photo = {
              ...rest,
              bytes: data.bytes.slice().buffer,
              thumbBytes: data.thumbBytes.slice().buffer,
            } as Photo
            await db.photos.add(photo)
          }
          for (const row of checked.rows) await meta.restore(row)
          return {
            stores: bundle.stores.length,
            evaluations: bundle.evaluations.length,
            certification: bundle.certification.length,
            actions: bundle.actions.length,
            photos: bundle.photos.length,
          }
        }),
      )
    },

    /** The reminder for the home page and /exchange. */
    async reminder(): Promise<Reminder> {
      const locked = await db.evaluations
        .where('status')
        .anyOf('submitted', 'returned')
        .primaryKeys()
      const exported = (await meta.get(EXPORTED_KEY)) ?? {}
      const last = (await meta.get('lastBackupAt')) ?? null
      return backupReminder({
        now: clock(),
        lastBackupAt: last,
        unsent: unsentIds(locked, exported).length,
      })
    },
  }
}

export type BackupRepo = ReturnType<typeof createBackupRepo>

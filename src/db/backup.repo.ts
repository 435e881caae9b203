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
} from '@/io/bundle'
import { backupReminder, unsentIds, type Reminder } from '@/domain/backup-reminder'
import { rubricKey } from '@/domain/rubric-registry'
import type { Rubric } from '@/domain/rubric-schema'
import type { Photo } from '@/domain/records'
import type { AppDatabase, EvaluationRow } from './rows'
import { guardQuota } from './errors'
import { bundleTables } from './exchange/apply'
import { EXPORTED_KEY } from './exchange/export'
import { createRubricsRepo, type RubricLookup } from './exchange/rubrics'
import { createMetaRepo } from './meta.repo'
import { syncResults } from './results'
import { omit, systemClock, type Clock } from './util'

/** Rows that belong to this device and must not travel to another one. */
const DEVICE_ONLY = new Set<string>(['deviceId', 'deviceKey'])

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
          meta: (await db.meta.toArray()).filter((m) => !DEVICE_ONLY.has(m.key)),
        },
        {
          kind: 'backup',
          exportedAt,
          deviceId: await meta.deviceId(),
          ...(app !== undefined ? { app } : {}),
          scope: { period: null },
        },
        sink,
      )
      await meta.set('lastBackupAt', exportedAt)
      return manifest
    },

    async open(src: ByteSource, shipped: RubricLookup): Promise<ReadResult> {
      return readBundle(src, {
        expectKind: 'backup',
        localRubric: await exchange.rubricLookup(shipped),
      })
    },

    /** Restores a validated backup onto an empty device, all in one transaction. */
    async restore(bundle: OpenBundle): Promise<RestoreResult> {
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
          for (const row of bundle.meta) {
            if (!DEVICE_ONLY.has(row.key)) await meta.restore(row)
          }
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

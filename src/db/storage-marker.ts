/**
 * The marker that lets the app notice that the browser removed its database
 * (src/domain/storage-check.ts has the rule). After every real write, a snapshot of what the
 * database holds (counts, last backup, changes not backed up or not uploaded) is written to
 * localStorage under the database's id (meta `databaseId`, created with the first data).
 *
 * Why localStorage: it is kept apart from IndexedDB. Chromium stores it outside the quota
 * system whose eviction under storage pressure removes IndexedDB, Cache Storage and OPFS
 * together, and it survives an IndexedDB-only clear (a corrupted database the browser drops, a
 * "clear site data" limited to databases, the DevTools and CDP clears). Cache Storage or OPFS
 * would be evicted together with the database, so a marker there tells nothing in the case that
 * matters most. A full "clear all site data" removes localStorage too; then nothing on the
 * device remembers, and only a connected server or a backup file can.
 *
 * The same snapshot asks the browser once for persistent storage (navigator.storage.persist),
 * at the first write that leaves data worth keeping.
 *
 * A snapshot never overwrites a marker the database disagrees with (wiped or replaced): the
 * notice must survive a reload until the user has read it and chosen (`acknowledgeStorage`).
 */
import type { DBCore, DBCoreTable, Dexie } from 'dexie'
import {
  judgeStorage,
  markerHasData,
  type StorageMarker,
  type StorageVerdict,
} from '@/domain/storage-check'
import { createMetaRepo } from './meta.repo'
import type { AppDatabase } from './rows'
import { newId } from './util'

/** Derived tables and caches: writing them changes nothing worth a snapshot. */
const IGNORED = new Set(['results', 'rankingPacks', 'syncVersions'])
/** Same key as the composables' askPersistOnce: the browser is asked once per origin. */
const PERSIST_ASKED = 'persistAsked'

const markerKey = (dbName: string) => `storageMarker:${dbName}`

function local(): Storage | null {
  try {
    return globalThis.localStorage ?? null
  } catch {
    return null
  }
}

/** The marker as stored, parsed (null when absent or unreadable). The schema loads on first use. */
export async function readMarker(dbName: string): Promise<StorageMarker | null> {
  let raw: string | null | undefined
  try {
    raw = local()?.getItem(markerKey(dbName))
  } catch {
    return null
  }
  if (!raw) return null
  const { parseStorageMarker } = await import('@/domain/storage-marker-schema')
  return parseStorageMarker(raw)
}

function writeMarker(dbName: string, m: StorageMarker | null): void {
  try {
    if (m) local()?.setItem(markerKey(dbName), JSON.stringify(m))
    else local()?.removeItem(markerKey(dbName))
  } catch {
    // localStorage full or blocked: the next snapshot tries again.
  }
}

async function holdsData(db: AppDatabase): Promise<boolean> {
  const n = await Promise.all([
    db.stores.count(),
    db.evaluations.count(),
    db.photos.count(),
    db.actions.count(),
  ])
  return n.some((x) => x > 0)
}

async function databaseIdOf(db: AppDatabase): Promise<string | undefined> {
  const id = await createMetaRepo(db).get('databaseId')
  return typeof id === 'string' ? id : undefined
}

/** The database as it is now, against the marker. */
export async function checkStorage(db: AppDatabase): Promise<StorageVerdict> {
  const [databaseId, hasData] = await Promise.all([databaseIdOf(db), holdsData(db)])
  return judgeStorage(await readMarker(db.name), { databaseId, hasData })
}

async function snapshotOf(db: AppDatabase, databaseId: string): Promise<StorageMarker> {
  const meta = createMetaRepo(db)
  const lastBackupAt = (await meta.get('lastBackupAt')) ?? null
  const session = await meta.get('serverSession')
  const [stores, evaluations, drafts, photos, actions, unsynced, demo] = await Promise.all([
    db.stores.count(),
    db.evaluations.count(),
    db.evaluations.where('status').equals('draft').count(),
    db.photos.count(),
    db.actions.count(),
    db.outbox.count(),
    meta.get('demoLoaded'),
  ])
  const changedSinceBackup = lastBackupAt
    ? await db.evaluations.where('updatedAt').above(lastBackupAt).count()
    : evaluations
  return {
    v: 1,
    databaseId,
    at: new Date().toISOString(),
    counts: { stores, evaluations, drafts, photos, actions },
    demo: demo !== undefined,
    lastBackupAt,
    changedSinceBackup,
    server: session ? { url: session.url, user: session.user.displayName } : null,
    unsynced,
  }
}

/**
 * Writes the marker for the database as it is now, unless the marker and the database disagree
 * (then the verdict is returned and nothing is written). Creates the database id with the first
 * data, and asks once for persistent storage then.
 */
export async function snapshotStorage(db: AppDatabase): Promise<StorageVerdict> {
  const verdict = await checkStorage(db)
  if (verdict.kind !== 'ok') return verdict
  if (!(await holdsData(db))) {
    // Nothing to lose (a new device, or data deleted on purpose): keep the id, drop the counts.
    const id = await databaseIdOf(db)
    const old = await readMarker(db.name)
    if (id && old && markerHasData(old)) writeMarker(db.name, await snapshotOf(db, id))
    return verdict
  }
  const id = await db.transaction('rw', db.meta, async () => {
    const have = await databaseIdOf(db)
    if (have) return have
    const made = newId()
    await db.meta.put({ key: 'databaseId', value: made })
    return made
  })
  writeMarker(db.name, await snapshotOf(db, id))
  void askPersistOnce()
  return verdict
}

/** The user has read the notice: forget the old marker and describe the database as it is. */
export async function acknowledgeStorage(db: AppDatabase): Promise<void> {
  writeMarker(db.name, null)
  await snapshotStorage(db)
}

async function askPersistOnce(): Promise<void> {
  const storage = globalThis.navigator?.storage
  const ls = local()
  if (!storage?.persist || !ls || ls.getItem(PERSIST_ASKED)) return
  ls.setItem(PERSIST_ASKED, '1')
  try {
    if (!(await storage.persisted?.())) await storage.persist()
  } catch {
    // Asking is a favour; a browser that refuses leaves the data as it was.
  }
}

type VerdictListener = (v: StorageVerdict) => void
const listeners = new Set<VerdictListener>()

/** Hears each snapshot's verdict: it finds the database wiped or replaced while the app runs. */
export function onStorageVerdict(fn: VerdictListener): () => void {
  listeners.add(fn)
  return () => listeners.delete(fn)
}

/**
 * Takes a snapshot once a burst of writes has paused for `delayMs`, and at least every `maxWaitMs`
 * while it goes on. The snapshot reads every table, so it waits for a pause: taken in the middle
 * of an inspector's taps it made the next answer's save wait behind it (issue 16's p95).
 */
export function watchStorageMarker(db: AppDatabase, delayMs = 800, maxWaitMs = 5000): void {
  let timer: ReturnType<typeof setTimeout> | null = null
  let burstStart: number | null = null
  const run = () => {
    timer = null
    burstStart = null
    snapshotStorage(db).then(
      (v) => {
        for (const fn of listeners) fn(v)
      },
      () => undefined, // a failed snapshot leaves the previous marker; the next write retries
    )
  }
  const schedule = () => {
    const now = Date.now()
    burstStart ??= now
    if (timer !== null) clearTimeout(timer)
    timer = setTimeout(run, Math.max(0, Math.min(delayMs, burstStart + maxWaitMs - now)))
  }
  ;(db as Dexie).use({
    stack: 'dbcore',
    name: 'storage-marker',
    create: (down: DBCore): DBCore => ({
      ...down,
      table(name: string): DBCoreTable {
        const table = down.table(name)
        if (IGNORED.has(name)) return table
        return {
          ...table,
          mutate: (req) =>
            table.mutate(req).then((res) => {
              schedule()
              return res
            }),
        }
      },
    }),
  })
}

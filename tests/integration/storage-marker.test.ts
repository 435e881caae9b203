/**
 * Wipe detection (src/db/storage-marker.ts, src/domain/storage-check.ts): the marker kept in
 * localStorage describes the database after each burst of writes; a database that is empty or
 * carries another id than the marker says is reported as wiped or replaced, and the marker is
 * not overwritten until the user acknowledges.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type AppDatabase } from '@/db/database'
import { createRepos } from '@/db/repos'
import {
  acknowledgeStorage,
  checkStorage,
  onStorageVerdict,
  readMarker,
  snapshotStorage,
  watchStorageMarker,
} from '@/db/storage-marker'
import { judgeStorage } from '@/domain/storage-check'
import { parseStorageMarker } from '@/domain/storage-marker-schema'
import type { StorageVerdict } from '@/domain/storage-check'
import { store, uniqueName } from '../helpers/db-fixtures'
import { installLocalStorage } from '../helpers/memory-storage'

let uninstall: () => void = () => {}
const opened: AppDatabase[] = []
beforeEach(() => {
  uninstall = installLocalStorage()
})
afterEach(async () => {
  uninstall()
  for (const db of opened.splice(0)) {
    db.close()
    await db.delete()
  }
})

function open(name: string): AppDatabase {
  const db = openDatabase(name)
  opened.push(db)
  return db
}

/** Deletes the database under the app's feet, as the browser does, and opens it again empty. */
async function wipe(db: AppDatabase): Promise<AppDatabase> {
  db.close()
  await db.delete()
  return open(db.name)
}

describe('the storage marker', () => {
  it('is written only once the database holds data, with what it holds', async () => {
    const db = open(uniqueName('marker'))
    expect(await snapshotStorage(db)).toEqual({ kind: 'ok' })
    expect(await readMarker(db.name)).toBeNull()
    const r = createRepos(db)
    await r.stores.put(store('S1'))
    await r.stores.put(store('S2'))
    await r.evaluations.create({
      storeCode: 'S1',
      period: '2026-Q4',
      reviewer: 'city',
      evaluatorName: '王',
      rubricId: 'x',
      rubricVersion: '1.0.0',
    })
    await snapshotStorage(db)
    const m = (await readMarker(db.name))!
    expect(m.counts).toMatchObject({ stores: 2, evaluations: 1, drafts: 1 })
    expect(m.changedSinceBackup).toBe(1)
    expect(m.lastBackupAt).toBeNull()
    expect(m.databaseId).toBe(await r.meta.get('databaseId'))
  })

  it('reports a wiped database, keeps saying so after a reload, and forgets on acknowledge', async () => {
    let db = open(uniqueName('wiped'))
    const r = createRepos(db)
    await r.stores.put(store('S1'))
    await r.meta.set('lastBackupAt', '2026-11-01T00:00:00.000Z')
    await snapshotStorage(db)
    const before = (await readMarker(db.name))!

    db = await wipe(db)
    const v = await checkStorage(db)
    expect(v.kind).toBe('wiped')
    // A snapshot (any write, e.g. a meta row) leaves the marker as it was.
    await createRepos(db).meta.deviceId()
    expect((await snapshotStorage(db)).kind).toBe('wiped')
    expect(await readMarker(db.name)).toEqual(before)
    // Data entered after the wipe (the demo, a store) is another database: still reported.
    await createRepos(db).stores.put(store('NEW'))
    expect((await snapshotStorage(db)).kind).toBe('replaced')

    await acknowledgeStorage(db)
    expect((await checkStorage(db)).kind).toBe('ok')
    expect((await readMarker(db.name))!.databaseId).not.toBe(before.databaseId)
  })

  it('sees a database replaced by one with another id', async () => {
    const a = open(uniqueName('a'))
    await createRepos(a).stores.put(store('S1'))
    await snapshotStorage(a)
    const b = open(uniqueName('b'))
    await createRepos(b).stores.put(store('S2'))
    await createRepos(b).meta.set('databaseId', 'other-database')
    // b's contents under a's name: same marker, another id.
    const marker = await readMarker(a.name)
    expect(judgeStorage(marker, { databaseId: 'other-database', hasData: true }).kind).toBe(
      'replaced',
    )
    expect(judgeStorage(marker, { databaseId: marker!.databaseId, hasData: true }).kind).toBe('ok')
  })

  it('deleting data on purpose keeps the id, so an empty database is not a wipe', async () => {
    const db = open(uniqueName('signout'))
    const r = createRepos(db)
    await r.stores.put(store('S1'))
    await snapshotStorage(db)
    await (await r.sync()).removeAccountData() // sign-out
    expect((await snapshotStorage(db)).kind).toBe('ok')
    expect((await readMarker(db.name))!.counts.stores).toBe(0)
  })

  it('follows writes by itself (middleware) and tells listeners', async () => {
    const db = openDatabase(uniqueName('watched'))
    opened.push(db)
    watchStorageMarker(db, 10)
    const heard: StorageVerdict[] = []
    const off = onStorageVerdict((v) => heard.push(v))
    await createRepos(db).stores.put(store('S1'))
    await expect.poll(async () => (await readMarker(db.name))?.counts.stores).toBe(1)
    off()
    expect(heard.at(-1)).toEqual({ kind: 'ok' })
  })

  it('waits for a pause in a burst of writes before reading the tables, but not forever', async () => {
    const db = openDatabase(uniqueName('burst'))
    opened.push(db)
    watchStorageMarker(db, 300, 600)
    const repos = createRepos(db)
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
    // Writes 20 ms apart: a pause of 300 ms never comes, so no snapshot before the max wait.
    const started = Date.now()
    let seenAt: number | null = null
    for (let k = 0; Date.now() - started < 1200; k++) {
      await repos.stores.put(store(`S${k}`))
      if (seenAt === null && (await readMarker(db.name))) seenAt = Date.now() - started
      await sleep(20)
    }
    expect(seenAt).not.toBeNull()
    expect(seenAt!).toBeGreaterThanOrEqual(550)
    expect(seenAt!).toBeLessThan(1150)
    // After the burst, one pause is enough for the marker to catch up with every store.
    const count = await db.stores.count()
    await expect.poll(async () => (await readMarker(db.name))?.counts.stores).toBe(count)
  })

  it('treats a marker that does not parse as none', () => {
    for (const raw of ['', 'not json', '{"v":2}', JSON.stringify({ v: 1, databaseId: 3 })])
      expect(parseStorageMarker(raw)).toBeNull()
    expect(
      judgeStorage(parseStorageMarker('{}'), { databaseId: undefined, hasData: false }),
    ).toEqual({ kind: 'ok' })
  })
})

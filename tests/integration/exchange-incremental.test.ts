/**
 * Incremental bundles (issue 17 item 7): a bundle carries only what changed since the last bundle
 * to the same receiver, or since a date; its manifest says so (format version 2), and a full
 * bundle is still version 1.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type AppDatabase } from '../../src/db/database'
import { createExchangeRepo, type ExportSelection } from '../../src/db/exchange.repo'
import { bytesSource, concat, type Manifest } from '../../src/io/bundle'
import { demoRows, lookupTestRubric, withResults } from '../fixtures/exchange'

const opened: AppDatabase[] = []
let n = 0
function freshDb(): AppDatabase {
  const db = openDatabase(`incremental-test-${Date.now()}-${n++}`)
  opened.push(db)
  return db
}
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close()
    await db.delete()
  }
})
let now = Date.parse('2026-12-10T09:00:00Z')
const clock = () => new Date((now += 60_000))

async function exportBytes(db: AppDatabase, sel: ExportSelection = {}) {
  const chunks: Uint8Array[] = []
  const manifest = await createExchangeRepo(db, clock).exportBundle(sel, lookupTestRubric, (c) => {
    chunks.push(c)
  })
  return { bytes: concat(chunks), manifest }
}
async function importInto(db: AppDatabase, bytes: Uint8Array) {
  const repo = createExchangeRepo(db, clock)
  const r = await repo.open(bytesSource(bytes), lookupTestRubric)
  if (!r.ok) throw new Error(JSON.stringify(r.error))
  const preview = await repo.preview(r.bundle)
  await repo.apply(r.bundle)
  return preview
}

async function seeded(): Promise<AppDatabase> {
  const db = freshDb()
  const rows = demoRows()
  await db.stores.bulkPut(rows.stores)
  await db.evaluations.bulkPut(rows.evaluations)
  return db
}

/** One new submitted evaluation, made now. */
async function newInspection(db: AppDatabase, id: string): Promise<void> {
  const store = (await db.stores.toArray())[0]!
  const at = clock().toISOString()
  const [e] = withResults([
    {
      id,
      storeCode: store.code,
      period: '2026-Q4',
      reviewer: 'city' as const,
      evaluatorName: '李',
      rubricId: 'test-rubric',
      rubricVersion: '1.0.0',
      status: 'submitted' as const,
      answers: {
        clean: { itemId: 'clean', value: true },
        greet: { itemId: 'greet', value: 30 },
        queue: { itemId: 'queue', value: 0 },
      },
      revision: 1,
      revisionOf: null,
      createdAt: at,
      updatedAt: at,
      submittedAt: at,
      result: null,
      editSeq: 0,
    },
  ])
  await db.evaluations.put(e!)
}

const carried = (m: Manifest) => m.counts

describe('incremental bundles', () => {
  it('the second bundle to a receiver carries only what changed since the first', async () => {
    const tablet = await seeded()
    const province = freshDb()
    const first = await exportBytes(tablet, { receiver: ' 省公司 ' })
    // The first bundle to a receiver carries everything and is a plain (version 1) bundle.
    expect(first.manifest.incremental).toBeUndefined()
    expect(first.manifest.formatVersion).toBe(1)
    expect(carried(first.manifest).evaluations).toBe(await tablet.evaluations.count())
    await importInto(province, first.bytes)

    // Nothing changed: the next one carries nothing.
    const empty = await exportBytes(tablet, { receiver: '省公司' })
    expect(empty.manifest.incremental).toMatchObject({
      since: first.manifest.exportedAt,
      receiver: '省公司',
      changes: 0,
    })
    expect(carried(empty.manifest).evaluations).toBe(0)

    await newInspection(tablet, 'new-inspection-1')
    // A changed record goes too, whatever its times say (fingerprints, not clocks).
    const old = (await tablet.evaluations.toArray()).find((e) => e.status === 'submitted')!
    await tablet.evaluations.put({ ...old, evaluatorName: `${old.evaluatorName}（更正）` })
    const second = await exportBytes(tablet, { receiver: '省公司' })
    expect(second.manifest.formatVersion).toBe(2)
    expect(second.manifest.incremental).toMatchObject({ since: empty.manifest.exportedAt })
    expect(carried(second.manifest).evaluations).toBe(2)
    // The stores of the carried records go with them.
    expect(carried(second.manifest).stores).toBeLessThanOrEqual(2)
    expect(carried(second.manifest).stores).toBeGreaterThan(0)
    expect(second.manifest.incremental!.changes).toBe(
      carried(second.manifest).evaluations + carried(second.manifest).stores,
    )

    const preview = await importInto(province, second.bytes)
    expect(preview.manifest.incremental?.changes).toBe(second.manifest.incremental!.changes)
    expect(preview.byKind.evaluation.add).toBe(1)
    expect(await province.evaluations.get('new-inspection-1')).toBeDefined()
    expect(await province.evaluations.count()).toBe(await tablet.evaluations.count())

    // Another receiver has been sent nothing: its first bundle is full.
    const other = await exportBytes(tablet, { receiver: '市公司' })
    expect(other.manifest.incremental).toBeUndefined()
    const receivers = await createExchangeRepo(tablet, clock).receivers()
    expect(receivers.map((r) => r.name).sort()).toEqual(['市公司', '省公司'])
  })

  it('since a date: only what was updated at or after it', async () => {
    const tablet = await seeded()
    // After every time in the demo rows.
    const latest = Math.max(
      ...(await tablet.evaluations.toArray()).map((e) => Date.parse(e.updatedAt)),
    )
    now = Math.max(now, latest)
    const cut = clock().toISOString()
    await newInspection(tablet, 'after-cut')
    const { manifest, bytes } = await exportBytes(tablet, { since: cut })
    expect(manifest.incremental).toMatchObject({ since: cut })
    expect(manifest.incremental?.receiver).toBeUndefined()
    expect(carried(manifest).evaluations).toBe(1)
    const fresh = freshDb()
    const preview = await importInto(fresh, bytes)
    expect(preview.byKind.evaluation.add).toBe(1)
    expect(await fresh.evaluations.get('after-cut')).toBeDefined()
  })

  it('a full bundle with a receiver named still carries everything', async () => {
    const tablet = await seeded()
    await exportBytes(tablet, { receiver: '省公司' })
    const full = await exportBytes(tablet, { receiver: '省公司', full: true })
    expect(full.manifest.incremental).toBeUndefined()
    expect(carried(full.manifest).evaluations).toBe(await tablet.evaluations.count())
  })
})

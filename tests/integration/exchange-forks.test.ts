/**
 * Revisions that cannot fork (issue 17 item 6) and the origin-device rule (issue 15 item 5), on
 * bundle import: two devices reopening the same submitted evaluation make a conflict the user
 * decides; the revision not kept is set aside (kept, not counted); a change to another device's
 * evaluation is never an automatic update.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type AppDatabase, type EvaluationRow } from '../../src/db/database'
import { createExchangeRepo } from '../../src/db/exchange.repo'
import { createRepos } from '../../src/db/repos'
import { choiceKey } from '../../src/domain/merge'
import { bytesSource, concat, type OpenBundle } from '../../src/io/bundle'
import { demoRows, lookupTestRubric, withResults } from '../fixtures/exchange'

const opened: AppDatabase[] = []
let n = 0
function freshDb(): AppDatabase {
  const db = openDatabase(`forks-test-${Date.now()}-${n++}`)
  opened.push(db)
  return db
}
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close()
    await db.delete()
  }
})
const clock = () => new Date('2026-12-10T09:00:00Z')

async function exportBytes(db: AppDatabase, sel = {}): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  await createExchangeRepo(db, clock).exportBundle(sel, lookupTestRubric, (c) => {
    chunks.push(c)
  })
  return concat(chunks)
}
async function openIn(db: AppDatabase, bytes: Uint8Array): Promise<OpenBundle> {
  const r = await createExchangeRepo(db, clock).open(bytesSource(bytes), lookupTestRubric)
  if (!r.ok) throw new Error(JSON.stringify(r.error))
  return r.bundle
}
async function importAll(db: AppDatabase, bytes: Uint8Array, choices = {}) {
  const repo = createExchangeRepo(db, clock)
  const bundle = await openIn(db, bytes)
  const preview = await repo.preview(bundle)
  const result = await repo.apply(bundle, choices)
  return { preview, result }
}

/** The province's device with the demo, and two tablets that imported it. */
async function threeDevices() {
  const province = freshDb()
  const rows = demoRows()
  await province.transaction('rw', [province.stores, province.evaluations], async () => {
    await province.stores.bulkPut(rows.stores)
    await province.evaluations.bulkPut(rows.evaluations)
  })
  // The province's own records get its device as their origin through the repos (created
  // there); the demo rows predate the field, as older records do.
  const full = await exportBytes(province)
  const a = freshDb()
  const b = freshDb()
  await importAll(a, full)
  await importAll(b, full)
  const base = rows.evaluations.find((e) => e.status === 'submitted' && e.reviewer === 'city')!
  return { province, a, b, base }
}

/** Reopens `baseId` on the device and submits it with `greet` answered `value`. */
async function revise(db: AppDatabase, baseId: string, value: number): Promise<EvaluationRow> {
  const draft = await createRepos(db, clock).evaluations.reopen(baseId)
  const [submitted] = withResults([
    {
      ...draft,
      status: 'submitted' as const,
      submittedAt: clock().toISOString(),
      answers: {
        clean: { itemId: 'clean', value: true },
        greet: { itemId: 'greet', value, note: '问候不足' },
        queue: { itemId: 'queue', value: 0 },
      },
    },
  ])
  await db.evaluations.put(submitted!)
  return submitted!
}

async function counted(db: AppDatabase, storeCode: string): Promise<string[]> {
  return (await db.results.where('storeCode').equals(storeCode).toArray()).map(
    (r) => r.evaluationId,
  )
}

describe('revisions that cannot fork', () => {
  it('the second revision of one base from another device is a conflict, never a silent pick', async () => {
    const { province, a, b, base } = await threeDevices()
    const ra = await revise(a, base.id, 30)
    const rb = await revise(b, base.id, 10)
    expect(ra.revision).toBe(2)
    expect(rb.revision).toBe(2)
    expect(ra.originDevice).toBe(await createRepos(a).meta.deviceId())

    const first = await importAll(province, await exportBytes(a))
    expect(first.preview.conflicts).toHaveLength(0)
    const fromB = await exportBytes(b)
    const second = await importAll(province, fromB)
    // Shown as a conflict with the other revision; undecided, nothing of it is written.
    expect(second.preview.conflicts).toHaveLength(1)
    const c = second.preview.conflicts[0]!
    expect(c).toMatchObject({ kind: 'evaluation', id: rb.id, reason: 'fork' })
    expect((c.local as EvaluationRow | undefined)?.id).toBe(ra.id)
    expect(second.preview.byKind.evaluation.add).toBe(0)
    expect(await province.evaluations.get(rb.id)).toBeUndefined()
    expect(await counted(province, base.storeCode)).toContain(ra.id)

    // The user keeps the tablet B's revision: A's is set aside, kept but not counted.
    const again = await importAll(province, fromB, { [choiceKey('evaluation', rb.id)]: 'incoming' })
    expect(again.result.written.evaluation).toBeGreaterThan(0)
    const keptA = await province.evaluations.get(ra.id)
    expect(keptA?.setAside?.for).toBe(rb.id)
    expect((await province.evaluations.get(rb.id))?.setAside).toBeUndefined()
    const ids = await counted(province, base.storeCode)
    expect(ids).toContain(rb.id)
    expect(ids).not.toContain(ra.id)

    // A's bundle again: its revision is older than the set-aside copy, so the decision stands.
    const replay = await importAll(province, await exportBytes(a))
    expect(replay.preview.conflicts).toHaveLength(0)
    expect((await province.evaluations.get(ra.id))?.setAside?.for).toBe(rb.id)
    expect(await counted(province, base.storeCode)).not.toContain(ra.id)
  })

  it("keeping this device's revision writes the incoming one set aside, so the same bundle does not ask again", async () => {
    const { province, a, b, base } = await threeDevices()
    const ra = await revise(a, base.id, 30)
    const rb = await revise(b, base.id, 10)
    await importAll(province, await exportBytes(a))
    const fromB = await exportBytes(b)
    await importAll(province, fromB, { [choiceKey('evaluation', rb.id)]: 'local' })
    expect((await province.evaluations.get(rb.id))?.setAside?.for).toBe(ra.id)
    expect(await counted(province, base.storeCode)).toContain(ra.id)
    expect(await counted(province, base.storeCode)).not.toContain(rb.id)
    const replay = await importAll(province, fromB)
    expect(replay.preview.conflicts).toHaveLength(0)
    expect(replay.preview.byKind.evaluation.older).toBe(1)
  })

  it('two revisions of one base in one bundle: the second is a conflict with the first', async () => {
    const { province, a, b, base } = await threeDevices()
    await revise(a, base.id, 30)
    const rb = await revise(b, base.id, 10)
    // A relay device holds both (as an older app would have let it).
    const relay = freshDb()
    await importAll(relay, await exportBytes(a))
    await relay.evaluations.put(rb)
    const fresh = freshDb()
    const { preview } = await importAll(fresh, await exportBytes(relay))
    expect(preview.conflicts.map((c) => c.reason)).toEqual(['fork'])
    void province
  })
})

describe("changes to another device's evaluation", () => {
  it('is a conflict when the sender is not the origin; an update from the origin itself', async () => {
    const tablet = freshDb()
    const rows = demoRows()
    await tablet.stores.bulkPut(rows.stores)
    const repos = createRepos(tablet, clock)
    const store = rows.stores[0]!
    const draft = await repos.evaluations.create({
      storeCode: store.code,
      period: '2026-Q4',
      reviewer: 'city',
      evaluatorName: '李',
      rubricId: 'test-rubric',
      rubricVersion: '1.0.0',
    })
    const tabletId = await repos.meta.deviceId()
    expect(draft.originDevice).toBe(tabletId)
    const province = freshDb()
    await importAll(province, await exportBytes(tablet))
    expect((await province.evaluations.get(draft.id))?.originDevice).toBe(tabletId)

    // Another device (a third one) submits the tablet's draft and sends it on.
    const other = freshDb()
    await importAll(other, await exportBytes(tablet))
    const [forged] = withResults([
      {
        ...(await other.evaluations.get(draft.id))!,
        status: 'submitted' as const,
        submittedAt: clock().toISOString(),
        answers: {
          clean: { itemId: 'clean', value: true },
          greet: { itemId: 'greet', value: 30 },
          queue: { itemId: 'queue', value: 0 },
        },
      },
    ])
    await other.evaluations.put(forged!)
    const fromOther = await importAll(province, await exportBytes(other))
    expect(fromOther.preview.byKind.evaluation.update).toBe(0)
    expect(fromOther.preview.conflicts.map((c) => [c.id, c.reason])).toEqual([
      [draft.id, 'other-device'],
    ])
    expect((await province.evaluations.get(draft.id))?.status).toBe('draft')

    // The tablet itself submits it: an update, applied at once.
    await tablet.evaluations.put(forged!)
    const fromTablet = await importAll(province, await exportBytes(tablet))
    expect(fromTablet.preview.conflicts).toHaveLength(0)
    expect(fromTablet.preview.byKind.evaluation.update).toBe(1)
    expect((await province.evaluations.get(draft.id))?.status).toBe('submitted')
  })

  it('records without an origin keep the old rule (further along wins)', async () => {
    const { province, a, base } = await threeDevices()
    expect(base.originDevice).toBeUndefined()
    const [returned] = [{ ...base, status: 'returned' as const, returnedReason: '复查' }]
    await a.evaluations.put(returned!)
    const r = await importAll(province, await exportBytes(a))
    expect(r.preview.byKind.evaluation.update).toBe(1)
    expect(r.preview.conflicts).toHaveLength(0)
  })
})

describe('a fork the server refused', () => {
  it('is shown as a fork with the store name; taking the server’s sets this device’s revision aside', async () => {
    const { a, b, base } = await threeDevices()
    const mine = await revise(a, base.id, 30)
    const theirs = await revise(b, base.id, 10)
    const { createSyncRepo } = await import('../../src/db/sync.repo')
    const sync = createSyncRepo(a, clock)
    const push = await sync.nextPush()
    expect(push?.changes.some((c) => c.kind === 'evaluation' && c.op === 'put')).toBe(true)
    await sync.settlePush(push!, [
      {
        kind: 'evaluation',
        id: mine.id,
        outcome: 'conflict',
        reason: 'forked',
        version: null,
        server: theirs,
      },
    ])
    const [d] = (await sync.disputes()).filter((x) => x.id === mine.id)
    expect(d).toMatchObject({ kind: 'evaluation', fork: true })
    expect(d && 'storeName' in d ? d.storeName : '').toBe(
      (await a.stores.get(base.storeCode))!.name,
    )
    await sync.resolveDispute(d!.key, 'server')
    expect((await a.evaluations.get(mine.id))?.setAside?.for).toBe(theirs.id)
    expect(await a.evaluations.get(theirs.id)).toBeDefined()
    const ids = await counted(a, base.storeCode)
    expect(ids).toContain(theirs.id)
    expect(ids).not.toContain(mine.id)
    expect(await a.outbox.get(d!.key)).toBeUndefined()
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type AppDatabase } from '../../src/db/database'
import { createExchangeRepo } from '../../src/db/exchange.repo'
import { createBackupRepo, NotEmptyError } from '../../src/db/backup.repo'
import { canonical, choiceKey } from '../../src/domain/merge'
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'
import {
  BundleRefused,
  bytesSource,
  concat,
  generateDeviceKey,
  type ByteSource,
  type OpenBundle,
} from '../../src/io/bundle'
import { demoRows, lookupTestRubric, withResults } from '../fixtures/exchange'

const opened: AppDatabase[] = []
let n = 0
function freshDb(): AppDatabase {
  const db = openDatabase(`exchange-test-${Date.now()}-${n++}`)
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

async function seeded(): Promise<AppDatabase> {
  const db = freshDb()
  const rows = demoRows()
  await db.transaction(
    'rw',
    [db.stores, db.evaluations, db.photos, db.actions, db.certification],
    async () => {
      await db.stores.bulkPut(rows.stores)
      await db.evaluations.bulkPut(rows.evaluations)
      await db.photos.bulkPut(rows.photos)
      await db.actions.bulkPut(rows.actions)
      await db.certification.put({
        id: 'c1',
        kind: 'step',
        period: '2026-Q4',
        unit: '南京',
        step: 'city-certify',
        actor: '王',
        at: '2026-12-01T00:00:00Z',
        payload: {},
      })
    },
  )
  return db
}

async function exportBytes(db: AppDatabase, sel = {}): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  await createExchangeRepo(db, clock).exportBundle(sel, lookupTestRubric, (c) => {
    chunks.push(c)
  })
  return concat(chunks)
}

async function openIn(db: AppDatabase, src: ByteSource): Promise<OpenBundle> {
  const r = await createExchangeRepo(db, clock).open(src, lookupTestRubric)
  if (!r.ok) throw new Error(JSON.stringify(r.error))
  return r.bundle
}

/** Every row of every table, photo bytes included, as one comparable string. */
async function snapshot(
  db: AppDatabase,
  tables = ['stores', 'evaluations', 'actions', 'certification', 'photos'],
): Promise<string> {
  const out: Record<string, unknown> = {}
  for (const t of tables) {
    const rows = (await db.table(t).toArray()) as Record<string, unknown>[]
    out[t] = rows.map((r) =>
      Object.fromEntries(
        Object.entries(r).map(([k, v]) => [
          k,
          v instanceof ArrayBuffer ? Buffer.from(v).toString('base64') : v,
        ]),
      ),
    )
  }
  return canonical(out)
}

describe('exchange import', () => {
  it('a bundle imported on a fresh device gives identical records and photos', async () => {
    const a = await seeded()
    const b = freshDb()
    const repo = createExchangeRepo(b, clock)
    const bundle = await openIn(b, bytesSource(await exportBytes(a)))
    const preview = await repo.preview(bundle)
    expect(preview.totals).toMatchObject({ update: 0, same: 0, conflict: 0, older: 0 })
    expect(preview.byKind.evaluation.add).toBe(await a.evaluations.count())
    await repo.apply(bundle)
    expect(await snapshot(b)).toBe(await snapshot(a))
    expect(await b.photos.count()).toBeGreaterThan(0)
  })

  it('importing the same bundle twice changes nothing the second time', async () => {
    const a = await seeded()
    const b = freshDb()
    const repo = createExchangeRepo(b, clock)
    const bytes = await exportBytes(a)
    await repo.apply(await openIn(b, bytesSource(bytes)))
    const after1 = await snapshot(b, [
      'stores',
      'evaluations',
      'actions',
      'certification',
      'photos',
      'meta',
    ])
    const bundle = await openIn(b, bytesSource(bytes))
    const preview = await repo.preview(bundle)
    expect(preview.totals.add + preview.totals.update + preview.totals.conflict).toBe(0)
    const result = await repo.apply(bundle)
    expect(Object.values(result.written).every((x) => x === 0)).toBe(true)
    expect(
      await snapshot(b, ['stores', 'evaluations', 'actions', 'certification', 'photos', 'meta']),
    ).toBe(after1)
  })

  it('is all-or-nothing: a photo that fails its checksum during apply leaves the database as it was', async () => {
    const a = await seeded()
    const b = freshDb()
    const bytes = await exportBytes(a)
    const bundle = await openIn(b, bytesSource(bytes))
    // The file changes after validation (a USB stick pulled, a file rewritten): the last photo read differs.
    const victim = bundle.photos.at(-1)!
    const realRead = bundle.readPhoto
    bundle.readPhoto = async (id) => {
      const got = await realRead(id)
      if (id !== victim.id) return got
      throw new BundleRefused({ code: 'tampered', params: { part: victim.file } })
    }
    const before = await snapshot(b)
    await expect(createExchangeRepo(b, clock).apply(bundle)).rejects.toThrow(BundleRefused)
    expect(await snapshot(b)).toBe(before)
    expect(await b.evaluations.count()).toBe(0)
  })

  it('a newer state updates, an older one is kept local and listed, a true conflict waits for a choice', async () => {
    const a = await seeded()
    const b = freshDb()
    const repo = createExchangeRepo(b, clock)
    await repo.apply(await openIn(b, bytesSource(await exportBytes(a))))

    const drafts = await a.evaluations.where('status').equals('draft').toArray()
    const submitted = await a.evaluations.where('status').equals('submitted').limit(2).toArray()
    expect(drafts.length).toBeGreaterThan(1)
    // On A: the first draft gets submitted (newer state); on B: the second draft is edited differently from A.
    // Submitted with every item answered (bundles are checked: a locked evaluation must be submittable).
    const answers = submitted[1]!.answers
    await a.evaluations.update(drafts[0]!.id, {
      status: 'submitted',
      submittedAt: '2026-12-09T00:00:00Z',
      answers,
      result: withResults([{ ...drafts[0]!, status: 'submitted', answers }])[0]!.result,
    })
    await a.evaluations.update(drafts[1]!.id, { evaluatorName: 'A 改' })
    await b.evaluations.update(drafts[1]!.id, { evaluatorName: 'B 改' })
    // On B a submitted one was returned (further along than A's copy).
    await b.evaluations.update(submitted[0]!.id, { status: 'returned', returnedReason: '复查' })

    const bundle = await openIn(b, bytesSource(await exportBytes(a)))
    const preview = await repo.preview(bundle)
    expect(preview.byKind.evaluation).toMatchObject({ add: 0, update: 1, conflict: 1, older: 1 })
    expect(preview.conflicts[0]).toMatchObject({
      id: drafts[1]!.id,
      local: { evaluatorName: 'B 改' },
      incoming: { evaluatorName: 'A 改' },
    })
    expect(preview.older[0]!.id).toBe(submitted[0]!.id)

    await repo.apply(bundle)
    expect((await b.evaluations.get(drafts[0]!.id))!.status).toBe('submitted')
    expect((await b.evaluations.get(drafts[1]!.id))!.evaluatorName).toBe('B 改')
    expect((await b.evaluations.get(submitted[0]!.id))!.status).toBe('returned')

    await repo.apply(bundle, { [choiceKey('evaluation', drafts[1]!.id)]: 'incoming' })
    const taken = (await b.evaluations.get(drafts[1]!.id))!
    expect(taken.evaluatorName).toBe('A 改')
    // A tab still holding the old copy must see that it was overtaken.
    expect(taken.editSeq).toBeGreaterThan(0)
    expect((await repo.preview(bundle)).totals.conflict).toBe(0)
  })

  it('exports only the chosen city and period, and records what was sent', async () => {
    const a = await seeded()
    const bytes = await exportBytes(a, { province: '江苏', city: '南京', period: '2026-Q4' })
    const bundle = await openIn(freshDb(), bytesSource(bytes))
    const codes = new Set(bundle.stores.map((s) => s.code))
    expect(bundle.stores.every((s) => s.city === '南京')).toBe(true)
    expect(bundle.evaluations.length).toBeGreaterThan(0)
    expect(bundle.evaluations.every((e) => codes.has(e.storeCode))).toBe(true)
    expect(bundle.manifest.scope).toEqual({ province: '江苏', city: '南京', period: '2026-Q4' })
    const exported = await createExchangeRepo(a, clock).exported()
    const sentIds = bundle.evaluations.filter((e) => e.status !== 'draft').map((e) => e.id)
    expect(Object.keys(exported).sort()).toEqual(sentIds.sort())
  })
})

describe('backup and restore', () => {
  async function backupBytes(db: AppDatabase): Promise<Uint8Array> {
    const chunks: Uint8Array[] = []
    await createBackupRepo(db, clock).backup(lookupTestRubric, (c) => {
      chunks.push(c)
    })
    return concat(chunks)
  }

  it('restores every table onto an empty device and refuses a device with data', async () => {
    const a = await seeded()
    await createBackupRepo(a, clock).backup(lookupTestRubric, () => {}) // sets lastBackupAt
    const bytes = await backupBytes(a)
    expect(await createBackupRepo(a).reminder()).toMatchObject({ due: false })

    const b = freshDb()
    const repoB = createBackupRepo(b, clock)
    const r = await repoB.open(bytesSource(bytes), lookupTestRubric)
    if (!r.ok) throw new Error(JSON.stringify(r.error))
    await repoB.restore(r.bundle)
    expect(await snapshot(b)).toBe(await snapshot(a))
    expect(await createBackupRepo(b).reminder()).toMatchObject({ due: false })
    expect((await b.meta.get('lastBackupAt'))?.value).toBe('2026-12-10T09:00:00.000Z')

    const c = await seeded()
    await c.evaluations.limit(1).modify({ evaluatorName: 'only on C' })
    const before = await snapshot(c)
    await expect(createBackupRepo(c, clock).restore(r.bundle)).rejects.toThrow(NotEmptyError)
    expect(await snapshot(c)).toBe(before)
  })

  it('a backup is not accepted as an exchange bundle', async () => {
    const a = await seeded()
    const r = await createExchangeRepo(freshDb(), clock).open(
      bytesSource(await backupBytes(a)),
      lookupTestRubric,
    )
    expect(r.ok ? null : r.error.code).toBe('wrong-kind')
  })

  it('reminds when the last backup is over a week old and submitted evaluations were never exported', async () => {
    const a = await seeded()
    const later = () => new Date('2026-12-20T09:00:00Z')
    await createBackupRepo(a, clock).backup(lookupTestRubric, () => {})
    const reminder = await createBackupRepo(a, later).reminder()
    const locked = await a.evaluations.where('status').anyOf('submitted', 'returned').count()
    expect(reminder).toEqual({ due: true, daysSinceBackup: 10, unsent: locked })
    await exportBytes(a)
    expect(await createBackupRepo(a, later).reminder()).toEqual({
      due: false,
      daysSinceBackup: 10,
      unsent: 0,
    })
  })
})

describe('device signatures', () => {
  it('a signed bundle shows its signer, is trusted on first use, and a forged manifest is refused', async () => {
    const a = await seeded()
    const repoA = createExchangeRepo(a, clock)
    const key = await repoA.deviceKey()
    // Stored once: the same key comes back.
    expect((await repoA.deviceKey()).publicJwk).toEqual(key.publicJwk)
    const chunks: Uint8Array[] = []
    await repoA.exportBundle({}, lookupTestRubric, (c) => void chunks.push(c), { key })
    const bytes = concat(chunks)

    const b = freshDb()
    const repoB = createExchangeRepo(b, clock)
    const bundle = await openIn(b, bytesSource(bytes))
    expect(bundle.signer?.fingerprint).toMatch(/^[0-9a-f]{16}$/)
    expect((await repoB.preview(bundle)).signer?.trust).toBe('first-seen')
    await repoB.apply(bundle)
    expect((await repoB.preview(await openIn(b, bytesSource(bytes)))).signer?.trust).toBe('known')

    // Another key claiming the same device id.
    const other = await generateDeviceKey()
    const forged: Uint8Array[] = []
    await repoA.exportBundle({}, lookupTestRubric, (c) => void forged.push(c), { key: other })
    expect((await repoB.preview(await openIn(b, bytesSource(concat(forged))))).signer?.trust).toBe(
      'changed',
    )

    // A manifest edited after signing (checksums recomputed by a careful forger) fails the signature.
    const files = unzipSync(bytes)
    const m = JSON.parse(strFromU8(files['manifest.json']!))
    m.exportedBy.evaluator = 'someone else'
    files['manifest.json'] = strToU8(JSON.stringify(m))
    const r = await repoB.open(bytesSource(zipSync(files)), lookupTestRubric)
    expect(r.ok ? null : r.error.code).toBe('bad-signature')
  })
})

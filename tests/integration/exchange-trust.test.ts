/**
 * Bundles between devices without a server are not believed on their word: a device id known to
 * sign that arrives unsigned or with another key is refused unless deliberately accepted (and the
 * pin does not move); a claimed score is recomputed from the answers, shown and replaced.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type AppDatabase } from '../../src/db/database'
import { createExchangeRepo, UntrustedBundleError } from '../../src/db/exchange.repo'
import { createMetaRepo } from '../../src/db/meta.repo'
import { canonical, choiceKey } from '../../src/domain/merge'
import { bytesSource, concat, sha256Hex } from '../../src/io/bundle'
import { demoRows, lookupTestRubric } from '../fixtures/exchange'
import { uniqueName } from '../helpers/db-fixtures'

const opened: AppDatabase[] = []
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close()
    await db.delete()
  }
})
const clock = () => new Date('2026-12-10T09:00:00Z')

function open(): AppDatabase {
  const db = openDatabase(uniqueName('trust'))
  opened.push(db)
  return db
}

async function seeded(): Promise<AppDatabase> {
  const db = open()
  const rows = demoRows()
  await db.stores.bulkPut(rows.stores)
  await db.evaluations.bulkPut(rows.evaluations)
  await db.photos.bulkPut(rows.photos)
  await db.actions.bulkPut(rows.actions)
  return db
}

async function bundleFrom(db: AppDatabase, signed: boolean): Promise<Uint8Array> {
  const repo = createExchangeRepo(db, clock)
  const chunks: Uint8Array[] = []
  await repo.exportBundle(
    {},
    lookupTestRubric,
    (c) => void chunks.push(c),
    signed ? { key: await repo.deviceKey() } : {},
  )
  return concat(chunks)
}

async function dump(db: AppDatabase): Promise<string> {
  const out: Record<string, unknown> = {}
  for (const t of db.tables)
    out[t.name] = ((await t.toArray()) as Record<string, unknown>[]).map((r) =>
      Object.fromEntries(
        Object.entries(r).map(([k, v]) => [
          k,
          v instanceof ArrayBuffer ? Buffer.from(v).toString('base64') : v,
        ]),
      ),
    )
  return canonical(out)
}

async function readIn(db: AppDatabase, bytes: Uint8Array) {
  const r = await createExchangeRepo(db, clock).open(bytesSource(bytes), lookupTestRubric)
  if (!r.ok) throw new Error(JSON.stringify(r.error))
  return r.bundle
}

describe('a bundle from a device known to sign', () => {
  it('unsigned, or signed with another key, is refused unless accepted; the pin stays', async () => {
    const a = await seeded()
    const aId = await createMetaRepo(a).deviceId()
    const c = open()
    const repoC = createExchangeRepo(c, clock)
    // First signed file: pinned (trust on first use).
    const first = await readIn(c, await bundleFrom(a, true))
    expect((await repoC.preview(first)).signer?.trust).toBe('first-seen')
    await repoC.apply(first)
    const pinned = (await createMetaRepo(c).get('trustedDevices'))![aId]
    expect(pinned).toMatch(/^[0-9a-f]{16}$/)

    // The same device id, unsigned now (a stripped signature).
    await a.evaluations
      .filter((e) => e.status === 'draft')
      .limit(1)
      .modify({ evaluatorName: 'changed on A', updatedAt: '2026-12-09T00:00:00.000Z' })
    const unsigned = await readIn(c, await bundleFrom(a, false))
    const p1 = await repoC.preview(unsigned)
    expect(p1.trustProblem).toEqual({ kind: 'unsigned', deviceId: aId, pinned })
    const before = await dump(c)
    await expect(repoC.apply(unsigned)).rejects.toBeInstanceOf(UntrustedBundleError)
    expect(await dump(c)).toBe(before)

    // An impostor: another database claiming A's device id, with its own key.
    const d = await seeded()
    await createMetaRepo(d).set('deviceId', aId)
    await d.evaluations.limit(1).modify({ evaluatorName: 'from the impostor' })
    const forged = await readIn(c, await bundleFrom(d, true))
    const p2 = await repoC.preview(forged)
    expect(p2.trustProblem).toMatchObject({ kind: 'key-changed', deviceId: aId, pinned })
    await expect(repoC.apply(forged)).rejects.toBeInstanceOf(UntrustedBundleError)
    expect(await dump(c)).toBe(before)

    // Accepted deliberately: written, and the pinned key is still the first one.
    // (The edit is a same-stage change: a conflict, taken from the file here.)
    const choices = Object.fromEntries(
      p1.conflicts.map((i) => [choiceKey(i.kind, i.id), 'incoming' as const]),
    )
    expect(p1.conflicts.length).toBe(1)
    await repoC.apply(unsigned, choices, { acceptTrustProblem: true })
    expect(await dump(c)).not.toBe(before)
    expect((await createMetaRepo(c).get('trustedDevices'))![aId]).toBe(pinned)
  })
})

describe('a claimed score', () => {
  it('is recomputed from the answers, listed in the preview, and the recomputed one is kept', async () => {
    const a = await seeded()
    const good = unzipSync(await bundleFrom(a, false))
    const ev = JSON.parse(strFromU8(good['evaluations.json']!)) as {
      evaluations: { id: string; status: string; result: { final: number; grade: string } | null }[]
    }
    const target = ev.evaluations.find((e) => e.status === 'submitted' && e.result)!
    const honest = target.result!.final
    target.result = { ...target.result!, final: 10000, grade: 'excellent' }
    good['evaluations.json'] = strToU8(JSON.stringify(ev))
    const m = JSON.parse(strFromU8(good['manifest.json']!)) as {
      parts: Record<string, { sha256: string; size: number }>
    }
    m.parts['evaluations.json'] = {
      sha256: await sha256Hex(good['evaluations.json']),
      size: good['evaluations.json'].byteLength,
    }
    good['manifest.json'] = strToU8(JSON.stringify(m))

    const c = open()
    const repoC = createExchangeRepo(c, clock)
    const bundle = await readIn(c, zipSync(good))
    const preview = await repoC.preview(bundle)
    expect(preview.recomputed).toEqual([
      { id: target.id, storeCode: expect.any(String), stored: 10000, recomputed: honest },
    ])
    await repoC.apply(bundle)
    const saved = await c.evaluations.get(target.id)
    expect((saved!.result as { final: number }).final).toBe(honest)
    expect(honest).not.toBe(10000)
  })
})

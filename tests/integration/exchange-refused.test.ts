/**
 * Issue 7: a refused bundle leaves the database exactly as it was. The device has data, a device
 * key and a trusted signer; each bad file goes through the same calls the Exchange page makes
 * (open, and for a backup the backup repo's open). Every table, every row (photo bytes and meta
 * rows included) is dumped before and after and compared. The all-or-nothing apply and the
 * restore onto a device with data are covered in exchange.test.ts.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type AppDatabase } from '../../src/db/database'
import { createBackupRepo } from '../../src/db/backup.repo'
import { createExchangeRepo } from '../../src/db/exchange.repo'
import { canonical } from '../../src/domain/merge'
import { concat, sha256Hex, bytesSource } from '../../src/io/bundle'
import { demoRows, lookupTestRubric } from '../fixtures/exchange'

const opened: AppDatabase[] = []
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close()
    await db.delete()
  }
})
const clock = () => new Date('2026-12-10T09:00:00Z')

/** Every row of every table of the schema, binary fields as base64, as one string. */
async function dump(db: AppDatabase): Promise<string> {
  const out: Record<string, unknown> = {}
  for (const table of db.tables) {
    const rows = (await table.toArray()) as Record<string, unknown>[]
    out[table.name] = rows.map((r) =>
      Object.fromEntries(
        Object.entries(r).map(([k, v]) => [
          k,
          v instanceof ArrayBuffer || ArrayBuffer.isView(v)
            ? Buffer.from(v as ArrayBuffer).toString('base64')
            : v,
        ]),
      ),
    )
  }
  return canonical(out)
}

async function seeded(name: string): Promise<AppDatabase> {
  const db = openDatabase(name)
  opened.push(db)
  const rows = demoRows()
  await db.transaction('rw', [db.stores, db.evaluations, db.photos, db.actions], async () => {
    await db.stores.bulkPut(rows.stores)
    await db.evaluations.bulkPut(rows.evaluations)
    await db.photos.bulkPut(rows.photos)
    await db.actions.bulkPut(rows.actions)
  })
  return db
}

async function exportFrom(db: AppDatabase, signed: boolean): Promise<Uint8Array> {
  const repo = createExchangeRepo(db, clock)
  const chunks: Uint8Array[] = []
  const opts = signed ? { key: await repo.deviceKey() } : undefined
  await repo.exportBundle({}, lookupTestRubric, (c) => void chunks.push(c), opts)
  return concat(chunks)
}

async function rezip(
  good: Uint8Array,
  edit: (f: Record<string, Uint8Array>) => void,
  fix = false,
): Promise<Uint8Array> {
  const files = unzipSync(good)
  edit(files)
  if (fix) {
    const m = JSON.parse(strFromU8(files['manifest.json']!)) as {
      parts: Record<string, unknown>
    }
    for (const name of Object.keys(m.parts))
      if (files[name])
        m.parts[name] = { sha256: await sha256Hex(files[name]), size: files[name].byteLength }
    files['manifest.json'] = strToU8(JSON.stringify(m))
  }
  return zipSync(files)
}

describe('a refused bundle leaves the database unchanged', () => {
  it('every table and row is identical after each of 16 refused files', async () => {
    // Device A exports; device B has its own data, its own key, and already trusts A.
    const a = await seeded(`refused-a-${Date.now()}`)
    const signed = await exportFrom(a, true)
    const unsigned = await exportFrom(a, false)
    const b = await seeded(`refused-b-${Date.now()}`)
    const repoB = createExchangeRepo(b, clock)
    await repoB.deviceKey()
    const first = await repoB.open(bytesSource(signed), lookupTestRubric)
    if (!first.ok) throw new Error(JSON.stringify(first.error))
    await repoB.apply(first.bundle)
    await b.evaluations.limit(1).modify({ evaluatorName: 'edited on B only' })
    await createBackupRepo(b, clock).backup(lookupTestRubric, () => {})

    const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`
    const photoPart = Object.keys(unzipSync(unsigned)).find((n) => n.startsWith('photos/'))!
    const bad: [string, Uint8Array][] = [
      ['empty', new Uint8Array(0)],
      ['html', strToU8('<img src=x onerror=alert(1)><script>alert(1)</script>')],
      ['truncated', signed.slice(0, Math.floor(signed.length * 0.7))],
      [
        'tampered stores',
        await rezip(unsigned, (f) => {
          f['stores.json'] = strToU8(strFromU8(f['stores.json']!).replace('"level":1', '"level":2'))
        }),
      ],
      ['photo removed', await rezip(unsigned, (f) => void delete f[photoPart])],
      [
        'photo changed',
        await rezip(unsigned, (f) => {
          const p = f[photoPart]!.slice()
          p[0] = p[0]! ^ 1
          f[photoPart] = p
        }),
      ],
      [
        'extra part with markup name',
        await rezip(
          unsigned,
          (f) => void (f['<img src=x onerror=alert(1)>.html'] = strToU8('<script>')),
        ),
      ],
      [
        'forged after signing',
        await rezip(
          signed,
          (f) => {
            f['stores.json'] = strToU8(
              strFromU8(f['stores.json']!).replace(/"name":"[^"]*"/, '"name":"forged"'),
            )
          },
          true,
        ),
      ],
      [
        'deep nesting in a payload',
        await rezip(
          unsigned,
          (f) => {
            f['stores.json'] = strToU8(
              strFromU8(f['stores.json']!).replace(/^\[\{/, `[{"x":${deep},`),
            )
          },
          true,
        ),
      ],
      [
        'bad record',
        await rezip(
          unsigned,
          (f) => {
            f['actions.json'] = strToU8('[{"id":"<script>"}]')
          },
          true,
        ),
      ],
      [
        'newer format',
        await rezip(unsigned, (f) => {
          const m = JSON.parse(strFromU8(f['manifest.json']!))
          m.formatVersion = 99
          f['manifest.json'] = strToU8(JSON.stringify(m))
        }),
      ],
      ['zip of the bundle', zipSync({ 'bundle.zip': unsigned })],
      [
        'a backup offered as a bundle',
        await (async () => {
          const chunks: Uint8Array[] = []
          await createBackupRepo(a, clock).backup(lookupTestRubric, (c) => void chunks.push(c))
          return concat(chunks)
        })(),
      ],
      [
        'unknown rubric',
        await rezip(
          unsigned,
          (f) => {
            f['evaluations.json'] = strToU8(
              strFromU8(f['evaluations.json']!).replaceAll(
                '"rubricVersion":"1.0.0"',
                '"rubricVersion":"9.9.9"',
              ),
            )
          },
          true,
        ),
      ],
    ]

    const before = await dump(b)
    expect(before).toContain('edited on B only')
    const codes: string[] = []
    for (const [label, bytes] of bad) {
      const r = await repoB.open(bytesSource(bytes), lookupTestRubric)
      expect(r.ok, label).toBe(false)
      if (!r.ok) codes.push(r.error.code)
    }
    // The backup side: a bundle offered as a backup, and a damaged backup.
    const backupRepo = createBackupRepo(b, clock)
    for (const bytes of [unsigned, signed.slice(0, 100)]) {
      const r = await backupRepo.open(bytesSource(bytes), lookupTestRubric)
      expect(r.ok).toBe(false)
      if (!r.ok) codes.push(r.error.code)
    }
    expect(codes).toHaveLength(16)
    expect(new Set(codes).size).toBeGreaterThanOrEqual(9)
    expect(await dump(b)).toBe(before)
  }, 120_000)
})

/**
 * Backups are checked like bundles (schemas, SHA-256 per part, the device signature) and their
 * settings rows key by key (src/domain/backup-meta.ts). A backup failing any check is refused
 * and the device is unchanged: every table, every row, the meta rows (its own trust list and
 * device id) included. Each case is a real backup edited the way an attacker would.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type AppDatabase } from '../../src/db/database'
import { createBackupRepo } from '../../src/db/backup.repo'
import { createMetaRepo } from '../../src/db/meta.repo'
import { checkBackupMeta } from '../../src/domain/backup-meta'
import { canonical } from '../../src/domain/merge'
import { bytesSource, concat, sha256Hex } from '../../src/io/bundle'
import { demoRows, lookupTestRubric, TEST_RUBRIC } from '../fixtures/exchange'
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
  const db = openDatabase(uniqueName('backup'))
  opened.push(db)
  return db
}

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
            : v && typeof v === 'object' && 'privateKey' in v
              ? 'a device key'
              : v,
        ]),
      ),
    )
  }
  return canonical(out)
}

/** Device A with data, a trust list, a server session and a rubric imported from a bundle. */
async function deviceA(): Promise<AppDatabase> {
  const db = open()
  const rows = demoRows()
  await db.stores.bulkPut(rows.stores)
  await db.evaluations.bulkPut(rows.evaluations)
  await db.photos.bulkPut(rows.photos)
  await db.actions.bulkPut(rows.actions)
  const meta = createMetaRepo(db)
  await meta.set('trustedDevices', { 'device-b': '0123456789abcdef' })
  await meta.set('importedRubrics', [{ ...TEST_RUBRIC, id: 'imported', version: '2.0.0' }])
  await meta.set('lastBackupAt', '2026-11-01T08:00:00.000Z')
  await meta.set('databaseId', 'database-a')
  return db
}

async function backupOf(db: AppDatabase): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  await createBackupRepo(db, clock).backup(lookupTestRubric, (c) => void chunks.push(c))
  return concat(chunks)
}

/** Edits parts, fixes every hash in the manifest, and drops the signature (unsigned is allowed). */
async function edited(
  good: Uint8Array,
  edit: (f: Record<string, Uint8Array>) => void,
  opts: { keepSignature?: boolean; fixHashes?: boolean } = {},
): Promise<Uint8Array> {
  const files = unzipSync(good)
  edit(files)
  const m = JSON.parse(strFromU8(files['manifest.json']!)) as {
    parts: Record<string, { sha256: string; size: number }>
    signature?: unknown
  }
  if (opts.fixHashes !== false)
    for (const name of Object.keys(files))
      if (name !== 'manifest.json')
        m.parts[name] = { sha256: await sha256Hex(files[name]!), size: files[name]!.byteLength }
  if (!opts.keepSignature) delete m.signature
  files['manifest.json'] = strToU8(JSON.stringify(m))
  return zipSync(files)
}

const json = (v: unknown) => strToU8(JSON.stringify(v))
type MetaRows = { key: string; value: unknown }[]
const withMeta = (f: (rows: MetaRows) => MetaRows) => (files: Record<string, Uint8Array>) => {
  files['meta.json'] = json(f(JSON.parse(strFromU8(files['meta.json']!)) as MetaRows))
}
const setMeta = (key: string, value: unknown) =>
  withMeta((rows) => [...rows.filter((r) => r.key !== key), { key, value }])

describe('a backup', () => {
  it('carries only the data’s own settings, signed with the device key', async () => {
    const a = await deviceA()
    await createMetaRepo(a).set('serverSession', {
      url: 'https://sync.example',
      token: 'secret-token',
      expiresAt: '2027-01-01T00:00:00.000Z',
      user: { id: 1, username: 'u', displayName: 'U', disabled: false, roles: [] },
      signedInAt: '2026-12-01T00:00:00.000Z',
    })
    const files = unzipSync(await backupOf(a))
    const keys = (JSON.parse(strFromU8(files['meta.json']!)) as MetaRows).map((r) => r.key).sort()
    expect(keys).toEqual(['databaseId', 'importedRubrics', 'lastBackupAt'])
    expect(strFromU8(files['meta.json']!)).not.toContain('secret-token')
    const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as { signature?: unknown }
    expect(manifest.signature).toMatchObject({ alg: 'ECDSA-P256-SHA256' })
  })

  it('failing any check is refused, and the device is unchanged', async () => {
    const good = await backupOf(await deviceA())
    const badRubric = { ...TEST_RUBRIC, id: 'imported', version: '2.0.0' }
    badRubric.sections = badRubric.sections.map((s, i) =>
      i === 0 ? { ...s, weight: s.weight + 7 } : s,
    )
    const cases: [string, Uint8Array, string, RegExp?][] = [
      [
        'importedRubrics: 5',
        await edited(good, setMeta('importedRubrics', 5)),
        'bad-record',
        /importedRubrics/,
      ],
      [
        'an imported rubric whose weights do not add up',
        await edited(good, setMeta('importedRubrics', [badRubric])),
        'bad-record',
        /importedRubrics\[0\]/,
      ],
      [
        'pre-seeded trusted devices',
        await edited(good, setMeta('trustedDevices', { 'device-c': 'ffffffffffffffff' })),
        'bad-record',
        /trustedDevices/,
      ],
      [
        'a device key row',
        await edited(good, setMeta('deviceKey', { publicJwk: {} })),
        'bad-record',
        /deviceKey/,
      ],
      [
        'a device id row',
        await edited(good, setMeta('deviceId', 'device-c')),
        'bad-record',
        /deviceId/,
      ],
      ['an unknown setting', await edited(good, setMeta('isAdmin', true)), 'bad-record', /isAdmin/],
      [
        'a date that is not one',
        await edited(good, setMeta('lastBackupAt', 'yesterday')),
        'bad-record',
        /lastBackupAt/,
      ],
      [
        'a key twice',
        await edited(
          good,
          withMeta((rows) => [...rows, rows[0]!]),
        ),
        'bad-record',
        /appears twice/,
      ],
      [
        'meta changed under a kept signature',
        await edited(good, setMeta('lastBackupAt', '2026-12-09T00:00:00.000Z'), {
          keepSignature: true,
        }),
        'bad-signature',
      ],
      [
        'meta changed, hashes not fixed',
        await edited(good, setMeta('lastBackupAt', '2026-12-09T00:00:00.000Z'), {
          fixHashes: false,
        }),
        'tampered',
      ],
      [
        'an evaluation with an unknown status',
        await edited(good, (f) => {
          const ev = JSON.parse(strFromU8(f['evaluations.json']!)) as {
            evaluations: Record<string, unknown>[]
          }
          ev.evaluations[0]!.status = 'approved'
          f['evaluations.json'] = json(ev)
        }),
        'bad-record',
      ],
    ]

    // The target: empty of data, but with its own identity and trust list.
    const c = open()
    await createMetaRepo(c).deviceId()
    await createMetaRepo(c).set('trustedDevices', { 'device-x': '1111111111111111' })
    const before = await dump(c)
    const repo = createBackupRepo(c, clock)
    for (const [label, bytes, code, where] of cases) {
      const r = await repo.open(bytesSource(bytes), lookupTestRubric)
      expect(r.ok, label).toBe(false)
      if (r.ok) continue
      expect(r.error.code, label).toBe(code)
      if (where) expect(JSON.stringify(r.error.params), label).toMatch(where)
      expect(await dump(c), label).toBe(before)
    }

    // The unedited backup restores; the device keeps its own trust list and id.
    const r = await repo.open(bytesSource(good), lookupTestRubric)
    expect(r.ok).toBe(true)
    if (!r.ok) return
    await repo.restore(r.bundle)
    const meta = createMetaRepo(c)
    expect(await meta.get('trustedDevices')).toEqual({ 'device-x': '1111111111111111' })
    expect((await meta.importedRubrics()).map((x) => x.id)).toEqual(['imported'])
    expect(await meta.get('databaseId')).toBe('database-a')
    expect(await c.stores.count()).toBe(demoRows().stores.length)
  }, 120_000)

  it('from an older version keeps its data, without the server connection rows', () => {
    const check = checkBackupMeta([
      { key: 'lastBackupAt', value: '2026-11-01T08:00:00.000Z' },
      { key: 'serverSession', value: { token: 'x' } },
      { key: 'syncCursor', value: 42 },
    ])
    expect(check).toEqual({
      ok: true,
      rows: [{ key: 'lastBackupAt', value: '2026-11-01T08:00:00.000Z' }],
      skipped: ['serverSession', 'syncCursor'],
    })
  })
})

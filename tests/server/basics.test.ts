import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/server/db'
import {
  knownMigrations,
  migrate,
  MigrationMismatch,
  splitStatements,
} from '../../src/server/migrate'
import {
  auth,
  ENGINES,
  freshPgDatabase,
  openHarness,
  PASSWORD,
  signIn,
  type Harness,
} from './harness'

describe.each(ENGINES)('server basics on %s', (engine) => {
  let h: Harness
  beforeAll(async () => {
    h = await openHarness(engine)
  })
  afterAll(() => h.close())

  it('answers health with the engine and the migrations applied', async () => {
    const r = await h.app.inject({ url: '/api/health' })
    expect(r.statusCode).toBe(200)
    expect(r.json()).toEqual({ ok: true, engine, migrations: (await knownMigrations()).length })
  })

  it('sends security headers and no CORS header to an unknown origin', async () => {
    const r = await h.app.inject({
      url: '/api/health',
      headers: { origin: 'https://evil.example' },
    })
    expect(r.headers['x-content-type-options']).toBe('nosniff')
    expect(r.headers['x-frame-options']).toBe('DENY')
    expect(r.headers['content-security-policy']).toContain("default-src 'none'")
    expect(r.headers['access-control-allow-origin']).toBeUndefined()
    const pre = await h.app.inject({
      method: 'OPTIONS',
      url: '/api/sync/push',
      headers: { origin: 'https://evil.example' },
    })
    expect(pre.statusCode).toBe(403)
  })

  it('allows CORS for the configured app origin only', async () => {
    const pre = await h.app.inject({
      method: 'OPTIONS',
      url: '/api/sync/push',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    })
    expect(pre.statusCode).toBe(204)
    expect(pre.headers['access-control-allow-origin']).toBe('https://app.example')
  })

  it('never sends a stack trace or SQL text', async () => {
    const bad = await h.app.inject({
      method: 'POST',
      url: '/api/session',
      headers: { 'content-type': 'application/json' },
      payload: '{"username": ',
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).not.toMatch(/at |SELECT|Unexpected|position/)
    const none = await h.app.inject({ url: '/api/nothing' })
    expect(none.statusCode).toBe(404)
    const big = await h.app.inject({
      method: 'POST',
      url: '/api/session',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ username: 'x'.repeat(2_000_000), password: 'y' }),
    })
    expect(big.statusCode).toBe(413)
    const query = await h.app.inject({
      url: '/api/sync/pull?cursor=abc',
      headers: auth(await signIn(h, 'js-viewer')),
    })
    expect(query.statusCode).toBe(400)
    expect(query.json().error).toBe('invalid-request')
  })

  it('signs in, answers /api/me, signs out; the token is stored only as a hash', async () => {
    const r = await h.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'nj-inspector', password: PASSWORD },
    })
    expect(r.statusCode).toBe(200)
    const { token, user } = r.json()
    expect(user.roles).toEqual([{ role: 'inspector', unit: 'group/江苏/南京' }])
    const stored = await h.db.query<{ token_hash: string }>('SELECT token_hash FROM sessions')
    expect(stored.some((s) => s.token_hash === token)).toBe(false)
    expect((await h.app.inject({ url: '/api/me', headers: auth(token) })).json().username).toBe(
      'nj-inspector',
    )
    expect(
      (await h.app.inject({ method: 'DELETE', url: '/api/session', headers: auth(token) }))
        .statusCode,
    ).toBe(204)
    expect((await h.app.inject({ url: '/api/me', headers: auth(token) })).statusCode).toBe(401)
  })

  it('refuses wrong passwords and limits attempts per user, even with the right password after', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await h.app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { username: 'zj-inspector', password: 'wrong' },
      })
      expect(r.statusCode).toBe(401)
    }
    const r = await h.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'zj-inspector', password: PASSWORD },
    })
    expect(r.statusCode).toBe(429)
  })

  it('limits attempts per address across user names', async () => {
    const from = { remoteAddress: '10.9.9.9' }
    let last = 0
    for (let i = 0; i < 31; i++) {
      const r = await h.app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { username: `nobody${i}`, password: 'x' },
        ...from,
      })
      last = r.statusCode
    }
    expect(last).toBe(429)
    const ok = await h.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'js-viewer', password: PASSWORD },
      remoteAddress: '10.9.9.10',
    })
    expect(ok.statusCode).toBe(200)
  })

  it("stops a disabled user's tokens at once", async () => {
    const token = await signIn(h, 'js-inspector')
    const admin = await signIn(h, 'admin')
    const [u] = await h.db.query<{ id: number }>(
      "SELECT id FROM users WHERE username = 'js-inspector'",
    )
    expect((await h.app.inject({ url: '/api/me', headers: auth(token) })).statusCode).toBe(200)
    const d = await h.app.inject({
      method: 'PATCH',
      url: `/api/users/${u!.id}`,
      headers: auth(admin),
      payload: { disabled: true },
    })
    expect(d.statusCode).toBe(200)
    expect((await h.app.inject({ url: '/api/me', headers: auth(token) })).statusCode).toBe(401)
    await h.app.inject({
      method: 'PATCH',
      url: `/api/users/${u!.id}`,
      headers: auth(admin),
      payload: { disabled: false },
    })
    expect((await h.app.inject({ url: '/api/me', headers: auth(token) })).statusCode).toBe(401)
  })

  it('revokes a device: its tokens stop and it cannot sign in again', async () => {
    const token = await signIn(h, 'nj-manager', 'tablet-0001')
    const admin = await signIn(h, 'js-admin')
    const r = await h.app.inject({
      method: 'POST',
      url: '/api/devices/tablet-0001/revoke',
      headers: auth(admin),
    })
    expect(r.statusCode).toBe(204)
    expect((await h.app.inject({ url: '/api/me', headers: auth(token) })).statusCode).toBe(401)
    const again = await h.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'nj-manager', password: PASSWORD, deviceId: 'tablet-0001' },
    })
    expect(again.statusCode).toBe(403)
    // Another province's admin may not revoke it.
    const other = await signIn(h, 'zj-certifier')
    expect(
      (
        await h.app.inject({
          method: 'POST',
          url: '/api/devices/tablet-0001/revoke',
          headers: auth(other),
        })
      ).statusCode,
    ).toBe(403)
  })

  it('changes one’s own password; other sessions end', async () => {
    const a = await signIn(h, 'nj-certifier')
    const b = await signIn(h, 'nj-certifier')
    const wrong = await h.app.inject({
      method: 'POST',
      url: '/api/me/password',
      headers: auth(a),
      payload: { currentPassword: 'nope', newPassword: 'a new long password' },
    })
    expect(wrong.statusCode).toBe(403)
    const ok = await h.app.inject({
      method: 'POST',
      url: '/api/me/password',
      headers: auth(a),
      payload: { currentPassword: PASSWORD, newPassword: 'a new long password' },
    })
    expect(ok.statusCode).toBe(204)
    expect((await h.app.inject({ url: '/api/me', headers: auth(a) })).statusCode).toBe(200)
    expect((await h.app.inject({ url: '/api/me', headers: auth(b) })).statusCode).toBe(401)
    const login = await h.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'nj-certifier', password: 'a new long password' },
    })
    expect(login.statusCode).toBe(200)
    const hash = await h.db.query<{ password_hash: string }>(
      "SELECT password_hash FROM users WHERE username = 'nj-certifier'",
    )
    expect(hash[0]!.password_hash).toMatch(/^\$argon2id\$/)
  })

  it('keeps the audit log append-only', async () => {
    await expect(h.db.query('DELETE FROM audit')).rejects.toThrow(/append-only/)
    await expect(h.db.query("UPDATE audit SET action = 'x'")).rejects.toThrow(/append-only/)
  })

  it('serves an OpenAPI document naming the fixed paths', async () => {
    const r = await h.app.inject({ url: '/api/openapi.json' })
    const doc = r.json()
    for (const p of [
      '/api/session',
      '/api/me',
      '/api/stores',
      '/api/rankings',
      '/api/sync/push',
      '/api/sync/pull',
      '/api/photos/{sha256}',
      '/api/bundles',
      '/api/users',
      '/api/health',
    ])
      expect(Object.keys(doc.paths)).toContain(p)
  })
})

describe('migrations', () => {
  it('splits statements but keeps $$ bodies whole', () => {
    const s = splitStatements(
      "CREATE TABLE a (x int);\n-- c;\nCREATE FUNCTION f() RETURNS trigger AS $$\nBEGIN\n  RAISE EXCEPTION 'x';\nEND\n$$;\nSELECT 1;",
    )
    expect(s).toHaveLength(3)
    expect(s[1]).toContain('RAISE')
  })

  it('applies each once and refuses a database whose migrations are not a prefix of the known ones', async () => {
    const db = await openDatabase({ pgliteDir: 'memory://' })
    const known = await knownMigrations()
    expect(await migrate(db, known)).toEqual(known.map((m) => m.name))
    expect(await migrate(db, known)).toEqual([])
    const renamed = known.map((m, i) => (i === 0 ? { ...m, name: '0001_other' } : m))
    await expect(migrate(db, renamed)).rejects.toBeInstanceOf(MigrationMismatch)
    await expect(migrate(db, [])).rejects.toThrow(/does not know/)
    // A failing migration leaves nothing behind (its own transaction).
    const broken = [
      ...known,
      {
        id: known.length + 1,
        name: `${String(known.length + 1).padStart(4, '0')}_broken`,
        sql: 'CREATE TABLE t1 (x int);\nSELECT nonsense FROM nowhere;',
      },
    ]
    await expect(migrate(db, broken)).rejects.toThrow()
    expect(
      await db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 't1'"),
    ).toEqual([])
    await db.close()
  })
})

describe.each(ENGINES)('migration 0002 on %s', (engine) => {
  it('links the photos of records already stored before it (answers and action evidence)', async () => {
    const fresh = engine === 'postgresql' ? await freshPgDatabase() : null
    const db = await openDatabase(fresh ? { databaseUrl: fresh.url } : { pgliteDir: 'memory://' })
    try {
      const known = await knownMigrations()
      await migrate(db, known.slice(0, 1))
      const [a, b, c] = ['a', 'b', 'c'].map((x) => x.repeat(64))
      const rows = [
        ['evaluation', 'e1', { answers: { i1: { itemId: 'i1', photoIds: [a, 'not-a-hash'] } } }],
        ['evaluation', 'e2', { answers: { i1: { itemId: 'i1' }, i2: null } }],
        ['action', 'x1', { evidencePhotoIds: [b] }],
        ['store', 's1', { evidencePhotoIds: [c] }],
      ] as const
      for (const [i, [kind, id, data]] of rows.entries())
        await db.query(
          `INSERT INTO records (kind, id, unit, version, data) VALUES ($1, $2, 'group/江苏', $3, $4::jsonb)`,
          [kind, id, i + 1, JSON.stringify(data)],
        )
      await db.query(
        `INSERT INTO records (kind, id, unit, version, deleted) VALUES ('evaluation', 'gone', 'group', 9, true)`,
      )
      await db.query(
        `INSERT INTO photos (sha256, mime, size, uploaded_by) VALUES ($1, 'image/png', 1, 42)`,
        [c],
      )
      expect(await migrate(db, known)).toEqual(known.slice(1).map((m) => m.name))
      expect(
        await db.query('SELECT sha256, kind, id, unit FROM photo_refs ORDER BY sha256'),
      ).toEqual([
        { sha256: a, kind: 'evaluation', id: 'e1', unit: 'group/江苏' },
        { sha256: b, kind: 'action', id: 'x1', unit: 'group/江苏' },
      ])
      expect(await db.query('SELECT sha256, user_id::int AS u FROM photo_uploaders')).toEqual([
        { sha256: c, u: 42 },
      ])
    } finally {
      await db.close()
      await fresh?.drop()
    }
  })
})

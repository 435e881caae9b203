/**
 * Real server processes: SIGKILL in the middle of a push (nothing half-written, the retry
 * succeeds), two processes on one PostgreSQL database (no state kept in a process), and a
 * backup restored into an empty database serving the same data.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHash } from 'node:crypto'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { generateAnswers, seededRandom, seededUuid } from '../../src/demo/generate'
import { Rubrics } from '../../src/server/rubrics'
import { ENGINES, freshPgDatabase, STORES, type Engine } from './harness'
import { api, runCli, startServer, type ServerProcess } from './process'

const ADMIN_PASSWORD = 'boss password 2026'
const INSPECTOR_PASSWORD = 'inspector password 2026'

interface Deployment {
  env: Record<string, string>
  dataDir: string
  cleanup(): Promise<void>
}

async function deployment(engine: Engine): Promise<Deployment> {
  const dataDir = await mkdtemp(join(tmpdir(), 'srv-proc-'))
  const env: Record<string, string> = { DATA_DIR: dataDir, ADMIN_PASSWORD, DATABASE_URL: '' }
  let drop = async () => undefined as void
  if (engine === 'postgresql') {
    const fresh = await freshPgDatabase()
    env.DATABASE_URL = fresh.url
    drop = fresh.drop
  }
  return {
    env,
    dataDir,
    async cleanup() {
      await drop()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

/** The first admin (by the CLI, before any server holds PGlite's folder), then a server. */
async function createAdmin(d: Deployment): Promise<void> {
  const created = await runCli(['--create-admin', 'boss'], d.env)
  expect(created.code, created.out).toBe(0)
}

async function setUp(s: ServerProcess): Promise<void> {
  const boss = (
    await api(s.url, 'POST', '/api/session', { username: 'boss', password: ADMIN_PASSWORD })
  ).json.token as string
  expect((await api(s.url, 'PUT', '/api/stores', { stores: STORES }, boss)).status).toBe(200)
  const u = await api(
    s.url,
    'POST',
    '/api/users',
    {
      username: 'js-insp',
      displayName: '江苏检查员',
      password: INSPECTOR_PASSWORD,
      roles: [{ role: 'inspector', unit: 'group/江苏' }],
    },
    boss,
  )
  expect(u.status).toBe(201)
}

async function evaluations(n: number, seed: number) {
  const r = (await Rubrics.fromDir()).build([]).registry.get('ct-store-service', '1.0.0')!
  const rand = seededRandom(seed)
  const js = STORES.filter((s) => s.province === '江苏')
  return Array.from({ length: n }, (_, i) => ({
    kind: 'evaluation',
    op: 'put',
    baseVersion: null,
    record: {
      id: seededUuid(rand),
      storeCode: js[i % js.length]!.code,
      period: '2026-Q4',
      rubricId: r.id,
      rubricVersion: r.version,
      status: 'submitted',
      answers: generateAnswers(r, 0.5 + (i % 40) / 100, rand, '2026-10-10T09:00:00.000Z').answers,
      revision: 1,
      revisionOf: null,
      createdAt: '2026-10-10T09:00:00.000Z',
      submittedAt: '2026-10-10T10:00:00.000Z',
    },
  }))
}

const counts = async (s: ServerProcess, token: string) => {
  let cursor = 0
  let n = 0
  for (;;) {
    const p = await api(
      s.url,
      'GET',
      `/api/sync/pull?cursor=${cursor}&limit=5000`,
      undefined,
      token,
    )
    expect(p.status).toBe(200)
    n += (p.json.changes as { kind: string }[]).filter((c) => c.kind === 'evaluation').length
    cursor = p.json.cursor as number
    if (!p.json.more) return n
  }
}

const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const c of cleanups.reverse()) await c()
})

// Child processes start through tsx and PGlite: slow on a loaded 2-core machine.
describe.each(ENGINES)('server processes on %s', { timeout: 240_000 }, (engine) => {
  it('SIGKILL in the middle of a push: nothing half-written, the retry succeeds', async () => {
    const d = await deployment(engine)
    cleanups.push(d.cleanup)
    await createAdmin(d)
    let s = await startServer(d.env)
    cleanups.push(() => s.stop('SIGKILL'))
    await setUp(s)
    const login = async () =>
      (
        await api(s.url, 'POST', '/api/session', {
          username: 'js-insp',
          password: INSPECTOR_PASSWORD,
          deviceId: 'crash-tablet-1',
        })
      ).json.token as string
    let token = await login()
    const body = { deviceId: 'crash-tablet-1', seq: 1, changes: await evaluations(1500, 7) }
    const sent = api(s.url, 'POST', '/api/sync/push', body, token).then(
      (r) => ({ done: true as const, status: r.status }),
      () => ({ done: false as const, status: 0 }),
    )
    // PostgreSQL: kill once the push's transaction has locked the device row (seen from
    // pg_locks/pg_stat_activity), i.e. inside it. PGlite lives in the killed process, so there
    // the kill comes on a timer while the 1,500 evaluations are being read and scored.
    let insideTransaction = false
    if (engine === 'postgresql') {
      const watcher = new pg.Client({ connectionString: d.env.DATABASE_URL })
      await watcher.connect()
      const dbName = new URL(d.env.DATABASE_URL!).pathname.slice(1)
      for (let i = 0; i < 600 && !insideTransaction; i++) {
        const r = await watcher.query(
          `SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE a.datname = $1 AND l.relation = 'devices'::regclass AND l.mode = 'RowShareLock'`,
          [dbName],
        )
        insideTransaction = r.rows.length > 0
        if (!insideTransaction) await new Promise((res) => setTimeout(res, 20))
      }
      await watcher.end()
      expect(insideTransaction).toBe(true)
    } else {
      await new Promise((r) => setTimeout(r, 1500))
    }
    await s.stop('SIGKILL')
    const first = await sent
    s = await startServer(d.env)
    token = await login()
    const after = await counts(s, token)
    // All of the push or none of it: never a part.
    expect([0, 1500]).toContain(after)
    if (!first.done) expect(after).toBe(0)
    const retry = await api(s.url, 'POST', '/api/sync/push', body, token)
    expect(retry.status).toBe(200)
    expect(retry.json.replayed).toBe(after === 1500)
    expect(await counts(s, token)).toBe(1500)
    await s.stop()
  })

  it.runIf(engine === 'postgresql')(
    'two server processes on one database: one consistent state',
    async () => {
      const d = await deployment(engine)
      cleanups.push(d.cleanup)
      await createAdmin(d)
      const a = await startServer(d.env)
      const b = await startServer(d.env)
      cleanups.push(
        () => a.stop('SIGKILL'),
        () => b.stop('SIGKILL'),
      )
      await setUp(a)
      const token = (
        await api(b.url, 'POST', '/api/session', {
          username: 'js-insp',
          password: INSPECTOR_PASSWORD,
          deviceId: 'two-proc-tab',
        })
      ).json.token as string
      // The same push to both at once: one effect.
      const body = { deviceId: 'two-proc-tab', seq: 1, changes: await evaluations(50, 9) }
      const [ra, rb] = await Promise.all([
        api(a.url, 'POST', '/api/sync/push', body, token),
        api(b.url, 'POST', '/api/sync/push', body, token),
      ])
      expect([ra.status, rb.status]).toEqual([200, 200])
      expect([ra.json.replayed, rb.json.replayed].sort()).toEqual([false, true])
      // Alternating between them, the client sees one state.
      expect(await counts(a, token)).toBe(50)
      expect(await counts(b, token)).toBe(50)
      const next = { deviceId: 'two-proc-tab', seq: 2, changes: await evaluations(5, 10) }
      expect((await api(b.url, 'POST', '/api/sync/push', next, token)).status).toBe(200)
      expect(await counts(a, token)).toBe(55)
      // The login limit is counted in the database: failures on A count on B.
      for (let i = 0; i < 5; i++)
        await api(i % 2 ? a.url : b.url, 'POST', '/api/session', {
          username: 'boss',
          password: 'wrong',
        })
      expect(
        (await api(a.url, 'POST', '/api/session', { username: 'boss', password: ADMIN_PASSWORD }))
          .status,
      ).toBe(429)
      // Signing out on A ends the token on B at once.
      expect((await api(a.url, 'DELETE', '/api/session', undefined, token)).status).toBe(204)
      expect((await api(b.url, 'GET', '/api/me', undefined, token)).status).toBe(401)
      await a.stop()
      await b.stop()
    },
  )

  it('a backup restored into an empty database serves the same data, photos included', async () => {
    const d = await deployment(engine)
    cleanups.push(d.cleanup)
    await createAdmin(d)
    const s = await startServer(d.env)
    cleanups.push(() => s.stop('SIGKILL'))
    await setUp(s)
    const token = (
      await api(s.url, 'POST', '/api/session', {
        username: 'js-insp',
        password: INSPECTOR_PASSWORD,
      })
    ).json.token as string
    expect(
      (
        await api(
          s.url,
          'POST',
          '/api/sync/push',
          { deviceId: 'backup-tab-1', seq: 1, changes: await evaluations(20, 11) },
          token,
        )
      ).status,
    ).toBe(200)
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 9, 9])
    const sha = createHash('sha256').update(png).digest('hex')
    const up = await fetch(`${s.url}/api/photos/${sha}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' },
      body: png,
    })
    expect(up.status).toBe(201)
    const before = await api(s.url, 'GET', '/api/sync/pull?cursor=0&limit=5000', undefined, token)
    // PGlite is one process: the server stops for its backup; PostgreSQL's runs beside it.
    if (engine === 'pglite') await s.stop()
    const file = join(d.dataDir, 'backup.zip')
    const b = await runCli(['--backup', file], d.env)
    expect(b.code, b.out).toBe(0)
    await s.stop()

    const target = await deployment(engine)
    cleanups.push(target.cleanup)
    const r = await runCli(['--restore', file], target.env)
    expect(r.code, r.out).toBe(0)
    const again = await runCli(['--restore', file], target.env)
    expect(again.code).not.toBe(0)
    expect(again.out).toMatch(/not empty/)
    const s2 = await startServer(target.env)
    cleanups.push(() => s2.stop('SIGKILL'))
    const t2 = (
      await api(s2.url, 'POST', '/api/session', {
        username: 'js-insp',
        password: INSPECTOR_PASSWORD,
      })
    ).json.token as string
    const after = await api(s2.url, 'GET', '/api/sync/pull?cursor=0&limit=5000', undefined, t2)
    expect(after.json).toEqual(before.json)
    const photo = await fetch(`${s2.url}/api/photos/${sha}`, {
      headers: { authorization: `Bearer ${t2}` },
    })
    expect(Buffer.from(await photo.arrayBuffer())).toEqual(png)
    await s2.stop()
  })
})

/**
 * The sync server (issue 12), in process (Fastify, the real routes) on PostgreSQL when
 * BENCH_DATABASE_URL or TEST_DATABASE_URL names a server (a fresh database is created there),
 * else on PGlite in a temporary folder:
 * - first pull of a group user's data: 20,000 stores and 40,000 submitted evaluations (time,
 *   server heap and RSS growth);
 * - one push of 2,000 evaluations (every score recomputed, audit rows) beside the floor: the
 *   same 2,000 rows written with plain batched `pg` inserts in the same run, as a ratio;
 * - 200 simulated tablets on loopback, each pushing 5 evaluations and pulling its city three
 *   times at once (bounded: 200 × 3 rounds): p50/p95 latency and errors (target 0).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { generateAnswers, seededRandom, seededUuid } from '../../src/demo/generate'
import { scoreEvaluation } from '../../src/domain/scoring'
import type { Store } from '../../src/domain/types'
import { storePath } from '../../src/server/access'
import { buildApp } from '../../src/server/app'
import { DEFAULT_AUTH } from '../../src/server/auth'
import type { Context } from '../../src/server/context'
import { openDatabase } from '../../src/server/db'
import { migrate } from '../../src/server/migrate'
import { writeRecords, type RecordWrite } from '../../src/server/records'
import { upsertStores } from '../../src/server/register'
import { Rubrics } from '../../src/server/rubrics'
import { createUser } from '../../src/server/users'
import type { BenchFigure } from './types'

// BENCH_SERVER_SMALL=1: a tenth of the data, to try the bench quickly.
const SMALL = process.env.BENCH_SERVER_SMALL === '1'
const STORES = SMALL ? 2_000 : 20_000
const EVALUATIONS = SMALL ? 4_000 : 40_000
const PUSH = 2_000
const TABLETS = 200
const log = (m: string) => process.stderr.write(`server bench: ${m}\n`)
const ROUNDS = 3
const PASSWORD = 'bench password 2026'

function register(): Store[] {
  const out: Store[] = []
  for (let i = 0; i < STORES; i++) {
    const p = i % 31
    const c = Math.floor(i / 31) % 11
    out.push({
      code: `S${String(i).padStart(5, '0')}`,
      name: `厅${i}`,
      province: `省${p}`,
      city: `市${p}-${c}`,
      level: ((i % 3) + 1) as 1 | 2 | 3,
      type: 'self',
    })
  }
  return out
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0
}
const r1 = (x: number) => Math.round(x * 10) / 10

export async function run(): Promise<BenchFigure[]> {
  const url = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL
  const dir = await mkdtemp(join(tmpdir(), 'bench-server-'))
  let dbUrl: string | undefined
  let dropDb = async () => undefined as void
  if (url) {
    const name = `bench_${Date.now().toString(36)}`
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${name}`)
    await admin.end()
    const u = new URL(url)
    u.pathname = `/${name}`
    dbUrl = u.toString()
    dropDb = async () => {
      const c = new pg.Client({ connectionString: url })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await c.end()
    }
  }
  const engine = dbUrl ? 'postgresql' : 'pglite'
  const db = await openDatabase(
    dbUrl ? { databaseUrl: dbUrl, poolSize: 20 } : { pgliteDir: join(dir, 'pglite') },
  )
  const figures: BenchFigure[] = []
  try {
    await migrate(db)
    const rubrics = await Rubrics.fromDir()
    // Bench sign-ins use a lighter argon2 cost: 200 tablets signing in is not what is measured.
    const ctx: Context = {
      db,
      rubrics,
      config: {
        dataDir: dir,
        auth: { ...DEFAULT_AUTH, argon2: { memoryCost: 4096, timeCost: 1 } },
        maxPhotoBytes: 1 << 20,
        maxBundleBytes: 1 << 26,
        trustProxy: false,
      },
    }
    const rubric = rubrics.build([]).registry.get('ct-store-service', '1.0.0')!
    const stores = register()
    const system = { userId: null, username: 'bench', deviceId: null }
    await db.tx((sql) => upsertStores(sql, null, stores, system))
    log(`${engine}: ${STORES} stores written`)
    const rand = seededRandom(1201)
    const sets = Array.from(
      { length: 40 },
      (_, i) => generateAnswers(rubric, 0.5 + i / 100, rand, '2026-10-10T09:00:00.000Z').answers,
    )
    const scores = sets.map((a) => {
      const s = scoreEvaluation(rubric, a)
      if (!s.ok) throw new Error('bench answers invalid')
      return s.score
    })
    for (let from = 0; from < EVALUATIONS; from += 2000) {
      const writes: RecordWrite[] = []
      for (let i = from; i < Math.min(EVALUATIONS, from + 2000); i++) {
        const store = stores[i % STORES]!
        const k = i % sets.length
        const id = seededUuid(rand)
        writes.push({
          kind: 'evaluation',
          id,
          unit: storePath(store),
          storeCode: store.code,
          period: '2026-Q4',
          deleted: false,
          authorId: null,
          action: 'bench',
          data: {
            id,
            storeCode: store.code,
            period: '2026-Q4',
            reviewer: i < STORES ? 'self' : 'city',
            evaluatorName: '检查员',
            rubricId: rubric.id,
            rubricVersion: rubric.version,
            status: 'submitted',
            answers: sets[k],
            revision: 1,
            revisionOf: null,
            createdAt: '2026-10-10T09:00:00.000Z',
            updatedAt: '2026-10-10T10:00:00.000Z',
            submittedAt: '2026-10-10T10:00:00.000Z',
            result: scores[k],
            editSeq: 0,
          },
        })
      }
      await db.tx((sql) => writeRecords(sql, writes, system))
    }
    log(`${EVALUATIONS} evaluations written`)
    await db.tx(async (sql) => {
      await createUser(
        sql,
        ctx.config.auth,
        null,
        {
          username: 'bench-admin',
          displayName: '集团',
          password: PASSWORD,
          roles: [{ role: 'admin', unit: 'group' }],
        },
        system,
      )
      await createUser(
        sql,
        ctx.config.auth,
        null,
        {
          username: 'bench-insp',
          displayName: '检查员',
          password: PASSWORD,
          roles: [{ role: 'inspector', unit: 'group' }],
        },
        system,
      )
    })
    const app = await buildApp(ctx)
    const login = async (username: string, deviceId?: string) =>
      (
        await app.inject({
          method: 'POST',
          url: '/api/session',
          payload: { username, password: PASSWORD, ...(deviceId ? { deviceId } : {}) },
        })
      ).json().token as string

    // 1. First pull of everything (group admin), 5,000 a page.
    const admin = await login('bench-admin')
    global.gc?.()
    const heap0 = process.memoryUsage().heapUsed
    const rss0 = process.memoryUsage().rss
    let peakRss = rss0
    let cursor = 0
    let rows = 0
    let bytes = 0
    const t0 = performance.now()
    for (;;) {
      const res = await app.inject({
        url: `/api/sync/pull?cursor=${cursor}&limit=5000`,
        headers: { authorization: `Bearer ${admin}` },
      })
      bytes += res.rawPayload.length
      const page = res.json() as { changes: unknown[]; cursor: number; more: boolean }
      rows += page.changes.length
      cursor = page.cursor
      peakRss = Math.max(peakRss, process.memoryUsage().rss)
      if (!page.more) break
    }
    const pullMs = performance.now() - t0
    log(`first pull: ${Math.round(pullMs)} ms`)
    figures.push({
      name: `server (${engine}): first pull, ${STORES} stores + ${EVALUATIONS} evaluations (${rows} records, ${Math.round(bytes / 1e6)} MB JSON)`,
      value: r1(pullMs),
      unit: 'ms',
      target: 60_000,
    })
    figures.push({
      name: `server (${engine}): first pull, RSS growth of the server process`,
      value: Math.round((peakRss - rss0) / 1e6),
      unit: 'MB',
    })
    figures.push({
      name: `server (${engine}): first pull, heap after − before`,
      value: Math.round((process.memoryUsage().heapUsed - heap0) / 1e6),
      unit: 'MB',
    })

    // 2. One push of 2,000 evaluations against plain batched inserts.
    const insp = await login('bench-insp', 'bench-push-device')
    const changes = Array.from({ length: PUSH }, (_, i) => ({
      kind: 'evaluation',
      op: 'put',
      baseVersion: null,
      record: {
        id: seededUuid(rand),
        storeCode: stores[(i * 7) % STORES]!.code,
        period: '2026-Q4',
        rubricId: rubric.id,
        rubricVersion: rubric.version,
        status: 'submitted',
        answers: sets[i % sets.length],
        revision: 1,
        revisionOf: null,
        createdAt: '2026-10-10T09:00:00.000Z',
        submittedAt: '2026-10-10T10:00:00.000Z',
      },
    }))
    const tp = performance.now()
    const pushed = await app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: { authorization: `Bearer ${insp}` },
      payload: { deviceId: 'bench-push-device', seq: 1, changes },
    })
    const pushMs = performance.now() - tp
    if (pushed.statusCode !== 200)
      throw new Error(`push: ${pushed.statusCode} ${pushed.body.slice(0, 300)}`)
    await db.exec('CREATE TABLE floor_records (LIKE records INCLUDING ALL)')
    const tf = performance.now()
    for (let from = 0; from < PUSH; from += 500) {
      const batch = changes.slice(from, from + 500).map((c, j) => ({
        kind: 'evaluation',
        id: c.record.id,
        unit: 'group',
        store_code: c.record.storeCode,
        period: '2026-Q4',
        version: from + j + 1,
        deleted: false,
        data: { ...c.record, result: scores[(from + j) % scores.length] },
      }))
      await db.query(
        `INSERT INTO floor_records (kind, id, unit, store_code, period, version, deleted, data)
         SELECT kind, id, unit, store_code, period, version, deleted, data FROM jsonb_to_recordset($1::jsonb)
           AS x(kind text, id text, unit text, store_code text, period text, version bigint, deleted boolean, data jsonb)`,
        [JSON.stringify(batch)],
      )
    }
    const floorMs = performance.now() - tf
    log(`push ${Math.round(pushMs)} ms, floor ${Math.round(floorMs)} ms`)
    figures.push({
      name: `server (${engine}): push of 2,000 evaluations (scored, audited, one transaction)`,
      value: r1(pushMs),
      unit: 'ms',
      target: 20_000,
    })
    figures.push({
      name: `server (${engine}): the same 2,000 rows as plain batched inserts (floor)`,
      value: r1(floorMs),
      unit: 'ms',
    })
    figures.push({
      name: `server (${engine}): push ÷ floor`,
      value: r1(pushMs / floorMs),
      unit: '×',
    })

    // 3. 200 tablets on loopback at once.
    await app.listen({ port: 0, host: '127.0.0.1' })
    const address = app.server.address()
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
    const tokens: string[] = []
    for (let i = 0; i < TABLETS; i++)
      tokens.push(await login('bench-insp', `bench-tab-${String(i).padStart(4, '0')}`))
    const latencies: number[] = []
    let errors = 0
    const timed = async (f: () => Promise<Response>) => {
      const t = performance.now()
      try {
        const res = await f()
        await res.arrayBuffer()
        if (!res.ok) errors++
      } catch {
        errors++
      }
      latencies.push(performance.now() - t)
    }
    const tt = performance.now()
    await Promise.all(
      tokens.map(async (token, i) => {
        const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
        let pullCursor = 0
        for (let round = 1; round <= ROUNDS; round++) {
          const batch = Array.from({ length: 5 }, (_, j) => ({
            kind: 'evaluation',
            op: 'put',
            baseVersion: null,
            record: {
              ...changes[(i * 5 + j + round * 1000) % PUSH]!.record,
              id: `tab${i}-r${round}-${j}`,
              storeCode: stores[(i * 97 + j) % STORES]!.code,
            },
          }))
          await timed(() =>
            fetch(`${base}/api/sync/push`, {
              method: 'POST',
              headers,
              body: JSON.stringify({
                deviceId: `bench-tab-${String(i).padStart(4, '0')}`,
                seq: round,
                changes: batch,
              }),
            }),
          )
          await timed(async () => {
            const res = await fetch(`${base}/api/sync/pull?cursor=${pullCursor}&limit=200`, {
              headers,
            })
            if (res.ok) {
              const body = (await res.clone().json()) as { cursor: number }
              pullCursor = body.cursor
            }
            return res
          })
        }
      }),
    )
    const totalMs = performance.now() - tt
    await app.close()
    figures.push({
      name: `server (${engine}): 200 tablets × 3 rounds (push 5, pull 200), p50 latency`,
      value: r1(pct(latencies, 50)),
      unit: 'ms',
    })
    figures.push({
      name: `server (${engine}): 200 tablets × 3 rounds, p95 latency`,
      value: r1(pct(latencies, 95)),
      unit: 'ms',
      target: 30_000,
    })
    figures.push({
      name: `server (${engine}): 200 tablets × 3 rounds, wall time`,
      value: r1(totalMs),
      unit: 'ms',
    })
    figures.push({
      name: `server (${engine}): 200 tablets × 3 rounds, errors`,
      value: errors,
      unit: 'requests',
      target: 0,
    })
  } finally {
    await db.close()
    await dropDb()
    await rm(dir, { recursive: true, force: true })
  }
  return figures
}

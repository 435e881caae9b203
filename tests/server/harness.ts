/**
 * Server test harness: a fresh database per call, on PGlite always and on real PostgreSQL when
 * TEST_DATABASE_URL is set (a new database is created on that server for each call and dropped
 * afterwards), the Fastify app driven by inject(), a small register of four stores in two
 * provinces, and one user per role and unit.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { generateAnswers, seededRandom, seededUuid } from '../../src/demo/generate'
import type { Store } from '../../src/domain/types'
import type { Answers } from '../../src/domain/types'
import type { Rubric } from '../../src/domain/rubric-schema'
import type { RoleBinding } from '../../src/protocol'
import { buildApp } from '../../src/server/app'
import { DEFAULT_AUTH, type AuthConfig } from '../../src/server/auth'
import type { Context } from '../../src/server/context'
import { openDatabase, type Database } from '../../src/server/db'
import { migrate } from '../../src/server/migrate'
import { upsertStores } from '../../src/server/register'
import { Rubrics } from '../../src/server/rubrics'
import { createUser } from '../../src/server/users'
import { freshPgDatabase } from '../helpers/pg'

export type Engine = 'pglite' | 'postgresql'
export const ENGINES: Engine[] = process.env.TEST_DATABASE_URL
  ? ['pglite', 'postgresql']
  : ['pglite']

/** A cheap argon2id: the suite would spend minutes hashing at production cost. */
export const TEST_AUTH: AuthConfig = {
  ...DEFAULT_AUTH,
  argon2: { memoryCost: 1024, timeCost: 1 },
  login: { perUser: 5, perAddress: 30, windowMs: 15 * 60_000 },
}

let rubricsOnce: Promise<Rubrics> | null = null
export const shippedRubrics = () => (rubricsOnce ??= Rubrics.fromDir())

/** A fresh, empty database URL on the test PostgreSQL server (and how to drop it). */
export { freshPgDatabase }

export interface Harness {
  engine: Engine
  ctx: Context
  db: Database
  app: FastifyInstance
  dataDir: string
  /** Also the PostgreSQL URL for child processes (postgresql engine only). */
  databaseUrl: string | undefined
  close(): Promise<void>
}

export const STORES: Store[] = [
  { code: 'JSNJ001', name: '南京一号厅', province: '江苏', city: '南京', level: 1, type: 'self' },
  { code: 'JSNJ002', name: '南京二号厅', province: '江苏', city: '南京', level: 2, type: 'self' },
  { code: 'JSSZ001', name: '苏州一号厅', province: '江苏', city: '苏州', level: 2, type: 'self' },
  { code: 'ZJHZ001', name: '杭州一号厅', province: '浙江', city: '杭州', level: 1, type: 'self' },
]

export const PASSWORD = 'correct horse battery'

/** username → roles. Every role once inside 江苏/南京 and once for another unit. */
export const USERS: Record<string, RoleBinding[]> = {
  admin: [{ role: 'admin', unit: 'group' }],
  'js-admin': [{ role: 'admin', unit: 'group/江苏' }],
  'nj-manager': [{ role: 'store-manager', unit: 'group/江苏/南京/JSNJ001' }],
  'nj-inspector': [{ role: 'inspector', unit: 'group/江苏/南京' }],
  'js-inspector': [{ role: 'inspector', unit: 'group/江苏' }],
  'group-inspector': [{ role: 'inspector', unit: 'group' }],
  'js-certifier': [{ role: 'certifier', unit: 'group/江苏' }],
  'nj-certifier': [{ role: 'certifier', unit: 'group/江苏/南京' }],
  'zj-certifier': [{ role: 'certifier', unit: 'group/浙江' }],
  'js-viewer': [{ role: 'viewer', unit: 'group/江苏' }],
  'zj-inspector': [{ role: 'inspector', unit: 'group/浙江' }],
}

export async function openHarness(
  engine: Engine,
  opts: { users?: boolean; stores?: Store[]; rubrics?: Rubrics } = {},
): Promise<Harness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'srv-test-'))
  let drop: () => Promise<void> = async () => undefined
  let databaseUrl: string | undefined
  let db: Database
  if (engine === 'postgresql') {
    const fresh = await freshPgDatabase()
    drop = fresh.drop
    databaseUrl = fresh.url
    db = await openDatabase({ databaseUrl })
  } else {
    db = await openDatabase({ pgliteDir: 'memory://' })
  }
  await migrate(db)
  const ctx: Context = {
    db,
    rubrics: opts.rubrics ?? (await shippedRubrics()),
    config: {
      dataDir,
      auth: TEST_AUTH,
      appOrigin: 'https://app.example',
      maxPhotoBytes: 256 * 1024,
      maxBundleBytes: 64 * 1024 * 1024,
      trustProxy: false,
    },
  }
  const system = { userId: null, username: 'test', deviceId: null }
  await db.tx((sql) => upsertStores(sql, null, opts.stores ?? STORES, system))
  if (opts.users !== false)
    await db.tx(async (sql) => {
      const units = new Set(
        (await sql.query<{ path: string }>('SELECT path FROM units')).map((u) => u.path),
      )
      for (const [username, roles] of Object.entries(USERS))
        if (roles.every((x) => units.has(x.unit)))
          await createUser(
            sql,
            TEST_AUTH,
            null,
            { username, displayName: `${username} 名`, password: PASSWORD, roles },
            system,
          )
    })
  const app = await buildApp(ctx)
  return {
    engine,
    ctx,
    db,
    app,
    dataDir,
    databaseUrl,
    async close() {
      await app.close()
      await db.close()
      await drop()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

export async function signIn(h: Harness, username: string, deviceId?: string): Promise<string> {
  const r = await h.app.inject({
    method: 'POST',
    url: '/api/session',
    payload: { username, password: PASSWORD, ...(deviceId ? { deviceId } : {}) },
  })
  if (r.statusCode !== 200) throw new Error(`sign-in ${username}: ${r.statusCode} ${r.body}`)
  return (r.json() as { token: string }).token
}

export function auth(token: string) {
  return { authorization: `Bearer ${token}` }
}

/** POST /api/sync/push with `token`'s bearer header. */
export function syncPush(h: Harness, token: string, body: unknown) {
  return h.app.inject({
    method: 'POST',
    url: '/api/sync/push',
    headers: auth(token),
    payload: body as object,
  })
}

export async function rubric(
  h: Harness,
  id = 'ct-store-service',
  version = '1.0.0',
): Promise<Rubric> {
  return (await h.ctx.rubrics.current(h.db)).registry.get(id, version)!
}

/** Complete, valid answers (the demo generator's: evidence on lost items). */
export function answersFor(r: Rubric, quality: number, seed = 1): Answers {
  return generateAnswers(r, quality, seededRandom(seed), '2026-10-10T09:00:00.000Z').answers
}

let idSeed = seededRandom(99)
export const newId = () => seededUuid(idSeed)
export function resetIds(seed = 99) {
  idSeed = seededRandom(seed)
}

export function evaluation(
  storeCode: string,
  answers: Answers,
  over: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: newId(),
    storeCode,
    period: '2026-Q4',
    rubricId: 'ct-store-service',
    rubricVersion: '1.0.0',
    status: 'submitted',
    answers,
    revision: 1,
    revisionOf: null,
    createdAt: '2026-10-10T09:00:00.000Z',
    submittedAt: '2026-10-10T10:00:00.000Z',
    ...over,
  }
}

let seqs = new Map<string, number>()
export function pushBody(
  deviceId: string,
  changes: {
    kind: string
    op?: string
    id?: unknown
    baseVersion?: unknown
    record?: { id?: unknown }
  }[],
  seq?: number,
) {
  const next = seq ?? (seqs.get(deviceId) ?? 0) + 1
  seqs.set(deviceId, Math.max(next, seqs.get(deviceId) ?? 0))
  return { deviceId, seq: next, changes }
}
export function resetSeqs() {
  seqs = new Map()
}

export const put = (record: Record<string, unknown>, baseVersion: number | null = null) => ({
  kind: 'evaluation',
  op: 'put',
  baseVersion,
  record,
})

/** A snapshot of everything a write can change, to assert "nothing written". */
export async function snapshot(h: Harness): Promise<string> {
  const rows = await h.db.query(
    `SELECT (SELECT count(*) FROM records)::int AS records, (SELECT max(version) FROM records)::int AS v,
            (SELECT count(*) FROM audit)::int AS audit, (SELECT version FROM sync_clock)::int AS clock,
            (SELECT count(*) FROM pushes)::int AS pushes`,
  )
  return JSON.stringify(rows[0])
}

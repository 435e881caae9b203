/**
 * Sync as a tablet sees it (issue 13), the built app in headless Chromium against the real
 * server routes (in process, PGlite, behind the preview server's /api proxy as in the e2e tests):
 * - the first sync of a province's data onto a new tablet: 1,000 stores and 4,000 submitted
 *   evaluations, from the tap on "sign in" until the header says synced with every store and
 *   evaluation in the tablet's IndexedDB (results computed);
 * - one tablet pushing 200 submitted evaluations with 400 photos (30 KB each, JPEG-headed noise):
 *   from the sync's start until the outbox is empty, i.e. every record and photo acknowledged
 *   (records in pushes of 100, then each photo by the resumable upload).
 */
import { randomBytes, createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Page } from 'playwright-core'
import { build, preview } from 'vite'
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
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/chromium'
import type { BenchFigure } from './types'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const STORES = 1_000
const EVALUATIONS = 4_000
const PUSHED = 200
const PHOTOS_EACH = 2
const PHOTO_BYTES = 30 * 1024
const PASSWORD = 'bench password 2026'
const PROVINCE = '江苏'
const log = (m: string) => process.stderr.write(`tablet-sync bench: ${m}\n`)

const idbCount = (page: Page, table: string) =>
  page.evaluate(
    (t) =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('store-service-eval')
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const req = open.result.transaction(t).objectStore(t).count()
          req.onsuccess = () => {
            open.result.close()
            resolve(req.result)
          }
          req.onerror = () => reject(req.error)
        }
      }),
    table,
  )

async function until(what: string, ok: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

export async function run(): Promise<BenchFigure[]> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-tablet-sync-'))
  const db = await openDatabase({ pgliteDir: join(dir, 'pglite') })
  const outDir = 'dist-bench-sync'
  let closeAll = async () => undefined as void
  try {
    await migrate(db)
    const rubrics = await Rubrics.fromDir()
    const ctx: Context = {
      db,
      rubrics,
      config: {
        dataDir: dir,
        auth: { ...DEFAULT_AUTH, argon2: { memoryCost: 4096, timeCost: 1 } },
        maxPhotoBytes: 10 << 20,
        maxBundleBytes: 1 << 26,
        trustProxy: false,
      },
    }
    const rubric = rubrics.build([]).registry.get('ct-store-service', '1.0.0')!
    const stores: Store[] = Array.from({ length: STORES }, (_, i) => ({
      code: `JS${String(i).padStart(4, '0')}`,
      name: `营业厅${i}`,
      province: PROVINCE,
      city: `市${i % 10}`,
      level: ((i % 3) + 1) as 1 | 2 | 3,
      type: 'self',
    }))
    const system = { userId: null, username: 'bench', deviceId: null }
    await db.tx((sql) => upsertStores(sql, null, stores, system))
    const rand = seededRandom(1301)
    const sets = Array.from(
      { length: 20 },
      (_, i) => generateAnswers(rubric, 0.6 + i / 60, rand, '2026-07-10T09:00:00.000Z').answers,
    )
    const scores = sets.map((a) => {
      const s = scoreEvaluation(rubric, a)
      if (!s.ok) throw new Error('bench answers invalid')
      return s.score
    })
    // One city inspection per store and quarter of 2026.
    for (let from = 0; from < EVALUATIONS; from += 1000) {
      const writes: RecordWrite[] = []
      for (let i = from; i < from + 1000; i++) {
        const store = stores[i % STORES]!
        const period = `2026-Q${1 + Math.floor(i / STORES)}`
        const id = seededUuid(rand)
        const k = i % sets.length
        writes.push({
          kind: 'evaluation',
          id,
          unit: storePath(store),
          storeCode: store.code,
          period,
          deleted: false,
          authorId: null,
          action: 'bench',
          data: {
            id,
            storeCode: store.code,
            period,
            reviewer: 'city',
            evaluatorName: '市检查员',
            rubricId: rubric.id,
            rubricVersion: rubric.version,
            status: 'submitted',
            answers: sets[k],
            revision: 1,
            revisionOf: null,
            createdAt: '2026-07-10T09:00:00.000Z',
            updatedAt: '2026-07-10T10:00:00.000Z',
            submittedAt: '2026-07-10T10:00:00.000Z',
            result: scores[k],
            editSeq: 0,
          },
        })
      }
      await db.tx((sql) => writeRecords(sql, writes, system))
    }
    await db.tx((sql) =>
      createUser(
        sql,
        ctx.config.auth,
        null,
        {
          username: 'bench-province',
          displayName: '省检查员',
          password: PASSWORD,
          roles: [{ role: 'inspector', unit: `group/${PROVINCE}` }],
        },
        system,
      ),
    )
    log(`${STORES} stores and ${EVALUATIONS} evaluations on the server`)
    const app = await buildApp(ctx)
    await app.listen({ port: 0, host: '127.0.0.1' })
    const apiAddr = app.server.address()
    if (!apiAddr || typeof apiAddr === 'string') throw new Error('server has no port')

    await build({
      root: ROOT,
      configFile: join(ROOT, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    })
    const server = await preview({
      root: ROOT,
      configFile: join(ROOT, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir },
      preview: {
        port: 0,
        host: '127.0.0.1',
        proxy: { '/api': { target: `http://127.0.0.1:${apiAddr.port}`, changeOrigin: false } },
      },
    })
    const address = server.httpServer.address()
    if (!address || typeof address === 'string') throw new Error('preview server has no port')
    const profile = await mkdtemp(join(tmpdir(), 'sse-bench-tablet-'))
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
      baseURL: `http://127.0.0.1:${address.port}`,
    })
    await context.addInitScript({ content: 'globalThis.__name = (f) => f' })
    closeAll = async () => {
      await context.close()
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()))
      await app.close()
      await rm(profile, { recursive: true, force: true })
    }
    const page = context.pages()[0] ?? (await context.newPage())
    await page.goto('/')
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined))
    await page.waitForFunction(() =>
      indexedDB.databases().then((d) => d.some((x) => x.name === 'store-service-eval')),
    )

    // 1. First sync onto a new tablet.
    await page.goto('/settings')
    await page.getByTestId('server-username').fill('bench-province')
    await page.getByTestId('server-password').fill(PASSWORD)
    const t0 = performance.now()
    await page.getByTestId('sign-in').click()
    await until(
      'first sync',
      async () =>
        (await idbCount(page, 'stores')) === STORES &&
        (await idbCount(page, 'evaluations')) === EVALUATIONS &&
        (await idbCount(page, 'results')) >= EVALUATIONS &&
        /已同步|Synced/.test(await page.getByTestId('sync-status').innerText()),
      600_000,
    )
    const firstSync = performance.now() - t0
    log(`first sync ${Math.round(firstSync)} ms`)

    // 2. 200 submitted evaluations with 400 photos, written as the app writes them (record,
    // photo rows and outbox rows together), then one sync until the outbox is empty.
    const perfect = generateAnswers(rubric, 1, rand, '2026-11-10T09:00:00.000Z').answers
    const items = Object.keys(perfect)
    const evaluations = Array.from({ length: PUSHED }, (_, i) => {
      const photos = Array.from({ length: PHOTOS_EACH }, () => {
        const bytes = randomBytes(PHOTO_BYTES)
        bytes.set([0xff, 0xd8, 0xff, 0xe0], 0)
        return {
          id: createHash('sha256').update(bytes).digest('hex'),
          bytes: bytes.toString('base64'),
        }
      })
      const answers = structuredClone(perfect)
      photos.forEach((p, k) => {
        const a = answers[items[k]!]!
        a.photoIds = [...(a.photoIds ?? []), p.id]
      })
      return { id: seededUuid(rand), storeCode: stores[i]!.code, answers, photos, items }
    })
    await page.evaluate(
      ({ evaluations, rubricId, rubricVersion }) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('store-service-eval')
          open.onerror = () => reject(open.error)
          open.onsuccess = () => {
            const tx = open.result.transaction(['evaluations', 'photos', 'outbox'], 'readwrite')
            const at = new Date().toISOString()
            let order = Date.now()
            for (const e of evaluations) {
              tx.objectStore('evaluations').put({
                id: e.id,
                storeCode: e.storeCode,
                period: '2026-Q4',
                reviewer: 'province',
                evaluatorName: '省检查员',
                rubricId,
                rubricVersion,
                status: 'submitted',
                answers: e.answers,
                revision: 1,
                revisionOf: null,
                createdAt: at,
                updatedAt: at,
                submittedAt: at,
                result: null,
                editSeq: 1,
              })
              const key = `evaluation:${e.id}`
              tx.objectStore('outbox').put({
                key,
                kind: 'evaluation',
                id: e.id,
                op: 'put',
                stamp: crypto.randomUUID(),
                order: order++,
              })
              e.photos.forEach((p, k) => {
                const bin = Uint8Array.from(atob(p.bytes), (c) => c.charCodeAt(0)).buffer
                tx.objectStore('photos').put({
                  id: p.id,
                  evaluationId: e.id,
                  itemId: e.items[k],
                  bytes: bin,
                  mime: 'image/jpeg',
                  width: 0,
                  height: 0,
                  thumbBytes: bin,
                  thumbMime: 'image/jpeg',
                  capturedAt: at,
                })
                tx.objectStore('outbox').put({
                  key: `photo:${p.id}`,
                  kind: 'photo',
                  id: p.id,
                  op: 'put',
                  stamp: crypto.randomUUID(),
                  order: order++,
                })
              })
            }
            tx.oncomplete = () => {
              open.result.close()
              resolve()
            }
            tx.onerror = () => reject(tx.error)
          }
        }),
      { evaluations, rubricId: rubric.id, rubricVersion: rubric.version },
    )
    const queued = await idbCount(page, 'outbox')
    if (queued !== PUSHED * (1 + PHOTOS_EACH)) throw new Error(`outbox holds ${queued}`)
    const t1 = performance.now()
    await page.evaluate(() => window.dispatchEvent(new Event('online')))
    await until('push acknowledged', async () => (await idbCount(page, 'outbox')) === 0, 900_000)
    const pushMs = performance.now() - t1
    const [onServer] = await db.query<{ n: number; p: number }>(
      `SELECT (SELECT count(*)::int FROM records WHERE kind = 'evaluation' AND data->>'reviewer' = 'province') AS n,
              (SELECT count(*)::int FROM photos) AS p`,
    )
    if (onServer?.n !== PUSHED || onServer.p !== PUSHED * PHOTOS_EACH)
      throw new Error(`server holds ${onServer?.n} evaluations and ${onServer?.p} photos`)
    const problems = await page.getByTestId('sync-status').getAttribute('data-error')
    if (problems) throw new Error(`sync error: ${problems}`)
    log(`push ${Math.round(pushMs)} ms`)
    return [
      {
        name: `tablet: first sync of a province (${STORES.toLocaleString('en')} stores, ${EVALUATIONS.toLocaleString('en')} evaluations) onto a new tablet, sign-in to synced`,
        value: Math.round(firstSync),
        unit: 'ms',
      },
      {
        name: `tablet: ${PUSHED} evaluations with ${PUSHED * PHOTOS_EACH} photos (${PHOTO_BYTES / 1024} KB each) pushed, until all acknowledged`,
        value: Math.round(pushMs),
        unit: 'ms',
      },
    ]
  } finally {
    await closeAll()
    await db.close()
    await rm(dir, { recursive: true, force: true })
    await rm(join(ROOT, outDir), { recursive: true, force: true })
  }
}

/**
 * The evaluation form in headless Chromium, on the built app (service worker and all):
 * - open: load `/evaluations/<id>` of a 100-item draft until its first step is on screen
 *   (median of 5 loads; the app shell comes from the service worker's cache, as on a tablet);
 * - save: 200 answers, each timed in the page from the click on a yes/no button to the save
 *   indicator turning "saved", which the evaluation store sets when IndexedDB acknowledged the
 *   write (strict durability). Target: p95 < 50 ms.
 *
 * The app is built into dist-bench/ with VITE_BENCH_RUBRICS=1, which adds the synthetic rubric
 * written below (tests/bench/fixtures/); ordinary builds never include it.
 */
import { writeFileSync, mkdirSync } from 'node:fs'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Page } from 'playwright-core'
import { build, preview } from 'vite'
import { stringify } from 'yaml'
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/chromium'
import type { BenchFigure } from './types'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const RUBRIC_ID = 'bench-form-100'
export const RUBRIC_VERSION = '1.0.0'
const SECTIONS = 10
const PER_SECTION = 10
const SAVES = 200

/** 100 section items of every kind, as a rubric file the app's loader validates like any other. */
export function rubricYaml(): string {
  const t = (s: string) => ({ zh: s, en: s })
  const src = 'common practice (benchmark fixture)'
  const kinds = ['yesno', 'yesno', 'yesno', 'scale', 'count', 'measure'] as const
  const sections = Array.from({ length: SECTIONS }, (_, s) => ({
    id: `s${s}`,
    title: t(`Section ${s + 1}`),
    weight: 100 / SECTIONS,
    items: Array.from({ length: PER_SECTION }, (_, i) => {
      const id = `s${s}-i${i}`
      const base = {
        id,
        label: t(`Item ${s + 1}.${i + 1}`),
        hint: t('Look and check.'),
        source: src,
      }
      const kind = i < 2 ? 'yesno' : kinds[i % kinds.length]!
      if (kind === 'scale') return { ...base, kind, max: 4, step: 1 }
      if (kind === 'count') return { ...base, kind, max: 3, perOccurrence: 1 }
      if (kind === 'measure')
        return {
          ...base,
          kind,
          max: 2,
          unit: t('min'),
          better: 'lower',
          bands: [
            { limit: 10, points: 2 },
            { limit: 20, points: 1 },
          ],
        }
      return { ...base, kind, max: 2 }
    }),
  }))
  return stringify({
    kind: 'rubric',
    id: RUBRIC_ID,
    version: RUBRIC_VERSION,
    title: t('Benchmark: 100 items'),
    appliesTo: { levels: [1], types: ['self'] },
    purpose: 'daily-check',
    evidence: 'none',
    sections,
  })
}

export function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)
  return sorted[Math.max(0, i)]!
}
const round = (n: number) => Math.round(n * 10) / 10

/** Writes a draft of the benchmark rubric straight into the app's database (created by the app). */
export async function createDraft(page: Page): Promise<string> {
  return page.evaluate(
    ({ rubricId, rubricVersion }) =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('store-service-eval')
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const id = crypto.randomUUID()
          const at = new Date().toISOString()
          const tx = open.result.transaction('evaluations', 'readwrite')
          tx.objectStore('evaluations').add({
            id,
            storeCode: 'BENCH001',
            period: '2026-Q4',
            reviewer: 'city',
            evaluatorName: 'bench',
            rubricId,
            rubricVersion,
            status: 'draft',
            answers: {},
            revision: 1,
            revisionOf: null,
            createdAt: at,
            updatedAt: at,
            submittedAt: null,
            result: null,
            editSeq: 0,
          })
          tx.oncomplete = () => {
            open.result.close()
            resolve(id)
          }
          tx.onerror = () => reject(tx.error)
        }
      }),
    { rubricId: RUBRIC_ID, rubricVersion: RUBRIC_VERSION },
  )
}

export async function timeSaves(page: Page, count = SAVES): Promise<number[]> {
  return page.evaluate(async (n) => {
    const indicator = document.querySelector<HTMLElement>('[data-testid=save-state]')
    if (!indicator) throw new Error('no save indicator')
    const cards = [...document.querySelectorAll('[data-testid=item-card][data-kind=yesno]')]
    const times: number[] = []
    for (let k = 0; k < n; k++) {
      const card = cards[k % cards.length]!
      // Alternate yes and no so every click is a real change.
      const button = card.querySelector<HTMLButtonElement>(
        Math.floor(k / cards.length) % 2 ? '[data-testid=answer-no]' : '[data-testid=answer-yes]',
      )!
      times.push(
        await new Promise<number>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`save ${k} never acknowledged`)), 5000)
          const seen = new MutationObserver(() => {
            if (indicator.dataset.state === 'saved') {
              const ms = performance.now() - t0
              seen.disconnect()
              clearTimeout(timer)
              resolve(ms)
            }
          })
          seen.observe(indicator, { attributes: true, attributeFilter: ['data-state'] })
          const t0 = performance.now()
          button.click()
        }),
      )
    }
    return times
  }, count)
}

/**
 * The floor of one save: in the same page, `n` raw IndexedDB transactions that each put one
 * evaluation row (a scratch copy of the draft, answers included) with the app's durability
 * (strict), timed from opening the transaction to its completion. Returns the times, sorted.
 */
async function timeRawSaves(
  page: Page,
  id: string,
  n: number,
  withOutbox = false,
): Promise<number[]> {
  return page.evaluate(
    async ({ id, n, withOutbox }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open('store-service-eval')
        req.onsuccess = () => resolve(req.result)
        req.onerror = () => reject(req.error)
      })
      const row = await new Promise<Record<string, unknown>>((resolve, reject) => {
        const req = db.transaction('evaluations').objectStore('evaluations').get(id)
        req.onsuccess = () => resolve(req.result as Record<string, unknown>)
        req.onerror = () => reject(req.error)
      })
      const scratch = { ...row, id: `${id}-raw-floor`, storeCode: 'BENCH-RAW' }
      const done = (tx: IDBTransaction) =>
        new Promise<void>((resolve, reject) => {
          tx.oncomplete = () => resolve()
          tx.onerror = () => reject(tx.error)
        })
      const times: number[] = []
      for (let k = 0; k < n; k++) {
        const t0 = performance.now()
        const tables = withOutbox ? ['evaluations', 'outbox'] : ['evaluations']
        const tx = db.transaction(tables, 'readwrite', { durability: 'strict' })
        tx.objectStore('evaluations').put({ ...scratch, editSeq: k })
        // The app's outbox entry for the same change: read the previous one, put the new one.
        if (withOutbox) {
          const outbox = tx.objectStore('outbox')
          const key = `evaluation:${scratch.id}`
          outbox.get(key).onsuccess = () =>
            outbox.put({
              key,
              kind: 'evaluation',
              id: scratch.id,
              op: 'put',
              stamp: `s${k}`,
              order: 1e15,
            })
        }
        await done(tx)
        times.push(performance.now() - t0)
      }
      const tx = db.transaction(['evaluations', 'outbox'], 'readwrite')
      tx.objectStore('evaluations').delete(scratch.id)
      tx.objectStore('outbox').delete(`evaluation:${scratch.id}`)
      await done(tx)
      db.close()
      return times.sort((a, b) => a - b)
    },
    { id, n, withOutbox },
  )
}

/** The built bench app in Chromium, on a fresh 100-item draft (its id), for this bench and the outbox one. */
export interface BenchApp {
  page: Page
  id: string
  close(): Promise<void>
}

/**
 * Writes the synthetic rubric, builds the app into `outDir` with VITE_BENCH_RUBRICS=1, serves it
 * with `vite preview` and opens it in a fresh Chromium profile (prefix `profilePrefix`) until the
 * service worker is ready and the database exists; then creates the draft. `close` stops all of it
 * and, with `removeOutDir`, deletes the build.
 */
export async function openBenchApp(
  outDir: string,
  profilePrefix: string,
  removeOutDir = false,
): Promise<BenchApp> {
  mkdirSync(join(ROOT, 'tests', 'bench', 'fixtures'), { recursive: true })
  writeFileSync(
    join(ROOT, 'tests', 'bench', 'fixtures', `${RUBRIC_ID}@${RUBRIC_VERSION}.yaml`),
    rubricYaml(),
  )
  process.env.VITE_BENCH_RUBRICS = '1'
  try {
    await build({
      root: ROOT,
      configFile: join(ROOT, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    })
  } finally {
    delete process.env.VITE_BENCH_RUBRICS
  }
  const server = await preview({
    root: ROOT,
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir },
    preview: { port: 0, host: '127.0.0.1' },
  })
  const address = server.httpServer.address()
  if (!address || typeof address === 'string') throw new Error('preview server has no port')
  const profile = mkdtempSync(join(tmpdir(), profilePrefix))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    baseURL: `http://127.0.0.1:${address.port}`,
  })
  const close = async () => {
    await context.close()
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()))
    rmSync(profile, { recursive: true, force: true })
    if (removeOutDir) rmSync(join(ROOT, outDir), { recursive: true, force: true })
  }
  try {
    // tsx compiles the in-page functions with esbuild's keepNames, whose `__name` helper the page lacks.
    await context.addInitScript({ content: 'globalThis.__name = (f) => f' })
    const page = context.pages()[0] ?? (await context.newPage())
    await page.goto('/')
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined))
    await page.waitForFunction(() =>
      indexedDB.databases().then((d) => d.some((x) => x.name === 'store-service-eval')),
    )
    const id = await createDraft(page)
    return { page, id, close }
  } catch (e) {
    await close()
    throw e
  }
}

export async function run(): Promise<BenchFigure[]> {
  const { page, id, close } = await openBenchApp('dist-bench', 'sse-bench-')
  try {
    const opens: number[] = []
    for (let i = 0; i < 5; i++) {
      await page.goto(`/evaluations/${id}`)
      await page.waitForSelector('[data-testid=item-card]')
      opens.push(await page.evaluate(() => performance.now()))
    }
    opens.sort((a, b) => a - b)

    const saves = (await timeSaves(page)).sort((a, b) => a - b)
    const raw = await timeRawSaves(page, id, SAVES)
    const rawOutbox = await timeRawSaves(page, id, SAVES, true)
    const p95 = quantile(saves, 0.95)
    const rawP95 = quantile(raw, 0.95)
    return [
      {
        name: 'form: open a 100-item evaluation (load to first step, median of 5)',
        value: round(quantile(opens, 0.5)),
        unit: 'ms',
      },
      {
        name: `form: save one answer p50 (${SAVES} answers)`,
        value: round(quantile(saves, 0.5)),
        unit: 'ms',
      },
      {
        name: `form: save one answer p95 (${SAVES} answers)`,
        value: round(p95),
        unit: 'ms',
        target: 50,
      },
      {
        name: `form floor: raw one-row IndexedDB put, strict durability, p95 (${SAVES} transactions)`,
        value: round(rawP95),
        unit: 'ms',
      },
      {
        name: `form floor with the outbox: the same put plus its outbox entry in one strict transaction, p95 (${SAVES} transactions)`,
        value: round(quantile(rawOutbox, 0.95)),
        unit: 'ms',
      },
      {
        name: 'outbox cost at the floor: raw put + outbox entry p95 ÷ raw put p95 (issue 13)',
        value: Math.round((quantile(rawOutbox, 0.95) / rawP95) * 100) / 100,
        unit: '×',
      },
      {
        name: 'form: one answer saved p95 ÷ raw one-row transaction p95 (goal ≤ 2)',
        value: Math.round((p95 / rawP95) * 100) / 100,
        unit: '×',
        target: 2,
      },
    ]
  } finally {
    await close()
  }
}

/**
 * Rankings screen at scale (issue 5): 20,000 stores and ~32,000 submitted evaluations (each with
 * a full answer set and stored score, like real rows) in IndexedDB, then a fresh navigation to
 * /rankings in headless Chromium, timed until the first store row is in the DOM. The figure
 * therefore includes loading the app's scripts, reading both tables from IndexedDB, the engine
 * (results, rankings, certification) and the first virtualised render. Target: under 1 s.
 *
 * The built app is served by `vite preview` (built into dist-bench/, or dist-e2e/ reused when
 * BENCH_REUSE_DIST=1). The data is written by the page itself with the raw IndexedDB API into
 * the app's own database and schema: no test hook in the production code.
 *
 * Known results. First run: ~3.7–6.7 s; the raw IndexedDB read of the 20,500 evaluation rows
 * (with their answers) alone took ~2.4 s, the store register ~0.5 s, engine and render ~0.4 s.
 * Since schema v3 the screen reads the compact `results` table (src/db/results.ts) instead:
 * median ~2.0 s, best ~1.7 s on the shared 2-core machine (was 5.4 s / 4.1 s in the same
 * conditions). Still over target: reading the 20,500 results rows takes ~0.5 s and the register
 * ~0.2–0.7 s (raw getAll in the page), the rest is loading the app, the engine and the render.
 * The seed writes the results rows itself, as the app's syncResults would.
 * Section scores in the results rows became parallel arrays (compactSections in
 * src/domain/store-summary.ts) instead of nine objects per row: median 1.29 s → ~1.14–1.30 s,
 * best 1.13 s → ~1.0–1.2 s over several runs on the shared 2-core machine (load average ~2.5, so
 * ±0.15 s between runs); a raw getAll of the 20,500 rows in Chromium went from ~360 to ~240 ms.
 * Still over target. The results were read through the `period` index, which Chromium serves
 * with one primary-key lookup per row; the table's primary key is now [period+evaluationId]
 * (schema v3 had not shipped, so it changed in place) and the period is read as one key range.
 * Five interleaved runs each on the shared 2-core machine (load average ~2–2.9): median of the
 * runs' medians 1185 → 1039 ms (before 973–1597, after 1033–1574), best 971 → 914 ms. Noisy,
 * and still around the 1 s target; the app opening IndexedDB ~0.26 s after navigation is left.
 * The seed's raw puts take the key from the object store's key path, so they need no key.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { build, preview } from 'vite'
import type { BenchFigure } from './types'

const STORES = 20_000
const RUNS = 3
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Runs in the page: fills the app's database (already created by the app at its latest schema). */
async function seed(count: number): Promise<number> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open('store-service-eval')
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
  let a = 20261231
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const provinces = 31
  const stores: unknown[] = []
  const evaluations: unknown[] = []
  const results: unknown[] = []
  for (let i = 0; i < count; i++) {
    const p = i % provinces
    const c = Math.floor(i / provinces) % 11
    const r = rand()
    const level = r < 0.1 ? 1 : r < 0.35 ? 2 : r < 0.75 ? 3 : 4
    const type = rand() < 0.2 ? 'partner' : 'self'
    const code = `S${String(p).padStart(2, '0')}${String(c).padStart(2, '0')}${String(i).padStart(6, '0')}`
    stores.push({
      code,
      name: `省${p}市${c}第${i}营业厅`,
      province: `省${p}`,
      city: `市${c}`,
      level,
      type,
    })
    if (level === 4 || type === 'partner') continue
    const quality = rand()
    for (const reviewer of rand() < 0.7 ? ['self', 'city'] : ['self']) {
      const final = Math.round((70 + quality * 28 + (reviewer === 'self' ? 2 : 0)) * 100)
      const answers: Record<string, unknown> = {}
      for (let k = 0; k < 60; k++)
        answers[`item-${k}`] = { itemId: `item-${k}`, value: rand() < 0.9 }
      const sections = Array.from({ length: 9 }, (_, k) => ({
        sectionId: `sec-${k}`,
        weight: 1100,
        effectiveWeight: 1100,
        earned: 900,
        applicableMax: 1100,
        score: 900,
        applicable: true,
        answered: 7,
        total: 7,
      }))
      const at = new Date(Date.UTC(2026, 9, 1 + (i % 60))).toISOString()
      // The app's results row (src/db/results.ts summaryOf), written with the evaluation.
      results.push({
        evaluationId: `${code}-${reviewer}`,
        storeCode: code,
        period: '2026-Q4',
        reviewer,
        evaluatorName: '评价员',
        rubricId: 'ct-store-service',
        rubricVersion: '1.0.0',
        status: 'submitted',
        submittedAt: at,
        returnedAt: null,
        returnedReason: null,
        score: {
          rubricId: 'ct-store-service',
          rubricVersion: '1.0.0',
          base: final,
          bonus: 0,
          deductions: 0,
          final,
          grade: 'pass',
          scoreGrade: 'pass',
          redLines: [],
          // The compact form (src/domain/store-summary.ts compactSections).
          sections: {
            ids: sections.map((x) => x.sectionId),
            scores: sections.map((x) => (x.applicable ? x.score : null)),
            weights: sections.map((x) => x.effectiveWeight),
          },
        },
      })
      evaluations.push({
        id: `${code}-${reviewer}`,
        storeCode: code,
        period: '2026-Q4',
        reviewer,
        evaluatorName: '评价员',
        rubricId: 'ct-store-service',
        rubricVersion: '1.0.0',
        status: 'submitted',
        answers,
        revision: 1,
        revisionOf: null,
        createdAt: at,
        updatedAt: at,
        submittedAt: at,
        editSeq: 1,
        result: {
          rubricId: 'ct-store-service',
          rubricVersion: '1.0.0',
          base: final,
          bonus: 0,
          bonusUncapped: 0,
          deductions: 0,
          final,
          grade: 'pass',
          scoreGrade: 'pass',
          sections,
          redLines: [],
          reasons: [],
          lost: [],
          missingEvidence: [],
          unanswered: [],
          answered: 60,
          total: 60,
          complete: true,
        },
      })
    }
  }
  // Schema v3 added the results table; seeding an older app would measure the wrong thing.
  if (!db.objectStoreNames.contains('results'))
    throw new Error("expected the app's database at schema v3 or later (no results table)")
  await new Promise<void>((resolve, reject) => {
    const tx = db.transaction(['stores', 'evaluations', 'results'], 'readwrite')
    const s = tx.objectStore('stores')
    const e = tx.objectStore('evaluations')
    const r = tx.objectStore('results')
    for (const row of stores) s.put(row)
    for (const row of evaluations) e.put(row)
    for (const row of results) r.put(row)
    tx.oncomplete = () => resolve()
    tx.onerror = () => reject(tx.error)
  })
  db.close()
  return evaluations.length
}

export async function run(): Promise<BenchFigure[]> {
  const reuse = process.env.BENCH_REUSE_DIST === '1' && existsSync('dist-e2e/index.html')
  const outDir = reuse ? 'dist-e2e' : 'dist-bench'
  if (!reuse)
    await build({
      configFile: 'vite.config.ts',
      logLevel: 'error',
      build: { outDir, emptyOutDir: true },
    })
  const server = await preview({
    configFile: 'vite.config.ts',
    logLevel: 'error',
    build: { outDir },
    preview: { port: 0, host: '127.0.0.1' },
  })
  const address = server.httpServer.address()
  if (!address || typeof address === 'string') throw new Error('preview server has no port')
  const base = `http://127.0.0.1:${address.port}`
  const profile = mkdtempSync(join(tmpdir(), 'sse-bench-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    viewport: { width: 1280, height: 800 },
    locale: 'zh-CN',
  })
  // tsx compiles `seed` with esbuild's keepNames, whose `__name` helper does not exist in the page.
  await context.addInitScript({ content: 'globalThis.__name = (f) => f' })
  // Records when the first store row enters the DOM, measured from the navigation's start.
  await context.addInitScript(() => {
    const w = window as unknown as { __firstRow?: number }
    new MutationObserver((_m, obs) => {
      if (document.querySelector('[data-testid=rank-row]')) {
        w.__firstRow = performance.now()
        obs.disconnect()
      }
    }).observe(document, { childList: true, subtree: true })
  })
  const figures: BenchFigure[] = []
  try {
    const page = context.pages()[0] ?? (await context.newPage())
    // The app creates its database (latest schema) on first load; then the page fills it.
    await page.goto(`${base}/rankings`)
    await page.locator('.alert-info').first().waitFor()
    const evaluations = await page.evaluate(seed, STORES)
    const times: number[] = []
    for (let i = 0; i < RUNS; i++) {
      await page.goto(`${base}/rankings`)
      await page.waitForFunction(
        () => (window as unknown as { __firstRow?: number }).__firstRow !== undefined,
        undefined,
        { timeout: 60_000 },
      )
      times.push(
        await page.evaluate(() => (window as unknown as { __firstRow: number }).__firstRow),
      )
      const rows = await page.locator('[data-testid=rank-row]').count()
      if (rows === 0 || rows > 200)
        throw new Error(`expected a virtualised handful of rows, found ${rows}`)
    }
    times.sort((x, y) => x - y)
    figures.push({
      name: `rankings screen, ${STORES} stores / ${evaluations} evaluations: navigation to first row (median of ${RUNS})`,
      value: Math.round(times[Math.floor(RUNS / 2)]!),
      unit: 'ms',
      target: 1000,
    })
    figures.push({
      name: 'rankings screen: navigation to first row (best)',
      value: Math.round(times[0]!),
      unit: 'ms',
    })
  } finally {
    await context.close()
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()))
    rmSync(profile, { recursive: true, force: true })
  }
  return figures
}

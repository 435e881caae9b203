/**
 * Rankings screen at scale (issue 5): 20,000 stores and ~32,000 submitted evaluations (each with
 * a full answer set and stored score, like real rows) in IndexedDB, then a fresh navigation to
 * /rankings in headless Chromium, timed until the first store row is in the DOM. The figure
 * therefore includes loading the app's scripts, reading the data from IndexedDB, the engine
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
 *
 * With the app's User Timing marks the phases showed (one idle machine, 2026-11-22): scripts
 * ~0.21 s, listing periods ~0.16–0.30 s (a unique-keys walk of the evaluations' period index),
 * reading ~0.64–0.79 s, engine and render ~0.33 s. Chromium costs ~12 µs per record whatever
 * its size (20,000 93-byte stores: ~0.25 s; the same data with the results as one record:
 * ~0.15 s). So: periods now hop along the results' primary key (one key read per period,
 * ~5 ms), and a period's register and results are cached as one record, a ranking pack
 * (src/db/ranking-packs.ts), invalidated by any write. The bench now reports both paths:
 * cold (first open after a change: tables read, ~1.3–1.4 s, still over target) and warm
 * (pack, ~0.8 s). What is left on the cold path is the per-record read; on both, ~0.2 s of
 * scripts and ~0.33 s of engine and render.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/chromium'
import { seedLargeRegister as seed } from '../helpers/large-register'
import { serveBuiltApp } from './serve-app'
import type { BenchFigure } from './types'

const STORES = 20_000
const RUNS = 3

interface Phases {
  scripts: number
  open: number
  periods: number
  read: number
  render: number
}
const PHASE_LABELS: [keyof Phases, string][] = [
  ['scripts', 'navigation to the store load starting (HTML, scripts, app start)'],
  ['open', 'opening the database'],
  ['periods', 'listing the periods'],
  ['read', 'reading the register, results and certification log from IndexedDB'],
  ['render', 'engine (results, rankings, certification) and first render'],
]

/** The app's data stamp (src/db/ranking-packs.ts): a new value makes every ranking pack stale. */
const STAMP_KEY = 'dataStamp:store-service-eval'

/** Runs in the page: true once the app has written a ranking pack for the current stamp. */
async function countPacks(): Promise<boolean> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open('store-service-eval')
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
  const keys = await new Promise<IDBValidKey[]>((resolve, reject) => {
    const req = db.transaction('rankingPacks').objectStore('rankingPacks').getAllKeys()
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
  db.close()
  const stamp = localStorage.getItem('dataStamp:store-service-eval')
  return keys.some((k) => Array.isArray(k) && String(k[1]).endsWith(`:${stamp}`))
}

/**
 * Runs in the page: the floor of the cold path. A raw IndexedDB read of the same rows the screen
 * reads after a change (the register, the period's results by their primary-key range and the
 * certification log), in one read-only transaction, from opening the database to the last row.
 */
async function rawRead(period: string): Promise<number> {
  const t0 = performance.now()
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open('store-service-eval')
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
  const tx = db.transaction(['stores', 'results', 'certification'], 'readonly')
  const all = (req: IDBRequest<unknown[]>) =>
    new Promise<number>((resolve, reject) => {
      req.onsuccess = () => resolve(req.result.length)
      req.onerror = () => reject(req.error)
    })
  const counts = await Promise.all([
    all(tx.objectStore('stores').getAll()),
    all(tx.objectStore('results').getAll(IDBKeyRange.bound([period], [period, []]))),
    all(tx.objectStore('certification').getAll()),
  ])
  const ms = performance.now() - t0
  db.close()
  if (counts[0] === 0 || counts[1] === 0) throw new Error(`raw read found ${counts.join('/')} rows`)
  return ms
}

/** Runs in the page after the first row: splits the time at the app's User Timing marks. */
function readPhases(): Phases {
  const at = (name: string) => {
    const m = performance.getEntriesByName(name, 'mark').at(-1)
    if (!m) throw new Error(`the app set no "${name}" mark`)
    return m.startTime
  }
  const first = (window as unknown as { __firstRow: number }).__firstRow
  return {
    scripts: at('rankings:load'),
    open: at('rankings:open') - at('rankings:load'),
    periods: at('rankings:periods') - at('rankings:open'),
    read: at('rankings:read') - at('rankings:periods'),
    render: first - at('rankings:read'),
  }
}

export async function run(): Promise<BenchFigure[]> {
  const app = await serveBuiltApp()
  const base = app.base
  const profile = mkdtempSync(join(tmpdir(), 'sse-bench-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
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
    /** One fresh navigation to /rankings: time to the first row, and its phases. */
    const open = async (): Promise<{ ms: number; phases: Phases }> => {
      await page.goto(`${base}/rankings`)
      await page.waitForFunction(
        () => (window as unknown as { __firstRow?: number }).__firstRow !== undefined,
        undefined,
        { timeout: 60_000 },
      )
      const ms = await page.evaluate(() => (window as unknown as { __firstRow: number }).__firstRow)
      const phases = await page.evaluate(readPhases)
      const rows = await page.locator('[data-testid=rank-row]').count()
      if (rows === 0 || rows > 200)
        throw new Error(`expected a virtualised handful of rows, found ${rows}`)
      return { ms, phases }
    }
    // Cold: the first open after any write (a new data stamp, as a write in any tab draws), so
    // the screen reads both tables and then writes the period's ranking pack. Warm: the next
    // open, served from that pack (src/db/ranking-packs.ts). Interleaved, RUNS of each.
    const runs: Record<'cold' | 'warm', { ms: number; phases: Phases }[]> = { cold: [], warm: [] }
    const raw: number[] = []
    for (let i = 0; i < RUNS; i++) {
      await page.evaluate(
        ([key, n]) => localStorage.setItem(String(key), `bench-${n}`),
        [STAMP_KEY, i],
      )
      runs.cold.push(await open())
      await page.waitForFunction(countPacks, undefined, { timeout: 60_000, polling: 200 })
      runs.warm.push(await open())
      raw.push(await page.evaluate(rawRead, '2026-Q4'))
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!
    const label = {
      cold: 'first open after a change (reads the tables)',
      warm: 'repeat open (ranking pack)',
    }
    const rawMs = median(raw)
    figures.push(
      {
        name: `rankings floor: raw IndexedDB read of the same register, results and log rows (median of ${RUNS})`,
        value: Math.round(rawMs),
        unit: 'ms',
      },
      {
        name: 'rankings screen first rows after a change ÷ raw IndexedDB read of the same rows (goal ≤ 1.3)',
        value: Math.round((median(runs.cold.map((r) => r.ms)) / rawMs) * 100) / 100,
        unit: '×',
        target: 1.3,
      },
    )
    for (const kind of ['cold', 'warm'] as const) {
      figures.push({
        name: `rankings screen, ${STORES} stores / ${evaluations} evaluations, ${label[kind]}: navigation to first row (median of ${RUNS})`,
        value: Math.round(median(runs[kind].map((r) => r.ms))),
        unit: 'ms',
        target: 1000,
      })
      // Where the time goes (medians over the runs), from the app's User Timing marks.
      for (const [key, phase] of PHASE_LABELS)
        figures.push({
          name: `rankings screen, ${kind}: ${phase} (median)`,
          value: Math.round(median(runs[kind].map((r) => r.phases[key]))),
          unit: 'ms',
        })
    }
  } finally {
    await context.close()
    await app.close()
    rmSync(profile, { recursive: true, force: true })
  }
  return figures
}

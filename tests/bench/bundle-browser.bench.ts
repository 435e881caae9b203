/**
 * Exchange bundle import in the browser (issue 6): the bundle bench's file (2,000 evaluations,
 * photos of ~100 KB, see bundle.bench.ts) imported through the app's own exchange page in
 * headless Chromium into an empty device: validation, preview, and the one all-or-nothing
 * IndexedDB transaction that writes every record and photo. Timed from choosing the file to the
 * preview, and from the apply click to "done"; the renderer's JavaScript heap is sampled over
 * the import through CDP. Run with 1,000 and 4,000 photos (~100 and ~400 MB): the Node bench
 * measures the io layer alone, this one what a provincial user's browser does with the file.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { chromium, type Page } from 'playwright-core'
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/chromium'
import { dataset, writeBenchBundle } from './bundle.bench'
import { rawWriteFloor } from './raw-floor'
import { serveBuiltApp } from './serve-app'
import type { BenchFigure } from './types'

const MB = 1024 * 1024
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d

/** Runs in the page: how many rows the app's database holds in each table named. */
async function counts(tables: string[]): Promise<Record<string, number>> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open('store-service-eval')
    req.onsuccess = () => resolve(req.result)
    req.onerror = () => reject(req.error)
  })
  const out: Record<string, number> = {}
  for (const t of tables)
    out[t] = await new Promise<number>((resolve, reject) => {
      const req = db.transaction(t).objectStore(t).count()
      req.onsuccess = () => resolve(req.result)
      req.onerror = () => reject(req.error)
    })
  db.close()
  return out
}

async function importOnce(base: string, photos: number) {
  const dir = mkdtempSync(join(tmpdir(), 'bundle-browser-'))
  const path = join(dir, 'bundle.zip')
  const data = dataset(photos)
  const fileBytes = await writeBenchBundle(data, path)
  const profile = mkdtempSync(join(tmpdir(), 'bundle-browser-profile-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
  })
  // tsx compiles the in-page functions with esbuild's keepNames, whose `__name` helper the page lacks.
  await context.addInitScript({ content: 'globalThis.__name = (f) => f' })
  try {
    const page: Page = context.pages()[0] ?? (await context.newPage())
    await page.goto(`${base}/exchange`)
    const cdp = await context.newCDPSession(page)
    await cdp.send('Performance.enable')
    let heapPeak = 0
    let sampling = true
    const sampler = (async () => {
      while (sampling) {
        // A page that closed (a crash, a timeout) ends the sampling, not the whole bench run.
        const got = await cdp.send('Performance.getMetrics').catch(() => null)
        if (!got) return
        const { metrics } = got
        const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0
        heapPeak = Math.max(heapPeak, used)
        await new Promise((r) => setTimeout(r, 100))
      }
    })()
    const heapStart = (await cdp.send('Performance.getMetrics')).metrics.find(
      (m) => m.name === 'JSHeapUsedSize',
    )!.value

    let start = performance.now()
    await page.getByTestId('import-file').setInputFiles(path)
    await page.getByTestId('import-preview').waitFor({ timeout: 600_000 })
    const previewMs = performance.now() - start
    start = performance.now()
    await page.getByTestId('import-apply').click()
    await page.getByTestId('import-done').waitFor({ timeout: 600_000 })
    const applyMs = performance.now() - start
    sampling = false
    await sampler
    const stored = await page.evaluate(counts, ['evaluations', 'photos', 'stores'])
    if (
      stored.evaluations !== data.evaluations.length ||
      stored.photos !== photos ||
      stored.stores !== data.stores.length
    )
      throw new Error(`import incomplete: ${JSON.stringify(stored)}`)
    const floor = await page.evaluate(rawWriteFloor, { indexes: false })
    return { fileBytes, previewMs, applyMs, heapGrowth: heapPeak - heapStart, floor }
  } finally {
    await context.close()
    rmSync(profile, { recursive: true, force: true })
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function run(): Promise<BenchFigure[]> {
  const app = await serveBuiltApp()
  const base = app.base
  const figures: BenchFigure[] = []
  try {
    for (const photos of [1_000, 4_000]) {
      const r = await importOnce(base, photos)
      const size = `${photos.toLocaleString('en')} photos, ${round(r.fileBytes / MB, 0)} MB`
      figures.push(
        {
          name: `bundle in Chromium: choose file to preview (validate all), ${size}`,
          value: round(r.previewMs / 1000, 2),
          unit: 's',
        },
        {
          name: `bundle in Chromium: apply (one IndexedDB transaction), ${size}`,
          value: round(r.applyMs / 1000, 2),
          unit: 's',
        },
        {
          name: `bundle in Chromium: whole import, ${size}`,
          value: round((r.previewMs + r.applyMs) / 1000, 2),
          unit: 's',
          ...(photos === 4_000 ? { target: 20 } : {}),
        },
        {
          name: `bundle floor: raw IndexedDB write of the same ${r.floor.rows.toLocaleString('en')} rows (one strict transaction, key paths only), ${size}`,
          value: round(r.floor.ms / 1000, 2),
          unit: 's',
        },
        {
          name: `bundle in Chromium: whole import ÷ raw write of the same rows, ${size} (goal ≤ 1.5)`,
          value: round((r.previewMs + r.applyMs) / r.floor.ms, 2),
          unit: '×',
          target: 1.5,
        },
        {
          name: `bundle in Chromium: apply ÷ raw write of the same rows, ${size}`,
          value: round(r.applyMs / r.floor.ms, 2),
          unit: '×',
        },
        {
          name: `bundle in Chromium: peak JS heap growth, ${size}`,
          value: round(r.heapGrowth / MB),
          unit: 'MB',
        },
      )
    }
  } finally {
    await app.close()
  }
  return figures
}

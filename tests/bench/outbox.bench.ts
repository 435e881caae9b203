/**
 * The cost of the outbox (issue 13), in the app: one answer saved in the built app in headless
 * Chromium, with the outbox entry the save makes in its own transaction and without it, in the
 * same page, in interleaved blocks (so the machine's load falls on both alike), each timed from
 * the tap to the save indicator's "saved" (IndexedDB acknowledged, strict durability), as the form
 * bench times it. Reported: both p95 and their ratio.
 *
 * "Without" is the same app and the same transaction over the same tables with the outbox's get
 * and put skipped: a bench build (VITE_BENCH_RUBRICS=1) lets the page switch `enqueue` off with
 * `globalThis.__benchNoOutbox`; no other build contains that switch.
 */
import { openBenchApp, quantile, timeSaves } from './form.bench'
import type { BenchFigure } from './types'

const BLOCK = 20
const BLOCKS = 10
const round = (n: number) => Math.round(n * 10) / 10

export async function run(): Promise<BenchFigure[]> {
  const { page, id, close } = await openBenchApp('dist-bench-outbox', 'sse-bench-outbox-', true)
  try {
    await page.goto(`/evaluations/${id}`)
    await page.waitForSelector('[data-testid=item-card]')
    // Warm-up (first saves open the database's object stores and JIT the path).
    await timeSaves(page, BLOCK)
    const outboxRows = () =>
      page.evaluate(
        () =>
          new Promise<number>((resolve, reject) => {
            const open = indexedDB.open('store-service-eval')
            open.onerror = () => reject(open.error)
            open.onsuccess = () => {
              const req = open.result.transaction('outbox').objectStore('outbox').count()
              req.onsuccess = () => {
                open.result.close()
                resolve(req.result)
              }
              req.onerror = () => reject(req.error)
            }
          }),
      )
    const withOutbox: number[] = []
    const without: number[] = []
    for (let b = 0; b < BLOCKS; b++) {
      for (const off of b % 2 ? [true, false] : [false, true]) {
        await page.evaluate((v) => {
          ;(globalThis as { __benchNoOutbox?: boolean }).__benchNoOutbox = v
        }, off)
        ;(off ? without : withOutbox).push(...(await timeSaves(page, BLOCK)))
      }
    }
    await page.evaluate(() => {
      delete (globalThis as { __benchNoOutbox?: boolean }).__benchNoOutbox
    })
    // The switch really switched: the draft's one outbox row is there (saved with the outbox).
    if ((await outboxRows()) < 1) throw new Error('the saves made no outbox entry')
    withOutbox.sort((a, b) => a - b)
    without.sort((a, b) => a - b)
    const p95With = quantile(withOutbox, 0.95)
    const p95Without = quantile(without, 0.95)
    const n = BLOCK * BLOCKS
    return [
      {
        name: `app: one answer saved with the outbox, p95 (${n} saves, interleaved)`,
        value: round(p95With),
        unit: 'ms',
      },
      {
        name: `app: one answer saved without the outbox entry, p95 (${n} saves, same page)`,
        value: round(p95Without),
        unit: 'ms',
      },
      {
        name: 'app: outbox cost at the median, one answer saved p50 with ÷ without the outbox',
        value: Math.round((quantile(withOutbox, 0.5) / quantile(without, 0.5)) * 100) / 100,
        unit: '×',
      },
      {
        name: 'app: outbox cost, one answer saved p95 with ÷ without the outbox (issue 13)',
        value: Math.round((p95With / p95Without) * 100) / 100,
        unit: '×',
      },
    ]
  } finally {
    await close()
  }
}

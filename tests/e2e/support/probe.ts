/**
 * A probe of the main thread's responsiveness (tests/e2e/faults-xlsx-bomb.test.ts and
 * malformed-trust.test.ts): a 10 ms timer keeps the longest gap between its runs, so a page
 * that blocks while it reads a file shows as one long gap.
 */
import type { Page } from 'playwright-core'

/** Longest accepted gap between a 10 ms timer's runs on the main thread. */
export const LONGEST_GAP_MS = 3000

/** Starts a probe: a 10 ms timer on the main thread keeps the longest gap between its runs. */
export async function startProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __gap: number; __probe: number }
    w.__gap = 0
    let last = performance.now()
    w.__probe = window.setInterval(() => {
      const now = performance.now()
      w.__gap = Math.max(w.__gap, now - last)
      last = now
    }, 10)
  })
}

export async function stopProbe(page: Page): Promise<number> {
  return page.evaluate(() => {
    const w = window as unknown as { __gap: number; __probe: number }
    clearInterval(w.__probe)
    return w.__gap
  })
}

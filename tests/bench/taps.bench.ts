/**
 * Taps and time to answer a whole inspection of the group rubric (the Jiangsu variant, which the
 * demo's stores get: 63 section items plus bonus and deductions) on a portrait tablet
 * (820×1180), by script, with auto-advance: each answer moves the form on, so a tap per item is
 * the floor (measurements are typed, then one tap moves on). Before auto-advance it took 75
 * taps plus 10 "next step" (issue 14). A figure to keep falling.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/chromium'
import { answerByTaps } from '../helpers/answer-by-taps'
import { serveBuiltApp } from './serve-app'
import type { BenchFigure } from './types'

export async function run(): Promise<BenchFigure[]> {
  const app = await serveBuiltApp()
  const profile = mkdtempSync(join(tmpdir(), 'bench-taps-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    viewport: { width: 820, height: 1180 },
    locale: 'zh-CN',
    hasTouch: true,
    baseURL: app.base,
  })
  try {
    const page = context.pages()[0] ?? (await context.newPage())
    await page.goto('/')
    await page.getByTestId('load-demo').click()
    await page.waitForURL('**/stores', { timeout: 60_000 })
    const code = await page.evaluate(
      () =>
        new Promise<string>((resolve, reject) => {
          const open = indexedDB.open('store-service-eval')
          open.onerror = () => reject(open.error)
          open.onsuccess = () => {
            const all = open.result.transaction('stores').objectStore('stores').getAll()
            all.onsuccess = () => {
              const s = (all.result as { code: string; level: number; type: string }[]).find(
                (x) => x.level === 2 && x.type === 'self',
              )
              open.result.close()
              if (s) resolve(s.code)
              else reject(new Error('no level-2 self-operated store'))
            }
          }
        }),
    )
    await page.goto(`/evaluations/new?store=${code}`)
    await page.getByTestId('reviewer-city').click()
    await page.getByTestId('evaluator-name').fill('王检查')
    await page.getByTestId('create-evaluation').click()
    await page.getByTestId('item-card').first().waitFor()
    const items = Number(
      (await page.getByTestId('bar-progress').innerText()).match(/\/(\d+)/)?.[1] ?? NaN,
    )
    const r = await answerByTaps(page)
    return [
      {
        name: `form: taps to answer the whole rubric (${items} items, auto-advance)`,
        value: r.taps,
        unit: 'taps',
        target: 75,
      },
      { name: 'form: measurements typed on the way', value: r.typed, unit: 'items' },
      { name: 'form: time to answer the whole rubric by script', value: r.ms, unit: 'ms' },
    ]
  } finally {
    await context.close()
    rmSync(profile, { recursive: true, force: true })
    await app.close()
  }
}

/**
 * axe-core over every main screen at tablet size (820×1180, zh-CN), on the built app with the
 * demo loaded: no serious or critical violation.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { openSession, removeProfile, screenshot, type Session } from './support/browser'
import { loadDemo, readTable } from './support/faults'

const PORTRAIT = { width: 820, height: 1180 }
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

interface Violation {
  id: string
  impact: string | null
  help: string
  nodes: string[]
}

async function scan(page: Page): Promise<Violation[]> {
  // evaluate() runs outside the page's CSP, which would refuse an injected script tag.
  await page.evaluate(AXE)
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (o: object) => Promise<{
            violations: {
              id: string
              impact: string | null
              help: string
              nodes: { target: string[]; html: string }[]
            }[]
          }>
        }
      }
    ).axe
    const r = await axe.run({ resultTypes: ['violations'] })
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => `${n.target.join(' ')} ${n.html.slice(0, 90)}`),
      }))
  })
}

describe('accessibility (axe-core)', () => {
  let s: Session
  let page: Page
  const screens: [string, string, string][] = []
  beforeAll(async () => {
    s = await openSession({ viewport: PORTRAIT })
    page = s.page
    await loadDemo(page)
    const stores = await readTable(page, 'stores')
    const store = stores.find((x) => x.level === 2 && x.type === 'self')!
    const evs = await readTable(page, 'evaluations')
    const done = evs.find((e) => e.status === 'submitted' && e.result)!
    const draft = evs.find((e) => e.status === 'draft')!
    const code = String(store.code)
    screens.push(
      ['home', '/', 'home-overview'],
      ['register', '/stores', 'store-list'],
      ['store page', `/stores/${code}`, 'store-title'],
      ['form, first step', `/evaluations/${String(draft.id)}?step=1`, 'item-card'],
      ['form, last step', `/evaluations/${String(draft.id)}?step=11`, 'item-card'],
      ['result', `/evaluations/${String(done.id)}/result`, 'final-score'],
      ['rankings', '/rankings', 'rank-table'],
      ['scores import', '/rankings/import', 'import-headers'],
      ['certification', '/certification', 'actor-name'],
      ['charts', '/charts', 'chart-toggle'],
      ['exchange', '/exchange', 'export-card'],
      ['settings', '/settings', 'demo-card'],
      ['daily check', `/daily?store=${code}`, 'daily-form'],
    )
  })
  afterAll(async () => {
    await s.close()
    removeProfile(s.profileDir)
  })

  it('finds no serious or critical violation on any screen', async () => {
    const found: Record<string, Violation[]> = {}
    for (const [name, url, ready] of screens) {
      await page.goto(url)
      await page.locator(`[data-testid="${ready}"]`).first().waitFor({ timeout: 30_000 })
      await page.waitForTimeout(300)
      const v = await scan(page)
      if (v.length) found[name] = v
    }
    expect(found).toEqual({})
  })

  it('keeps the rankings table’s rank and code in place at 820 px, its header under every column', async () => {
    await page.goto('/rankings')
    const table = page.getByTestId('rank-table')
    await page.getByTestId('rank-row').first().waitFor()
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(820)
    const firstCellX = () =>
      page
        .getByTestId('rank-row')
        .first()
        .locator('[role=cell]')
        .first()
        .evaluate((el) => el.getBoundingClientRect().left)
    const before = await firstCellX()
    await table.evaluate((el) => el.scrollBy({ left: 400 }))
    await expect.poll(() => table.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0)
    expect(await firstCellX()).toBeCloseTo(before, 0)
    const widths = await table.evaluate((el) => ({
      scroll: el.scrollWidth,
      head: el.querySelector('.vt-head')!.getBoundingClientRect().width,
    }))
    expect(widths.head).toBeGreaterThanOrEqual(widths.scroll - 2)
    await screenshot(page, 'rankings-portrait-scrolled')
  })

  it('sets a store’s self-assessment beside its inspection, item by item, on the store and result pages', async () => {
    const evs = await readTable(page, 'evaluations')
    const scored = evs.filter((e) => e.status === 'submitted' && e.result && e.period === '2026-Q4')
    const pair = scored
      .filter((e) => e.reviewer === 'self')
      .map(
        (self) =>
          [
            self,
            scored.find((o) => o.storeCode === self.storeCode && o.reviewer !== 'self'),
          ] as const,
      )
      .find(([, other]) => other)!
    await page.goto(`/stores/${String(pair[0].storeCode)}`)
    const cmp = page.getByTestId('self-vs-inspection')
    await expect.poll(() => cmp.count()).toBe(1)
    expect(await cmp.innerText()).toMatch(/自评 [\d.]+ 分/)
    await page.goto(`/evaluations/${String(pair[1]!.id)}/result`)
    await expect.poll(() => page.getByTestId('self-vs-inspection').count()).toBe(1)
    await screenshot(page, 'self-vs-inspection-result')
  })
})

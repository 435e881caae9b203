/**
 * Issue 17 item 3, screens follow the data: the rankings read once in a tab (and in a second
 * tab) show a city inspection submitted afterwards without a reload, and the certification
 * candidates follow too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { answerByTaps } from '../helpers/answer-by-taps'
import { openSession, removeProfile, type Session } from './support/browser'
import { loadDemo } from './support/faults'

const CODE = 'JSNJ012'

/** The store's score in the rankings table of the page as it is now (no navigation). */
async function rankedScore(page: Page): Promise<string> {
  const search = page.getByTestId('filter-search')
  if ((await search.inputValue()) !== CODE) await search.fill(CODE)
  const row = page.locator(`[data-testid=rank-row][data-code=${CODE}]`)
  await expect.poll(() => row.count()).toBe(1)
  return row.locator('.c-score').innerText()
}

describe('screens follow the data', () => {
  let s: Session
  let page: Page
  let other: Page
  beforeAll(async () => {
    s = await openSession()
    page = s.page
    await loadDemo(page)
  })
  afterAll(async () => {
    await s.close()
    removeProfile(s.profileDir)
  })

  it('shows a submitted city inspection in the rankings of this tab and another, without a reload', async () => {
    other = await s.context.newPage()
    await other.goto('/rankings')
    const before = await rankedScore(other)
    expect(before).toMatch(/^\d+\.\d\d$/)

    // The new tab came to the front: bring this one back, as the user would. (A background
    // tab gets about one animation frame a second, and every tap waits for frames: 1.5 s a tap.)
    await page.bringToFront()
    await page.goto('/rankings')
    expect(await rankedScore(page)).toBe(before)
    // A mark on this document: a reload would lose it.
    await page.evaluate(() => Object.assign(window, { __sameDocument: true }))

    // In-app navigation only: the rankings store keeps what it read.
    await page.locator('a.nav-link[href="/stores"]').click()
    await page.getByTestId('store-search').fill(CODE)
    await page.getByTestId('store-list').getByRole('link', { name: CODE, exact: true }).click()
    await page.getByTestId('start-evaluation').click()
    await page.getByTestId('reviewer-city').click()
    await page.getByTestId('evaluator-name').fill('王检查')
    await page.getByTestId('create-evaluation').click()
    await page.waitForURL(/\/evaluations\/[0-9a-f-]{36}/)
    await expect.poll(() => page.getByTestId('item-card').count()).toBeGreaterThan(0)
    const run = await answerByTaps(page)
    console.log(`inspection answered: ${run.taps} taps in ${run.ms} ms`)
    await page.getByTestId('step-nav').locator('[data-testid^=step-]').last().click()
    await page.getByTestId('submit').click()
    await page.getByTestId('submit-confirm').click()
    await page.waitForURL(/\/result$/)
    console.log('submitted')
    const after = await page.getByTestId('final-score').innerText()
    expect(after).toMatch(/^\d+\.\d\d$/)
    expect(after).not.toBe(before)

    await page.locator('a.nav-link[href="/rankings"]').click()
    console.log('back on the rankings')
    await expect.poll(() => rankedScore(page)).toBe(after)
    // The other tab was never touched (in the background, its timers run late: a longer wait).
    await expect.poll(() => rankedScore(other), { timeout: 10_000 }).toBe(after)
    expect(await page.evaluate(() => '__sameDocument' in window)).toBe(true)
  }, 240_000)

  it('a certification step recorded in one tab shows in the other', async () => {
    await page.locator('a.nav-link[href="/certification"]').click()
    await other.locator('a.nav-link[href="/certification"]').click()
    await page.getByTestId('actor-name').fill('周敏')
    await page.getByTestId('actor-name').press('Tab')
    const step = (p: Page) => p.getByTestId('step-city-certify-江苏/南京')
    await expect.poll(() => step(other).innerText(), { timeout: 10_000 }).not.toContain('周敏')
    await step(page).getByTestId('step-run').click()
    await expect.poll(() => step(page).innerText()).toContain('周敏')
    await expect.poll(() => step(other).innerText(), { timeout: 10_000 }).toContain('周敏')
  })
})

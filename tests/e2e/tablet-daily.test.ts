/**
 * The store manager's daily self-check on a tablet in portrait (820×1180), from home to a
 * corrective action on the store's page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { openSession, removeProfile, screenshot, type Session } from './support/browser'

const PORTRAIT = { width: 820, height: 1180 }

describe('the daily self-check', () => {
  let s: Session
  let page: Page
  beforeAll(async () => {
    s = await openSession({ viewport: PORTRAIT })
    page = s.page
    await page.goto('/')
    await page.getByTestId('load-demo').click()
    await page.waitForURL('**/stores', { timeout: 30_000 })
  })
  afterAll(async () => {
    await s.close()
    removeProfile(s.profileDir)
  })

  it('finds a store in the register by several words and by pinyin', async () => {
    await page.goto('/stores')
    const rows = page.getByTestId('store-row')
    for (const typed of ['南京 新街口', 'xinjiekou', 'nj xjk']) {
      await page.getByTestId('store-search').fill(typed)
      await expect.poll(() => rows.first().innerText()).toContain('新街口')
    }
    await page.getByTestId('store-search').fill('xjk suzhou')
    await expect.poll(() => rows.count()).toBe(0)
  })

  it('is reached from home, answered on one screen and kept in the store’s history', async () => {
    await page.goto('/')
    await page.getByTestId('home-daily').click()
    await page.waitForURL('**/daily')
    await page.getByTestId('daily-store-search').fill('新街口')
    await page.getByTestId('daily-store-option').first().click()
    await page.waitForURL(/\/daily\?store=/)
    const items = page.getByTestId('daily-item')
    await expect.poll(() => items.count()).toBe(12)
    await page.getByTestId('daily-name').fill('李店长')
    // Nothing answered: the button says why it does nothing.
    await page.getByTestId('daily-submit').click()
    expect(await page.getByTestId('daily-why').innerText()).toBe('还有 12 项未选择')
    expect(await page.getByTestId('daily-history').count()).toBe(0)

    // All met but the first (opening on time, note evidence): its note box opens on "不符合".
    for (let i = 1; i < 12; i++) await items.nth(i).getByTestId('answer-yes').click()
    const first = items.first()
    expect(await first.getByTestId('item-note').count()).toBe(0)
    await first.getByTestId('answer-no').click()
    expect(await page.getByTestId('daily-why').innerText()).toMatch(/1 项不符合，还需要/)
    await first.getByTestId('item-note').fill('晚开门 10 分钟')
    await expect.poll(() => page.getByTestId('daily-why').count()).toBe(0)
    await screenshot(page, 'daily-check-portrait')
    await page.getByTestId('daily-submit').click()
    await expect
      .poll(() => page.getByTestId('daily-recorded').innerText())
      .toMatch('今日自查已记录：1 项不符合')
    expect(await page.getByTestId('daily-history-row').count()).toBe(1)
    expect(await page.getByTestId('daily-history-outcome').innerText()).toBe('1 项不符合')
    // The screen is clear for the next check.
    expect(await page.locator('[data-testid=daily-item] [aria-pressed=true]').count()).toBe(0)
  })

  it('raises a corrective action from the failed item, shown on the store page', async () => {
    await page.getByTestId('daily-act').click()
    await page.waitForURL(/\/evaluations\/.+\/result/)
    await page.getByTestId('add-action').first().click()
    await page.getByTestId('action-what').fill('调整早班排班')
    await page.getByTestId('action-who').fill('李店长')
    await page.getByTestId('action-save').click()
    await expect.poll(() => page.getByTestId('action').count()).toBe(1)
    await page
      .getByRole('link', { name: /新街口/ })
      .first()
      .click()
    await page.waitForURL(/\/stores\/[^/]+$/)
    await expect.poll(() => page.getByTestId('open-actions').innerText()).toContain('调整早班排班')
    // The store page leads back to the daily check and its history.
    await page.getByTestId('start-daily').click()
    await expect.poll(() => page.getByTestId('daily-history-row').count()).toBe(1)
  })
})

/**
 * A whole inspection of the group rubric on a tablet in portrait (820×1180), answered by
 * tapping the item the form moved to after each answer (auto-advance), then submitted.
 * Progress and score stay on screen in both orientations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { openSession, removeProfile, screenshot, type Session } from './support/browser'
import { loadDemo, readTable } from './support/faults'
import { answerByTaps } from '../helpers/answer-by-taps'

const PORTRAIT = { width: 820, height: 1180 }
const LANDSCAPE = { width: 1180, height: 820 }

/** Whether an element is inside the viewport (not scrolled away). */
const inView = (page: Page, testId: string) =>
  page.getByTestId(testId).evaluate((el) => {
    const r = el.getBoundingClientRect()
    return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0
  })

describe('an inspection by taps alone', () => {
  let s: Session
  let page: Page
  beforeAll(async () => {
    s = await openSession({ viewport: PORTRAIT })
    page = s.page
    await loadDemo(page)
  })
  afterAll(async () => {
    await s.close()
    removeProfile(s.profileDir)
  })

  it('moves to the next unanswered item after each answer, across steps, to submit', async () => {
    const stores = await readTable(page, 'stores')
    const store = stores.find((x) => x.level === 2 && x.type === 'self' && x.province === '江苏')!
    await page.goto(`/stores/${String(store.code)}`)
    await page.getByTestId('start-evaluation').click()
    await page.getByTestId('reviewer-city').click()
    await page.getByTestId('evaluator-name').fill('王检查')
    await page.getByTestId('create-evaluation').click()
    await page.waitForURL(/\/evaluations\/[0-9a-f-]{36}/)
    await expect.poll(() => page.getByTestId('item-card').count()).toBeGreaterThan(0)
    expect(await page.getByTestId('auto-advance').isChecked()).toBe(true)
    expect(await inView(page, 'bar-progress')).toBe(true)

    const { taps, typed, ms } = await answerByTaps(page, async (card) => {
      expect(await card.evaluate((el) => el.getBoundingClientRect().top >= 0)).toBe(true)
    })
    const total = Number(
      (await page.getByTestId('bar-progress').innerText()).split('/')[1]?.match(/\d+/)?.[0],
    )
    expect(await page.getByTestId('bar-progress').innerText()).toMatch(
      new RegExp(`^${total}/${total}`),
    )
    // One tap per item (a measurement is typed, then a tap moves on), and one to begin.
    expect(taps).toBeLessThanOrEqual(total + 1)
    console.log(`inspection by taps: ${taps} taps, ${typed} typed, ${ms} ms`)
    await screenshot(page, 'tablet-inspection-done-portrait')

    // To the last step and submit.
    await page.getByTestId('step-nav').locator('[data-testid^=step-]').last().click()
    await page.getByTestId('submit').click()
    await page.getByTestId('submit-confirm').click()
    await page.waitForURL(/\/result$/)
  })

  it('keeps progress and score in view in landscape too', async () => {
    await page.goBack()
    await page.setViewportSize(LANDSCAPE)
    const stores = await readTable(page, 'stores')
    const store = stores.find((x) => x.level === 1 && x.type === 'self')!
    await page.goto(`/evaluations/new?store=${String(store.code)}`)
    await page.getByTestId('evaluator-name').fill('王检查')
    await page.getByTestId('create-evaluation').click()
    await expect.poll(() => page.getByTestId('item-card').count()).toBeGreaterThan(0)
    await page.getByTestId('item-card').first().getByTestId('answer-no').click()
    // A failed answer opens its note and photo controls and waits there.
    await expect
      .poll(() => page.getByTestId('item-card').first().getByTestId('item-note').count())
      .toBe(1)
    await page.mouse.wheel(0, 3000)
    expect(await inView(page, 'bar-progress')).toBe(true)
    expect(await inView(page, 'bar-score')).toBe(true)
    await screenshot(page, 'tablet-form-landscape')
    // Touch targets on the form are at least 44×44 CSS px.
    const small = await page.$$eval(
      '.form-view button, .form-view input[type=checkbox], .form-view summary, .form-view label.btn',
      (els) =>
        els
          .filter((el) => (el as HTMLElement).offsetParent !== null)
          .map((el) => {
            const r = el.getBoundingClientRect()
            const box = el.tagName === 'INPUT' ? el.closest('label')!.getBoundingClientRect() : r
            return {
              what: el.getAttribute('data-testid') ?? el.textContent?.trim(),
              w: box.width,
              h: box.height,
            }
          })
          .filter((b) => b.w < 44 || b.h < 44),
    )
    expect(small).toEqual([])
  })
})

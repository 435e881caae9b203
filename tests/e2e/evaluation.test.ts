import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import {
  openSession,
  removeProfile,
  screenshot,
  TABLET,
  TABLET_PORTRAIT,
  type Session,
} from './support/browser'
import { makePng } from './support/png'
import { bestMeasure } from '../helpers/answer-by-taps'

/** The state of every item card on the current step, as the user sees it. */
async function snapshot(page: Page): Promise<Record<string, unknown>> {
  return page.$$eval('[data-testid=item-card]', (cards) =>
    Object.fromEntries(
      cards.map((c) => [
        c.getAttribute('data-item'),
        {
          pressed: [...c.querySelectorAll('[aria-pressed=true]')].map((b) =>
            b.getAttribute('data-testid'),
          ),
          inputs: [...c.querySelectorAll('input[type=number]')].map(
            (i) => (i as HTMLInputElement).value,
          ),
          note: (c.querySelector('textarea') as HTMLTextAreaElement | null)?.value ?? '',
          photos: c.querySelectorAll('[data-testid=photo-thumb]').length,
        },
      ]),
    ),
  )
}

/** Answers every item of the current step the way a good store would, and adds notes where evidence is asked. */
async function answerStep(page: Page): Promise<void> {
  const cards = page.getByTestId('item-card')
  const n = await cards.count()
  for (let i = 0; i < n; i++) {
    const card = cards.nth(i)
    const kind = await card.getAttribute('data-kind')
    const group = await card.getAttribute('data-group')
    if ((await card.locator('[aria-pressed=true]').count()) > 0 && kind !== 'measure') continue
    if (kind === 'yesno')
      await card.getByTestId(group === 'section' ? 'answer-yes' : 'answer-no').click()
    else if (kind === 'scale') await card.locator('[data-testid^=scale-]').last().click()
    else if (kind === 'count') {
      if ((await card.getByTestId('count-input').inputValue()) === '')
        await card.getByTestId('count-none').click()
    } else if (kind === 'measure') {
      if ((await card.getByTestId('measure-input').inputValue()) !== '') continue
      await bestMeasure(card)
    }
  }
  const flagged = page.locator('[data-testid=item-card]:has([data-testid=needs-evidence])')
  for (let i = (await flagged.count()) - 1; i >= 0; i--) {
    await flagged.nth(i).getByTestId('item-note').fill('e2e: evidence note')
  }
}

const saved = (page: Page) =>
  expect.poll(() => page.getByTestId('save-state').getAttribute('data-state')).toBe('saved')

describe('evaluating a store on the tablet', () => {
  let s: Session
  let page: Page
  let evalUrl = ''
  let firstId = ''
  let draftUrl = ''
  const steps: Record<string, unknown>[] = []

  beforeAll(async () => {
    s = await openSession({ viewport: TABLET, autoAdvance: false })
    page = s.page
  })
  afterAll(async () => {
    await s.close()
    removeProfile(s.profileDir)
  })

  it('installs the service worker and loads the demo province', async () => {
    await page.goto('/')
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined))
    await page.reload()
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null))
      .toBe(true)
    await page.getByTestId('load-demo').click()
    await page.waitForURL('**/stores', { timeout: 30_000 })
  })

  it('starts an inspection with the rubric for the store', async () => {
    // The demo has stores of every level; take a graded one (self-operated, level 2).
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
              else reject(new Error('no level-2 self-operated store in the demo'))
            }
          }
        }),
    )
    await page.goto(`/evaluations/new?store=${code}`)
    await expect.poll(() => page.getByTestId('rubric').innerText()).toMatch(/第 \d+\.\d+\.\d+ 版/)
    expect(await page.getByTestId('period').inputValue()).toMatch(/^\d{4}-Q[1-4]$/)
    await page.getByTestId('reviewer-city').check()
    await page.getByTestId('evaluator-name').fill('王检查')
    await page.getByTestId('create-evaluation').click()
    await page.waitForURL(/\/evaluations\/[0-9a-f-]{36}(\?.*)?$/)
    evalUrl = page.url().split('?')[0]!
    firstId = evalUrl.split('/').pop()!
    await expect.poll(() => page.getByTestId('progress').innerText()).toMatch(/^0 \/ \d+/)
  })

  it('answers the first step', async () => {
    await answerStep(page)
    await saved(page)
    expect(await page.getByTestId('live-score').innerText()).toMatch(/^\d+\.\d\d$/)
    steps.push(await snapshot(page))
  })

  it('fails an item and proves it with a photo', async () => {
    await page.getByTestId('step-next').click()
    // An item a photo can prove (some ask for a note instead).
    const first = page
      .locator(
        '[data-testid=item-card][data-kind=yesno]:is([data-evidence=photo],[data-evidence=photo-or-note])',
      )
      .first()
    await first.getByTestId('answer-no').click()
    await expect.poll(() => first.getByTestId('needs-evidence').count()).toBe(1)
    await expect.poll(() => page.getByTestId('missing-evidence').count()).toBe(1)
    await first.locator('summary').click()
    await first
      .getByTestId('photo-file')
      .setInputFiles({ name: 'shelf.png', mimeType: 'image/png', buffer: makePng() })
    await expect.poll(() => first.getByTestId('photo-thumb').count(), { timeout: 15_000 }).toBe(1)
    await expect.poll(() => first.getByTestId('needs-evidence').count()).toBe(0)
    await first.getByTestId('photo-thumb').click()
    const full = page.getByTestId('photo-viewer').locator('img')
    await expect
      .poll(() => full.evaluate((img) => (img as HTMLImageElement).naturalWidth))
      .toBe(640)
    await screenshot(page, 'evaluation-photo-viewer')
    await page.getByTestId('photo-viewer-close').click()
    await answerStep(page)
    await saved(page)
    await screenshot(page, 'evaluation-form-landscape')
    await page.setViewportSize(TABLET_PORTRAIT)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      TABLET_PORTRAIT.width,
    )
    await screenshot(page, 'evaluation-form-portrait')
    await page.setViewportSize(TABLET)
  })

  it('keeps every answer, and a note typed just before, across a reload', async () => {
    const card = page.getByTestId('item-card').last()
    const itemId = (await card.getAttribute('data-item'))!
    const text = 'typed just before the reload'
    // Typed at a brisk human pace, then reloaded at once with no wait for "saved".
    await card.getByTestId('open-evidence').click()
    await card.getByTestId('item-note').pressSequentially(text, { delay: 40 })
    const before = await snapshot(page)
    await page.reload()
    await expect.poll(() => page.getByTestId('item-card').count()).toBeGreaterThan(0)
    expect(page.url()).toContain('step=2')
    const after = await snapshot(page)
    // At most the keystroke in flight may be lost.
    const note = (after[itemId] as { note: string }).note
    expect([text, text.slice(0, -1)]).toContain(note)
    expect(after).toEqual({ ...before, [itemId]: { ...(before[itemId] as object), note } })
    steps.push(after)
    await page.getByTestId('step-0').click()
    expect(await snapshot(page)).toEqual(steps[0])
  })

  it('works offline after a reload, to the end, and submits', async () => {
    await s.context.setOffline(true)
    await page.goto(`${evalUrl}?step=2`)
    await expect.poll(() => page.getByTestId('item-card').count()).toBeGreaterThan(0)
    expect(await snapshot(page)).toEqual(steps[1])
    // Truly offline: anything the service worker has not precached fails.
    const fetched = await page.evaluate(() =>
      fetch(`/not-cached-${Date.now()}.json`).then(
        () => 'network',
        () => 'offline',
      ),
    )
    expect(fetched).toBe('offline')
    while ((await page.getByTestId('step-next').count()) > 0) {
      await page.getByTestId('step-next').click()
      await answerStep(page)
    }
    await saved(page)
    await expect.poll(() => page.getByTestId('submit-ready').count()).toBe(1)
    const live = await page.getByTestId('live-score').innerText()
    const grade = await page.getByTestId('live-grade').innerText()
    await page.getByTestId('submit').click()
    await page.getByTestId('submit-confirm').click()
    await page.waitForURL(/\/result$/)
    expect(await page.getByTestId('final-score').innerText()).toBe(live)
    expect(await page.getByTestId('final-grade').innerText()).toBe(grade)
    const failed = page.locator('[data-testid=lost-items] li').first()
    await expect.poll(() => failed.locator('img').count()).toBe(1)
    await s.context.setOffline(false)
  })

  it('turns a lost item into a corrective action, and shows the printable result', async () => {
    await page.getByTestId('add-action').first().click()
    await page.getByTestId('action-who').fill('店长 李')
    await page.getByTestId('action-save').click()
    await expect.poll(() => page.getByTestId('action').count()).toBe(1)
    await screenshot(page, 'evaluation-result-landscape')
    await page.setViewportSize(TABLET_PORTRAIT)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      TABLET_PORTRAIT.width,
    )
    await screenshot(page, 'evaluation-result-portrait')
    await page.setViewportSize(TABLET)
    await page.emulateMedia({ media: 'print' })
    expect(await page.getByTestId('reopen').isVisible()).toBe(false)
    expect(await page.getByTestId('final-score').isVisible()).toBe(true)
    await page.emulateMedia({ media: 'screen' })
  })

  it('reopens the locked evaluation as a new revision and keeps the history', async () => {
    await page.getByTestId('reopen').click()
    await page.waitForURL(/\/evaluations\/[0-9a-f-]{36}(\?.*)?$/)
    expect(page.url()).not.toContain(firstId)
    draftUrl = page.url().split('?')[0]!
    await expect.poll(() => page.getByTestId('progress').innerText()).toMatch(/^(\d+) \/ \1/)
    expect(await page.locator('h1').innerText()).toMatch(/第 2 版|Revision 2/)
    await page.goto(`/evaluations/${firstId}/result`)
    await expect.poll(() => page.locator('[data-testid=revisions] li').count()).toBe(2)
    // The first revision stays locked: its form redirects to the result.
    await page.goto(`/evaluations/${firstId}`)
    await page.waitForURL(/\/result$/)
  })

  it('tells a second tab at once that the first saved, and shows the fresher answers', async () => {
    const other = await s.context.newPage()
    await other.goto(draftUrl)
    await page.goto(draftUrl)
    for (const p of [page, other])
      await expect.poll(() => p.getByTestId('item-card').count()).toBeGreaterThan(1)
    const cardIn = (p: Page, i: number) =>
      p.locator('[data-testid=item-card][data-kind=yesno]').nth(i)
    const pressed = (p: Page, i: number) =>
      cardIn(p, i).getByTestId('answer-no').getAttribute('aria-pressed')
    expect([await pressed(other, 0), await pressed(other, 1)]).toEqual(['false', 'false'])
    await cardIn(page, 0).getByTestId('answer-no').click()
    await saved(page)
    // The other tab changes nothing: it hears of the save (BroadcastChannel) and takes the copy.
    await expect.poll(() => other.getByTestId('conflict').count()).toBe(1)
    await expect.poll(() => pressed(other, 0)).toBe('true')
    // Its own next change then builds on the fresher copy: both answers are kept.
    await cardIn(other, 1).getByTestId('answer-no').click()
    await saved(other)
    await page.reload()
    await expect.poll(() => pressed(page, 1)).toBe('true')
    expect(await pressed(page, 0)).toBe('true')
    await screenshot(other, 'evaluation-conflict')
    await other.close()
  })
})

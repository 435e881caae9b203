/**
 * The visit record: an inspection signed on the tablet by the inspector and the store manager,
 * and the report that stands alone (store, times, every answer, bonus, signatures), printed to
 * A4 with page.pdf() and read back with pdf.js.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs'
import { openSession, removeProfile, screenshot, type Session } from './support/browser'
import { loadDemo, readTable } from './support/faults'
import { bestMeasure } from '../helpers/answer-by-taps'

const PORTRAIT = { width: 820, height: 1180 }

/** Draws a zig-zag inside a signature pad with the pointer. */
async function draw(page: Page, canvas: Locator): Promise<void> {
  // Clear of the fixed bottom bar, which would take the pointer.
  await canvas.evaluate((el) => el.scrollIntoView({ block: 'center' }))
  const box = (await canvas.boundingBox())!
  await page.mouse.move(box.x + 20, box.y + box.height / 2)
  await page.mouse.down()
  for (let i = 1; i <= 12; i++)
    await page.mouse.move(box.x + 20 + i * 25, box.y + (i % 2 ? 40 : box.height - 40), { steps: 3 })
  await page.mouse.up()
}

describe('the signed visit record and its printed report', () => {
  let s: Session
  let page: Page
  let storeName = ''
  let bonusLabel = ''
  beforeAll(async () => {
    s = await openSession({ viewport: PORTRAIT, autoAdvance: false })
    page = s.page
    await loadDemo(page)
  })
  afterAll(async () => {
    await s.close()
    removeProfile(s.profileDir)
  })

  it('is signed by both on the last step and shows the signatures in the report', async () => {
    const stores = await readTable(page, 'stores')
    const store = stores.find((x) => x.level === 2 && x.type === 'self' && x.province === '江苏')!
    storeName = String(store.name)
    await page.goto(`/evaluations/new?store=${String(store.code)}`)
    await page.getByTestId('reviewer-city').click()
    await page.getByTestId('evaluator-name').fill('王检查')
    await page.getByTestId('create-evaluation').click()
    await page.waitForURL(/\/evaluations\/[0-9a-f-]{36}/)
    // Answer every step the way a good store would, with one bonus item awarded.
    const nav = page.getByTestId('step-nav').locator('[data-testid^=step-]')
    await nav.first().waitFor()
    const steps = await nav.count()
    expect(steps).toBeGreaterThan(5)
    for (let st = 0; st < steps; st++) {
      await nav.nth(st).click()
      // Wait for the step to be the current one: the previous step's cards stay a moment.
      await expect.poll(() => nav.nth(st).getAttribute('aria-current')).toBe('step')
      const cards = page.getByTestId('item-card')
      await cards.first().waitFor()
      for (let i = 0; i < (await cards.count()); i++) {
        const card = cards.nth(i)
        const kind = await card.getAttribute('data-kind')
        const group = await card.getAttribute('data-group')
        if (kind === 'yesno') {
          const award = group === 'bonus' && !bonusLabel
          await card.getByTestId(group === 'section' || award ? 'answer-yes' : 'answer-no').click()
          if (award) bonusLabel = await card.locator('h3').innerText()
        } else if (kind === 'scale') await card.locator('[data-testid^=scale-]').last().click()
        else if (kind === 'count') await card.getByTestId('count-none').click()
        else await bestMeasure(card)
        if ((await card.getByTestId('needs-evidence').count()) > 0)
          await card.getByTestId('item-note').fill('现场已记录')
      }
    }
    expect(bonusLabel).not.toBe('')
    // The last step: both sign.
    await expect.poll(() => page.getByTestId('visit-signatures').count()).toBe(1)
    expect(await page.getByTestId('pad-inspector-name').inputValue()).toBe('王检查')
    await draw(page, page.getByTestId('pad-inspector-canvas'))
    await page.getByTestId('pad-inspector-save').click()
    await expect.poll(() => page.getByTestId('signature-inspector').count()).toBe(1)
    await page.getByTestId('pad-manager-name').fill('李店长')
    await draw(page, page.getByTestId('pad-manager-canvas'))
    await page.getByTestId('pad-manager-save').click()
    await expect.poll(() => page.getByTestId('signature-manager').count()).toBe(1)
    await screenshot(page, 'report-signatures-form')
    // Kept with the evaluation: a reload shows them.
    await page.reload()
    await expect.poll(() => page.getByTestId('signature-manager').count()).toBe(1)

    await page.getByTestId('submit').click()
    await page.getByTestId('submit-confirm').click()
    await page.waitForURL(/\/result$/)
    const record = page.getByTestId('visit-record')
    await expect.poll(() => record.innerText()).toContain(storeName)
    expect(await record.innerText()).toContain('李店长')
    expect(await page.getByTestId('record-end').innerText()).not.toBe('—')
    const sig = page.getByTestId('record-signature-manager')
    await expect
      .poll(() => sig.evaluate((i) => (i as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0)
    expect(await page.getByTestId('report-bonus').innerText()).toContain(bonusLabel)
    await screenshot(page, 'report-result-portrait')
  })

  it('prints to A4 with the store, the bonus item and both signatures', async () => {
    const pdf = await page.pdf({ format: 'A4', printBackground: true })
    const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false }).promise
    let text = ''
    let images = 0
    for (let p = 1; p <= doc.numPages; p++) {
      const pg = await doc.getPage(p)
      const content = await pg.getTextContent()
      text += content.items.map((i) => ('str' in i ? i.str : '')).join('')
      const ops = await pg.getOperatorList()
      images += ops.fnArray.filter((f) => f === OPS.paintImageXObject).length
    }
    const flat = text.replace(/\s+/g, '')
    expect(flat).toContain(storeName)
    expect(flat).toContain(bonusLabel.replace(/\s+/g, ''))
    expect(flat).toContain('李店长')
    expect(flat).toContain('检查人')
    // The two signatures are drawn as images.
    expect(images).toBeGreaterThanOrEqual(2)
    expect(doc.numPages).toBeGreaterThanOrEqual(2)
  })
})

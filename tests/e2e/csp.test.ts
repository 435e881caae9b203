/**
 * Issue 7: the built app under its Content-Security-Policy in real Chromium. Every route is
 * visited, and the actions that load the heavier code run (demo data, rankings XLSX and CSV
 * export, chart PNG, bundle export, an evaluation form and its result), with a
 * `securitypolicyviolation` listener in every document and the console watched. Zero violations
 * is the proof that the eval/Function hits found in the chunks (tests/unit/csp-dist.test.ts) are
 * never reached, and that nothing needs inline script or style.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeWorkbook } from '../../src/io/xlsx'
import { openSession, removeProfile, type Session } from './support/browser'

describe('CSP at run time, every route of the built app', () => {
  let s: Session
  const violations: string[] = []
  const errors: string[] = []

  beforeAll(async () => {
    s = await openSession()
    await s.context.exposeFunction('__reportCsp', (v: string) => void violations.push(v))
    await s.context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        const report = (window as unknown as { __reportCsp: (v: string) => void }).__reportCsp
        report(
          `${e.violatedDirective} blocked ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber} on ${location.pathname}`,
        )
      })
    })
    s.page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text()))
        violations.push(`console: ${m.text()}`)
    })
    s.page.on('pageerror', (e) => void errors.push(e.message))
  })
  afterAll(async () => {
    await s.close()
    removeProfile(s.profileDir)
  })

  /** Goes to a route and waits until the view has rendered something. */
  async function visit(path: string): Promise<void> {
    await s.page.goto(path)
    await s.page.locator('main, #app > *').first().waitFor()
    await s.page.waitForLoadState('networkidle')
  }

  it('visits every route and runs the exports with zero violations', async () => {
    const { page } = s
    await visit('/')
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined))
    await page.getByTestId('load-demo').click()
    await page.waitForURL('**/stores', { timeout: 60_000 })

    // An evaluation that exists in the demo data, read raw from IndexedDB to find its id.
    const evaluationId = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open('store-service-eval')
        r.onsuccess = () => resolve(r.result)
        r.onerror = () => reject(r.error)
      })
      const rows = await new Promise<{ id: string; status: string }[]>((resolve) => {
        const r = db.transaction('evaluations').objectStore('evaluations').getAll()
        r.onsuccess = () => resolve(r.result as { id: string; status: string }[])
      })
      db.close()
      return (rows.find((e) => e.status === 'submitted') ?? rows[0])!.id
    })

    const routes = [
      '/',
      '/stores',
      '/stores/new',
      '/stores/import',
      '/stores/JSNJ001',
      '/stores/JSNJ001/edit',
      '/evaluations/new',
      `/evaluations/${evaluationId}`,
      `/evaluations/${evaluationId}/result`,
      '/rankings',
      '/certification',
      '/charts',
      '/exchange',
      '/settings',
      '/no-such-page',
    ]
    for (const route of routes) await visit(route)

    // Rankings: both exports (SheetJS is loaded for the XLSX one).
    await visit('/rankings')
    await expect.poll(() => page.getByTestId('rank-row').count()).toBeGreaterThan(5)
    for (const id of ['export-xlsx', 'export-csv']) {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByTestId(id).click(),
      ])
      expect(await download.failure()).toBeNull()
    }

    // Charts: drawn on canvas, and one PNG download.
    await visit('/charts')
    await expect
      .poll(() =>
        page
          .getByTestId('chart-histogram')
          .locator('canvas')
          .evaluate((c: HTMLCanvasElement) => c.width > 0),
      )
      .toBe(true)
    const [png] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('chart-histogram').getByTestId('chart-png').click(),
    ])
    expect(await png.failure()).toBeNull()

    // Exchange: a bundle export (zip writer, hashing, signing).
    await visit('/exchange')
    await expect.poll(() => page.getByTestId('export-province').inputValue()).not.toBe('')
    await page.getByTestId('export-run').click()
    await page.getByTestId('export-download').waitFor({ timeout: 60_000 })

    // Store import of an XLSX: read in the spreadsheet worker, which loads SheetJS itself.
    await visit('/stores/import')
    const workbook = await writeWorkbook([
      {
        name: 's',
        headers: ['营业厅编码', '营业厅名称', '省份', '地市', '等级', '类型'],
        rows: [['CSP001', '策略厅', '江苏', '南京', 1, '自营厅']],
      },
    ])
    await page.getByTestId('import-file').setInputFiles({
      name: 'csp.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from(workbook),
    })
    await page.getByTestId('import-ok').waitFor({ timeout: 60_000 })
    expect(await page.getByTestId('import-preview').innerText()).toContain('策略厅')

    // Back through the service worker's cache on a reload.
    await page.reload()
    await page.waitForLoadState('networkidle')

    expect(violations).toEqual([])
    expect(errors).toEqual([])
  })

  it('the listener does catch a violation (so zero above means zero)', async () => {
    const { page } = s
    const n = violations.length
    // DevTools' own evaluation is exempt from the CSP, so the test makes the page do something
    // the policy forbids: an inline script element, and an image from another origin.
    await page.evaluate(() => {
      const script = document.createElement('script')
      script.textContent = 'window.__inlineRan = true'
      document.head.append(script)
      const img = document.createElement('img')
      img.src = 'https://example.invalid/x.png'
      document.body.append(img)
    })
    await expect.poll(() => violations.length).toBeGreaterThan(n)
    await expect.poll(() => violations.length).toBeGreaterThanOrEqual(n + 2)
    expect(violations.slice(n).join('\n')).toMatch(/script-src/)
    expect(violations.slice(n).join('\n')).toMatch(/img-src/)
    expect(
      await page.evaluate(() => (window as { __inlineRan?: boolean }).__inlineRan),
    ).toBeUndefined()
  })
})

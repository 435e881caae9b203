import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadExcel } from '../helpers/exceljs'
import { openSession, removeProfile, screenshot, type Session } from './support/browser'
import { certifyProvince, overrideFirstCandidate } from './support/certification'

/**
 * Issue 5 end to end on the demo province: rankings, the certification steps with an override
 * and a send-back, the XLSX export read back from the downloaded file, and the charts.
 */
describe('rankings, certification, exports, charts', () => {
  let s: Session
  const NASTY = '=HYPERLINK("x")'
  /** The store whose evaluation is sent back. */
  let otherCode = ''

  beforeAll(async () => {
    s = await openSession()
    const { page } = s
    await page.goto('/')
    await page.getByTestId('load-demo').click()
    await page.waitForURL('**/stores')
    // A store renamed through the edit screen to a formula: exports must keep it inert.
    await page.goto('/stores/JSNJ001/edit')
    await page.getByTestId('field-name').fill(NASTY)
    await page.getByTestId('store-save').click()
    await page.waitForURL('**/stores/JSNJ001?saved=1')
  })
  afterAll(async () => {
    await s.close()
    removeProfile(s.profileDir)
  })

  it('ranks the demo province with virtual rows, sorting, filters and ungraded reasons', async () => {
    const { page } = s
    await page.goto('/rankings')
    await expect.poll(() => page.getByTestId('rank-row').count()).toBeGreaterThan(5)
    await expect.poll(() => page.getByTestId('province-select').inputValue()).toBe('江苏')
    const shown = await page.getByTestId('shown-count').innerText()
    const total = Number(/\/\s*(\d+)/.exec(shown)?.[1])
    expect(total).toBeGreaterThan(20)
    // Virtualised: far fewer rows in the DOM than graded stores would be with many stores; all here fit.
    const first = page.getByTestId('rank-row').first()
    expect(await first.locator('[role=cell]').first().innerText()).toBe('1')

    await page.getByTestId('sort-score').click()
    const scores = await page.getByTestId('rank-row').locator('.c-score').allInnerTexts()
    const nums = scores.map(Number)
    expect(nums.length).toBeGreaterThan(5)
    expect([...nums].sort((a, b) => b - a)).toEqual(nums)

    await page.getByTestId('filter-search').fill('JSSZ')
    await expect
      .poll(async () =>
        (
          await page
            .getByTestId('rank-row')
            .evaluateAll((rs) => rs.map((r) => r.getAttribute('data-code')))
        ).every((c) => c?.startsWith('JSSZ')),
      )
      .toBe(true)
    await page.getByTestId('filter-search').fill('')

    await page.getByTestId('tab-ungraded').click()
    await expect
      .poll(() => page.getByTestId('rank-table').innerText())
      .toMatch(/4级厅不参与评级|社会合作厅不参与评级/)
    await page.getByTestId('tab-cities').click()
    await expect.poll(() => page.getByTestId('city-stats').locator('tbody tr').count()).toBe(5)
    await page.getByTestId('tab-stores').click()
    await screenshot(page, 'rankings-tablet')
  })

  it('runs the certification steps, records an override with its reason, and sends an evaluation back', async () => {
    const { page } = s
    // Before any step (issue 17.4): the rankings read as proposals, with a visible mark.
    await page.goto('/rankings')
    await expect.poll(() => page.getByTestId('rank-row').count()).toBeGreaterThan(5)
    await expect.poll(() => page.getByTestId('unsettled-notice').innerText()).toContain('拟认定')
    expect(await page.getByTestId('rank-row').first().innerText()).toContain('拟认定')
    await certifyProvince(page, '周敏')
    await expect.poll(() => page.getByTestId('candidates').innerText()).toContain('已认定')
    expect(await page.getByTestId('candidates').innerText()).not.toContain('拟认定')

    // Override the first nominee down to pass: a reason is required.
    const code = await overrideFirstCandidate(page, 'pass', '现场复核发现投诉未闭环')
    await page.getByTestId('show-overrides').click()
    await expect
      .poll(() => page.getByTestId(`cand-${code}`).innerText())
      .toContain('现场复核发现投诉未闭环')
    expect(await page.getByTestId(`cand-${code}`).innerText()).toContain('达标')
    // The override shows who made it, and every step over that store is now superseded.
    expect(await page.getByTestId(`override-by-${code}`).innerText()).toContain('已人工调整：周敏')
    const superseded = page.getByTestId('step-superseded')
    await expect.poll(() => superseded.count()).toBeGreaterThan(0)
    expect(await superseded.first().innerText()).toContain('已失效，需重新认定')
    expect(await superseded.first().innerText()).toContain(code)
    const lapsed = page.locator('li', { has: page.getByTestId('step-superseded') }).first()
    const lapsedId = (await lapsed.getAttribute('data-testid'))!
    // Taken again, the step stands.
    await lapsed.getByTestId('step-run').click()
    await expect
      .poll(() => page.getByTestId(lapsedId).getByTestId('step-superseded').count())
      .toBe(0)

    // Send another store's evaluation back: it becomes pending until re-inspected.
    await page.getByTestId('show-all').click()
    const other = page.locator('[data-testid^=cand-]').nth(3)
    otherCode = (await other.getAttribute('data-testid'))!.slice(5)
    await other.getByTestId('sendback-open').click()
    await page.getByTestId('action-reason').fill('照片与现场不符,请重新检查')
    await page.getByTestId('action-submit').click()
    await expect.poll(() => page.getByTestId(`cand-${otherCode}`).count()).toBe(0)

    // What-if: a larger excellent share moves stores without changing what is recorded.
    await page.getByTestId('whatif-excellentShare').fill('20')
    await page.getByTestId('whatif-run').click()
    await expect
      .poll(() => page.getByTestId('whatif-result').innerText())
      .toMatch(/\d+ 个营业厅的认定等级会变化/)
    await screenshot(page, 'certification-tablet')

    await page.goto('/rankings')
    await page.getByTestId('tab-ungraded').click()
    await page.getByTestId('filter-search').fill(otherCode)
    await expect.poll(() => page.getByTestId('rank-table').innerText()).toContain('照片与现场不符')
    // Send-back (issue 17 item 5): out of the certified list, its evaluation still shown, marked.
    const held = page.locator(`[data-testid=rank-row][data-code=${otherCode}]`)
    expect(await held.innerText()).toContain('退回复查中：照片与现场不符')
    expect(await held.locator('.c-score').innerText()).toMatch(/^\d+\.\d\d$/)
    expect(await page.getByTestId('rank-table').innerText()).not.toContain('本期无已提交的评价')
  })

  it('exports XLSX whose downloaded file has the override and an inert formula-like name', async () => {
    const { page } = s
    await page.goto('/rankings')
    await expect.poll(() => page.getByTestId('rank-row').count()).toBeGreaterThan(5)
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-xlsx').click(),
    ])
    expect(download.suggestedFilename()).toMatch(/^rankings-江苏-2026-Q4\.xlsx$/)
    const bytes = readFileSync((await download.path())!)
    const ExcelJS = await loadExcel()
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(bytes as unknown as ArrayBuffer)
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '营业厅',
      '地市',
      '省份',
      '名额使用',
      '人工调整',
      '认定记录',
    ])
    const stores = wb.getWorksheet('营业厅')!
    expect(stores.getRow(1).getCell(1).value).toBe('营业厅编码')
    let nasty: unknown
    let formula: unknown
    stores.eachRow((r) => {
      if (r.getCell(1).value === 'JSNJ001') {
        nasty = r.getCell(2).value
        formula = r.getCell(2).formula
      }
    })
    expect(nasty).toBe(NASTY) // a string cell, not a formula: no apostrophe in the XLSX
    const held: unknown[] = []
    stores.eachRow((r) => {
      if (r.getCell(1).value === otherCode) held.push(r.getCell(6).value, r.getCell(12).value)
    })
    expect(held[0]).toEqual(expect.any(Number))
    expect(held[1]).toBe('退回复查中：照片与现场不符,请重新检查')
    expect(formula).toBeUndefined()
    const overrides = wb.getWorksheet('人工调整')!
    expect(overrides.rowCount).toBe(2)
    expect(overrides.getRow(2).getCell(5).value).toBe('现场复核发现投诉未闭环')
    expect(overrides.getRow(2).getCell(6).value).toBe('周敏')
    expect(wb.getWorksheet('地市')!.rowCount).toBe(6)

    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-csv').click(),
    ])
    const text = readFileSync((await csv.path())!, 'utf8')
    expect(text).toContain(`"'=HYPERLINK(""x"")"`)
    expect(text.charCodeAt(0)).toBe(0xfeff)

    // GBK for old Excel, chosen on export (issue 17 item 9).
    await page.getByTestId('export-encoding').selectOption('gbk')
    const [gbk] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-csv').click(),
    ])
    const raw = readFileSync((await gbk.path())!)
    expect(raw[0]).not.toBe(0xef)
    const decoded = new TextDecoder('gbk').decode(raw)
    expect(decoded.startsWith('营业厅编码,营业厅名称')).toBe(true)
    expect(decoded).toContain(`"'=HYPERLINK(""x"")"`)

    // XLSX: frozen header row, auto filter, override time as a real date.
    expect(stores.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
    expect(stores.autoFilter).toMatch(/^A1:[A-Z]+\d+$/)
    expect(overrides.getRow(2).getCell(7).type).toBe(ExcelJS.ValueType.Date)

    // The certification record (issue 17.4): steps and overrides, who and when as real dates.
    const record = wb.getWorksheet('认定记录')!
    expect(record.getRow(1).values).toEqual([
      undefined,
      '操作',
      '单位',
      '营业厅编码',
      '营业厅名称',
      '认定内容',
      '建议等级',
      '调整后等级',
      '理由',
      '状态',
      '操作人',
      '时间',
    ])
    const lines: { action: unknown; state: unknown; by: unknown; at: unknown }[] = []
    record.eachRow((r, n) => {
      if (n > 1)
        lines.push({
          action: r.getCell(1).value,
          state: r.getCell(9).value,
          by: r.getCell(10).value,
          at: r.getCell(11).value,
        })
    })
    // Five cities, the province and the group, one step taken again, and the override.
    expect(lines.filter((l) => l.action === '市公司认定').length).toBeGreaterThanOrEqual(5)
    expect(lines.some((l) => l.action === '人工调整' && l.state === '有效')).toBe(true)
    expect(lines.some((l) => l.state === '已重新认定')).toBe(true)
    expect(lines.every((l) => l.by === '周敏')).toBe(true)
    for (const l of lines) {
      expect(l.at).toBeInstanceOf(Date)
      expect(Math.abs(Date.now() - (l.at as Date).getTime())).toBeLessThan(24 * 3600_000)
    }
    expect(record.getRow(2).getCell(11).type).toBe(ExcelJS.ValueType.Date)
    // The stores sheet says which grades are settled.
    const statusCol = (stores.getRow(1).values as unknown[]).indexOf('认定状态')
    expect(statusCol).toBeGreaterThan(0)
    const statuses = new Set<unknown>()
    stores.eachRow((r, n) => {
      if (n > 1) statuses.add(r.getCell(statusCol).value)
    })
    expect([...statuses].some((v) => v === '已认定' || v === '已失效，需重新认定')).toBe(true)
  })

  it('draws the charts from canvas, with table views and PNG downloads', async () => {
    const { page } = s
    await page.goto('/charts')
    for (const id of [
      'chart-distribution',
      'chart-histogram',
      'chart-radar',
      'chart-trend',
      'chart-gap',
    ]) {
      await expect
        .poll(() =>
          page
            .getByTestId(id)
            .locator('canvas')
            .evaluate((c: HTMLCanvasElement) => c.width > 0),
        )
        .toBe(true)
    }
    await page.waitForTimeout(300)
    await screenshot(page, 'charts-tablet')
    const gap = page.getByTestId('chart-gap')
    await gap.getByTestId('chart-toggle').click()
    await expect.poll(() => gap.getByTestId('chart-table').locator('tbody tr').count()).toBe(5)
    const [png] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('chart-histogram').getByTestId('chart-png').click(),
    ])
    expect(png.suggestedFilename()).toBe('score-histogram.png')
    const head = readFileSync((await png.path())!).subarray(0, 8)
    expect([...head]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  })
})

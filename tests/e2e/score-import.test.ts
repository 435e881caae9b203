import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import iconv from 'iconv-lite'
import type { Page } from 'playwright-core'
import { openSession, removeProfile, screenshot, type Session } from './support/browser'

/**
 * Issue 17.1 end to end: a real register (no demo), the rankings' empty screen offering the
 * scores import, a GBK scores file refused with its problems by row and column, the fixed file
 * imported whole, and the rankings, certification candidates and charts reading the totals.
 */
const STORES = [
  '营业厅编码,营业厅名称,省份,地市,区县,等级,类型',
  'ZJHZ01,杭州湖滨营业厅,浙江,杭州,上城区,1,自营厅',
  'ZJHZ02,杭州西溪营业厅,浙江,杭州,西湖区,2,自营厅',
  'ZJHZ03,杭州滨江营业厅,浙江,杭州,滨江区,3,自营厅',
  'ZJNB01,宁波天一营业厅,浙江,宁波,海曙区,1,自营厅',
  'ZJNB02,宁波江北营业厅,浙江,宁波,江北区,2,自营厅',
].join('\r\n')

const gbk = (lines: string[]) => iconv.encode(lines.join('\r\n'), 'gbk')

async function choose(page: Page, testid: string, name: string, buffer: Buffer): Promise<void> {
  await page.getByTestId(testid).setInputFiles({ name, mimeType: 'text/csv', buffer })
  await page.getByTestId('import-report').waitFor()
}

async function problemCells(page: Page): Promise<string[][]> {
  return page
    .getByTestId('import-problem')
    .evaluateAll((rows) =>
      rows.map((r) => Array.from(r.querySelectorAll('td'), (td) => td.textContent?.trim() ?? '')),
    )
}

describe('scores import', () => {
  let s: Session
  beforeAll(async () => {
    s = await openSession({ locale: 'zh-CN' })
    const { page } = s
    await page.goto('/stores/import')
    await choose(page, 'import-file', 'stores.csv', Buffer.from(STORES, 'utf8'))
    await page.getByTestId('import-button').click()
    await page.getByTestId('import-success').waitFor()
  })
  afterAll(async () => {
    await s.close()
    removeProfile(s.profileDir)
  })

  it('the empty rankings screen of a real register offers the scores import', async () => {
    const { page } = s
    await page.goto('/rankings')
    await page.getByTestId('no-scores').waitFor()
    expect(await page.getByTestId('no-scores').innerText()).toContain('可以导入各市报送的成绩表')
    expect(await page.getByTestId('no-scores').innerText()).not.toContain('示范数据')
    await page.getByTestId('no-scores-import').click()
    await page.waitForURL(/\/rankings\/import$/)
    // The accepted headers, in both languages, from the parser's list.
    await page.getByTestId('import-headers').locator('summary').click()
    const headers = await page.getByTestId('header-code').innerText()
    expect(headers).toContain('营业厅编码')
    expect(headers).toContain('store code')
    expect(await page.getByTestId('header-reviewer').innerText()).toContain('市公司')
  })

  it('refuses a file with problems, listing each by row and column, and writes nothing', async () => {
    const { page } = s
    await choose(
      page,
      'score-import-file',
      'hangzhou.csv',
      gbk([
        '营业厅编码,得分,评价方',
        'ZJHZ01,96.5,市公司',
        'ZJXX99,90,市公司',
        'ZJHZ02,九十,市公司',
        'ZJHZ03,88,老板',
      ]),
    )
    const cells = await problemCells(page)
    expect(cells).toContainEqual(['3', '营业厅编码', expect.stringContaining('ZJXX99')])
    expect(cells).toContainEqual(['4', '得分', expect.stringContaining('九十')])
    expect(cells).toContainEqual(['5', '评价方', expect.stringContaining('老板')])
    expect(await page.getByTestId('import-problems-title').innerText()).toContain('发现 3 个问题')
    expect(await page.getByTestId('score-import-button').isDisabled()).toBe(true)
    await screenshot(page, 'score-import-problems')
    await page.goto('/rankings')
    await page.getByTestId('no-scores').waitFor()
  })

  it('imports the fixed file whole and the rankings, certification and charts read it', async () => {
    const { page } = s
    await page.goto('/rankings/import')
    await choose(
      page,
      'score-import-file',
      'zhejiang.csv',
      gbk([
        '营业厅编码,得分,评价方',
        'ZJHZ01,96.5,市公司',
        'ZJHZ02,91,市公司',
        'ZJHZ03,85.25,市公司',
        'ZJNB01,78,市公司',
        'ZJNB02,92.4,省公司',
      ]),
    )
    await page.getByTestId('import-ok').waitFor()
    // No period column: the period is chosen in the preview.
    await page.getByTestId('score-period-choice').selectOption('2026')
    expect(await page.getByTestId('score-preview').innerText()).toContain('杭州湖滨营业厅')
    await page.getByTestId('score-import-button').click()
    await page.getByTestId('score-import-success').waitFor()
    expect(await page.getByTestId('score-import-success').innerText()).toContain(
      '已导入 5 条成绩（2026）',
    )
    await screenshot(page, 'score-import-done')

    await page.getByTestId('score-import-rankings').click()
    await page.waitForURL(/\/rankings$/)
    await expect.poll(() => page.getByTestId('rank-row').count()).toBe(5)
    const row = page.locator('[data-testid="rank-row"][data-code="ZJHZ01"]')
    expect(await row.locator('.c-score').innerText()).toBe('96.50')
    expect(await row.innerText()).toContain('zhejiang.csv')
    const scores = await page.getByTestId('rank-row').locator('.c-score').allInnerTexts()
    expect(scores.sort()).toEqual(['78.00', '85.25', '91.00', '92.40', '96.50'])

    // The certification candidates: the imported 96.50 is nominated excellent.
    await page.goto('/certification')
    await page.getByTestId('cand-ZJHZ01').waitFor()
    const cand = await page.getByTestId('cand-ZJHZ01').innerText()
    expect(cand).toContain('96.50')
    expect(cand).toContain('优秀')

    await page.goto('/charts')
    // "No data" while the charts load, then why: the imported totals have no sections.
    await expect
      .poll(() => page.getByTestId('chart-radar').getByTestId('chart-empty').innerText())
      .toContain('没有逐项答案')
    await screenshot(page, 'score-import-charts')

    // The store's page shows the evaluation as an imported score, with where it came from.
    await page.goto('/stores/ZJHZ01')
    await page.getByTestId('imported-score').waitFor()
    expect(await page.getByTestId('store-evaluations').innerText()).toContain(
      '来自 zhejiang.csv 第 2 行',
    )
  })

  it('the register import gives the true count of 20,000 duplicate codes and says the list is cut', async () => {
    const { page } = s
    await page.goto('/stores/import')
    const lines = ['营业厅编码,营业厅名称,省份,地市,等级,类型']
    for (let i = 0; i < 20_000; i++) lines.push('ZJHZ09,杭州九号营业厅,浙江,杭州,1,自营厅')
    await choose(page, 'import-file', 'dupes.csv', Buffer.from(lines.join('\r\n'), 'utf8'))
    const title = await page.getByTestId('import-problems-title').innerText()
    expect(title).toContain('发现 19,999 个问题')
    expect(title).toContain('下表只列出前 1,000 个')
  })
})

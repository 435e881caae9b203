import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import iconv from 'iconv-lite'
import type { Page } from 'playwright-core'
import {
  openSession,
  removeProfile,
  screenshot,
  TABLET,
  TABLET_PORTRAIT,
  type Session,
} from './support/browser'

/** "显示 58 / 58 个" → [58, 58] */
async function shownCount(page: Page): Promise<[number, number]> {
  const text = await page.getByTestId('store-count').innerText()
  const nums = (text.match(/[\d,]+/g) ?? []).map((n) => Number(n.replace(/,/g, '')))
  return [nums[0] ?? -1, nums[1] ?? -1]
}

describe('first start with the demo province', () => {
  let s: Session
  const firstLoadJs: string[] = []
  beforeAll(async () => {
    s = await openSession()
  })
  afterAll(async () => {
    await s.close()
    removeProfile(s.profileDir)
  })

  it('offers the demo on an empty device and lands on the store register after loading it', async () => {
    const { page } = s
    page.on('response', async (r) => {
      if (r.url().endsWith('.js') && firstLoadJs.length < 1000)
        firstLoadJs.push(await r.text().catch(() => ''))
    })
    await page.goto('/')
    await page.getByTestId('demo-offer').waitFor()
    expect(await page.getByTestId('demo-offer').innerText()).toContain('约 60 个营业厅')
    await screenshot(page, 'home-first-start')
    // Chart.js is not part of the first load (its option names survive minification).
    expect(firstLoadJs.length).toBeGreaterThan(0)
    expect(firstLoadJs.some((js) => js.includes('categoryPercentage'))).toBe(false)

    await page.getByTestId('load-demo').click()
    await page.waitForURL(/\/stores$/)
    await expect.poll(() => shownCount(page)).toEqual([58, 58])
    await page.getByTestId('store-row').first().waitFor()
    await screenshot(page, 'store-list')
  })

  it('searches by code and by name, and browses by city', async () => {
    const { page } = s
    await page.getByTestId('store-search').fill('JSSZ003')
    await expect.poll(() => page.getByTestId('store-row').count()).toBe(1)
    expect(await page.getByTestId('store-row').innerText()).toContain('JSSZ003')
    await page.getByTestId('store-search').fill('观前街')
    await expect
      .poll(() => page.getByTestId('store-row').locator('.code').allInnerTexts())
      .toEqual(['JSSZ001'])
    await page.getByTestId('store-search').fill('')
    await page.getByTestId('filter-province').selectOption('江苏')
    await page.getByTestId('filter-city').selectOption('无锡')
    await expect.poll(() => shownCount(page)).toEqual([11, 58])
  })

  it('adds a store by hand, refusing a taken code and an unchosen level', async () => {
    const { page } = s
    await page.goto('/stores/new')
    await page.getByTestId('field-code').fill('JSNJ001')
    await page.getByTestId('field-name').fill('南京测试营业厅')
    await page.getByTestId('field-province').fill('江苏')
    await page.getByTestId('field-city').fill('南京')
    await page.getByTestId('field-type').selectOption('self')
    await page.getByTestId('store-save').click()
    expect(await page.getByTestId('error-code').innerText()).toBe('编码 JSNJ001 已被使用')
    expect(await page.getByTestId('error-level').innerText()).toBe('等级必须是 1–4 级')
    await page.getByTestId('field-code').fill('JSNJ900')
    await page.getByTestId('field-level').selectOption('2')
    await expect.poll(() => page.getByTestId('error-code').innerText()).toBe('')
    await page.getByTestId('store-save').click()
    await page.waitForURL(/\/stores\/JSNJ900\?saved=1$/)
    await page.getByTestId('store-title').waitFor()
    expect(await page.getByTestId('store-title').innerText()).toContain('南京测试营业厅')
  })

  it('shows a store page with evaluations, actions, the section chart and its table, and lost items with photos', async () => {
    const { page } = s
    const jsAfter: string[] = []
    page.on('response', async (r) => {
      if (r.url().endsWith('.js')) jsAfter.push(await r.text().catch(() => ''))
    })
    await page.goto('/stores/JSNJ001')
    await page.getByTestId('store-title').waitFor()
    expect(await page.getByTestId('store-title').innerText()).toContain('南京新街口旗舰店')
    await page.getByTestId('store-evaluations').waitFor()
    expect(await page.getByTestId('store-evaluations').locator('tbody tr').count()).toBeGreaterThan(
      0,
    )
    const start = await page.getByTestId('start-evaluation').getAttribute('href')
    expect(start).toBe('/evaluations/new?store=JSNJ001')
    await page.locator('.section-chart canvas').waitFor()
    // The chart's code arrived only now, with the chart.
    await expect.poll(() => jsAfter.some((js) => js.includes('categoryPercentage'))).toBe(true)
    await page.waitForTimeout(300)
    await screenshot(page, 'store-page')
    await page.getByTestId('results-table-toggle').click()
    const cells = await page
      .getByTestId('results-table')
      .locator('tbody tr')
      .first()
      .locator('td')
      .allInnerTexts()
    expect(cells[1]).toMatch(/%$/)
    expect(cells[2]).toMatch(/%$/)
    // Lost items with their photos, shown from stored bytes through blob: URLs.
    expect(await page.getByTestId('lost-items').locator('li').count()).toBeGreaterThan(0)
    const photo = page.getByTestId('lost-photo').first()
    await photo.scrollIntoViewIfNeeded()
    expect(await photo.getAttribute('src')).toMatch(/^blob:/)
    await expect
      .poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
      .toBe(true)
    // The full photo opens in the app's own viewer, never as a page (a blob: page in our origin).
    const pagesBefore = page.context().pages().length
    await photo.click()
    const viewer = page.locator('dialog[open][data-testid="photo-viewer"]')
    await expect.poll(() => viewer.count()).toBe(1)
    expect(await viewer.locator('img').getAttribute('src')).toMatch(/^blob:/)
    expect(page.context().pages().length).toBe(pagesBefore)
    await page.keyboard.press('Escape')
    await expect.poll(() => viewer.count()).toBe(0)
    await page.setViewportSize(TABLET_PORTRAIT)
    await screenshot(page, 'store-page-portrait')
    await page.setViewportSize(TABLET)
  })

  it('checks off an open corrective action with a note', async () => {
    const { page } = s
    // Find a store with an open action: the demo raises them from inspections.
    for (const code of [
      'JSNJ001',
      'JSNJ002',
      'JSNJ003',
      'JSNJ004',
      'JSNJ005',
      'JSNJ006',
      'JSSZ001',
      'JSSZ002',
      'JSWX001',
      'JSCZ001',
      'JSXZ001',
    ]) {
      await page.goto(`/stores/${code}`)
      await page.getByTestId('store-title').waitFor()
      await page
        .locator('[data-testid="open-actions"], [data-testid="no-actions"]')
        .first()
        .waitFor()
      if ((await page.getByTestId('open-action').count()) > 0) break
    }
    const before = await page.getByTestId('open-action').count()
    expect(before).toBeGreaterThan(0)
    const first = page.getByTestId('open-action').first()
    await first.locator('button', { hasText: '完成整改' }).click()
    await first.locator('textarea').fill('已更换破损海报,现场复查合格')
    await first.locator('button', { hasText: '确认完成' }).click()
    await expect.poll(() => page.getByTestId('open-action').count()).toBe(before - 1)
    await page.reload()
    await page.getByTestId('store-title').waitFor()
    await page.locator('[data-testid="open-actions"], [data-testid="no-actions"]').first().waitFor()
    expect(await page.getByTestId('open-action').count()).toBe(before - 1)
  })

  it('home shows counts, drafts to resume and storage', async () => {
    const { page } = s
    await page.goto('/')
    await page.getByTestId('home-overview').waitFor()
    expect(await page.getByTestId('count-stores').innerText()).toBe('59')
    expect(await page.getByTestId('storage-used').innerText()).toMatch(/已用/)
    await screenshot(page, 'home')
    await page.setViewportSize(TABLET_PORTRAIT)
    await screenshot(page, 'home-portrait')
    await page.setViewportSize(TABLET)
  })
})

const HEADER = '营业厅编码,营业厅名称,省份,地市,区县,等级,类型'
const csv = (lines: string[]) => Buffer.from([HEADER, ...lines].join('\r\n'), 'utf8')

describe('importing a store file', () => {
  let s: Session
  beforeAll(async () => {
    s = await openSession({ locale: 'zh-CN' })
  })
  afterAll(async () => {
    await s.close()
    removeProfile(s.profileDir)
  })

  async function choose(
    page: Page,
    name: string,
    buffer: Buffer,
    mimeType = 'text/csv',
  ): Promise<void> {
    await page.getByTestId('import-file').setInputFiles({ name, mimeType, buffer })
    await page.getByTestId('import-report').waitFor()
  }

  it('reports a duplicate code and an unknown level by row and column, and writes nothing', async () => {
    const { page } = s
    await page.goto('/stores/import')
    await choose(
      page,
      'stores.csv',
      csv([
        'HZ001,杭州湖滨营业厅,浙江,杭州,上城区,1,自营厅',
        'HZ002,杭州西溪营业厅,浙江,杭州,西湖区,六级,自营厅',
        'HZ001,杭州滨江营业厅,浙江,杭州,滨江区,2,社会合作厅',
      ]),
    )
    const problems = await page
      .getByTestId('import-problem')
      .evaluateAll((rows) =>
        rows.map((r) => Array.from(r.querySelectorAll('td'), (td) => td.textContent?.trim() ?? '')),
      )
    expect(problems).toContainEqual(['3', '等级', expect.stringContaining('无法识别的等级“六级”')])
    expect(problems).toContainEqual([
      '4',
      '营业厅编码',
      expect.stringContaining('编码 HZ001 重复（第 2 行已出现）'),
    ])
    expect(await page.getByTestId('import-button').isDisabled()).toBe(true)
    await screenshot(page, 'import-report')
    await page.setViewportSize(TABLET_PORTRAIT)
    await screenshot(page, 'import-report-portrait')
    await page.setViewportSize(TABLET)

    await page.goto('/stores')
    await page.getByText('还没有营业厅').waitFor()
  })

  it('imports the fixed file, all of it', async () => {
    const { page } = s
    await page.goto('/stores/import')
    await choose(
      page,
      'stores.csv',
      csv([
        'HZ001,杭州湖滨营业厅,浙江,杭州,上城区,1,自营厅',
        'HZ002,杭州西溪营业厅,浙江,杭州,西湖区,2级,自营厅',
        'HZ003,杭州滨江营业厅,浙江,杭州,滨江区,2,社会合作厅',
      ]),
    )
    await page.getByTestId('import-ok').waitFor()
    await page.getByTestId('import-button').click()
    await page.getByTestId('import-success').waitFor()
    expect(await page.getByTestId('import-success').innerText()).toContain('已导入 3 个营业厅')
    await page.goto('/stores')
    await expect.poll(() => shownCount(page)).toEqual([3, 3])
    await page.getByTestId('store-search').fill('HZ003')
    await expect
      .poll(() => page.getByTestId('store-row').locator('.name').allInnerTexts())
      .toEqual(['杭州滨江营业厅'])
  })

  it('imports a GBK-encoded CSV with Chinese headers', async () => {
    const { page } = s
    const text = [
      '编码,名称,省份,地市,等级,类型',
      'NB001,宁波天一广场营业厅,浙江,宁波,一级,自营',
      'NB002,宁波鄞州合作厅,浙江,宁波,3,合作厅',
    ].join('\r\n')
    await page.goto('/stores/import')
    await choose(page, '宁波营业厅.csv', iconv.encode(text, 'gbk'))
    expect(await page.locator('.import-preview .summary').innerText()).toContain('GBK')
    expect(await page.getByTestId('import-preview').innerText()).toContain('宁波天一广场营业厅')
    await page.getByTestId('import-button').click()
    await page.getByTestId('import-success').waitFor()
    expect(await page.getByTestId('import-success').innerText()).toContain('已导入 2 个营业厅')
    await page.goto('/stores')
    await page.getByTestId('store-search').fill('天一')
    await expect
      .poll(() => page.getByTestId('store-row').locator('.code').allInnerTexts())
      .toEqual(['NB001'])
    await expect.poll(() => shownCount(page)).toEqual([1, 5])
  })
})

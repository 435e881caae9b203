import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { openSession, removeProfile, type Session } from './support/browser'

/**
 * Issue 17 item 10 in English: on every wide table a province user sees (rankings and their
 * tabs, certification, submission status, the register and both import previews) no two column
 * headers read the same and no header is cut, at a tablet's 1024 px and a desktop's 1366 px.
 */
const WIDTHS = [1024, 1366] as const

const REGISTER = [
  'store code,store name,province,city,level,type',
  // A demo store renamed (an update) and a new one: the preview shows both tables.
  'JSNJ001,Nanjing Xinjiekou Flagship,江苏,南京,1,自营厅',
  'JSNJ960,Nanjing Test Store,江苏,南京,2,自营厅',
].join('\r\n')
const SCORES_BAD = ['store code,score,reviewer', 'JSNJ001,96.5,city', 'JSXX999,90,city'].join(
  '\r\n',
)
const SCORES = ['store code,score,reviewer', 'JSNJ001,96.5,city', 'JSNJ002,91,province'].join(
  '\r\n',
)

interface HeaderFault {
  table: string
  header: string
  fault: string
}

/**
 * Every visible table's headers: a column header repeated in the same table, or a header (or
 * something inside it: a sort button) whose content is wider or taller than its box — cut off,
 * with or without an ellipsis.
 */
async function headerFaults(
  page: Page,
): Promise<{ faults: HeaderFault[]; checked: Record<string, number> }> {
  return page.evaluate(() => {
    const faults: { table: string; header: string; fault: string }[] = []
    const checked: Record<string, number> = {}
    const shown = (el: Element) => {
      const r = el.getBoundingClientRect()
      return r.width > 0 && r.height > 0
    }
    const tables = [...document.querySelectorAll('table, [role=table]')].filter(shown)
    for (const table of tables) {
      const name = table.getAttribute('data-testid') ?? table.className
      const own = (h: Element) => h.closest('table, [role=table]') === table && shown(h)
      const columns = [...table.querySelectorAll('thead th, [role=columnheader]')].filter(own)
      checked[name] = (checked[name] ?? 0) + columns.length
      const seen = new Map<string, number>()
      for (const h of columns) {
        const text = (h.textContent ?? '')
          .replace(/[▲▼]/g, '')
          .replace(/\s+/g, ' ')
          .trim()
          .toLowerCase()
        if (text) seen.set(text, (seen.get(text) ?? 0) + 1)
      }
      for (const [text, n] of seen)
        if (n > 1) faults.push({ table: name, header: text, fault: `${n} columns` })
      for (const h of [...table.querySelectorAll('th, [role=columnheader]')].filter(own)) {
        const header = (h.textContent ?? '').replace(/\s+/g, ' ').trim()
        for (const el of [h, ...h.querySelectorAll('*')]) {
          const style = getComputedStyle(el)
          if (style.display.startsWith('inline') && style.display !== 'inline-block') continue
          if (el.scrollWidth > el.clientWidth + 1)
            faults.push({
              table: name,
              header,
              fault: `${el.tagName} ${el.scrollWidth} > ${el.clientWidth} wide (text-overflow: ${style.textOverflow})`,
            })
          if (el.scrollHeight > el.clientHeight + 1)
            faults.push({
              table: name,
              header,
              fault: `${el.tagName} ${el.scrollHeight} > ${el.clientHeight} high`,
            })
        }
      }
    }
    return { faults, checked }
  })
}

describe('English wide tables: distinct headers, none cut', () => {
  let s: Session
  beforeAll(async () => {
    s = await openSession({ locale: 'en-US' })
    await s.context.addInitScript(() => localStorage.setItem('locale', 'en'))
    const { page } = s
    await page.goto('/')
    await page.getByTestId('load-demo').click()
    await page.waitForURL('**/stores')
  })
  afterAll(async () => {
    await s.close()
    removeProfile(s.profileDir)
  })

  /** Each screen's tables, checked at both widths; `open` brings the screen to the tables. */
  async function check(open: (page: Page) => Promise<void>, tables: string[]): Promise<void> {
    const { page } = s
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 768 })
      await open(page)
      for (const t of tables) await page.getByTestId(t).first().waitFor()
      // Layout settles (fonts, the virtual table's measured rows) before measuring.
      await page.waitForTimeout(150)
      const { faults, checked } = await headerFaults(page)
      expect({ width, faults }).toEqual({ width, faults: [] })
      for (const t of tables) expect(checked[t], `${t} at ${width} px`).toBeGreaterThan(2)
    }
  }

  it('rankings: the stores, ungraded, cities and provinces tabs', async () => {
    await check(
      async (page) => {
        await page.goto('/rankings')
        await page.getByTestId('rank-row').first().waitFor()
        expect(await page.locator('h1').first().innerText()).toBe('Rankings')
      },
      ['rank-table'],
    )
    for (const [tab, table] of [
      ['ungraded', 'rank-table'],
      ['cities', 'city-stats'],
      ['provinces', 'province-stats'],
    ] as const)
      await check(
        async (page) => {
          await page.goto('/rankings')
          await page.getByTestId('rank-row').first().waitFor()
          await page.getByTestId(`tab-${tab}`).click()
        },
        [table],
      )
  })

  it('certification: quotas, candidates, what-if', async () => {
    await check(
      async (page) => {
        await page.goto('/certification')
        await page.getByTestId('candidates').waitFor()
        await page.getByTestId('show-all').click()
        await page.getByTestId('whatif-excellentShare').fill('20')
        await page.getByTestId('whatif-run').click()
        await page.getByTestId('whatif-result').waitFor()
      },
      ['quota-panel', 'candidates'],
    )
  })

  it('the submission status and the register', async () => {
    await check(
      async (page) => {
        await page.goto('/status')
      },
      ['status-cities'],
    )
    await check(
      async (page) => {
        await page.goto('/stores')
        await page.getByTestId('store-row').first().waitFor()
      },
      ['store-list'],
    )
  })

  it('the register import preview and the scores import preview, with and without problems', async () => {
    await check(
      async (page) => {
        await page.goto('/stores/import')
        await page.getByTestId('import-file').setInputFiles({
          name: 'register.csv',
          mimeType: 'text/csv',
          buffer: Buffer.from(REGISTER, 'utf8'),
        })
      },
      ['import-updates', 'import-preview'],
    )
    await check(
      async (page) => {
        await page.goto('/rankings/import')
        await page.getByTestId('score-import-file').setInputFiles({
          name: 'scores.csv',
          mimeType: 'text/csv',
          buffer: Buffer.from(SCORES_BAD, 'utf8'),
        })
      },
      ['import-problems'],
    )
    await check(
      async (page) => {
        await page.goto('/rankings/import')
        await page.getByTestId('score-import-file').setInputFiles({
          name: 'scores.csv',
          mimeType: 'text/csv',
          buffer: Buffer.from(SCORES, 'utf8'),
        })
      },
      ['score-preview'],
    )
  })
})

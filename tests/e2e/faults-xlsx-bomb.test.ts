/**
 * Issue 15, spreadsheet bombs in real Chromium: a ~3 MB workbook whose sheet inflates to 1 GB,
 * honest about it and lying about it in its zip headers, goes through the store import. Each is
 * refused with its message, while a timer on the main thread shows the page never blocks (the
 * file is read in a worker), the main thread's JS heap barely grows (CDP Runtime.getHeapUsage)
 * and the renderer process's peak memory (VmHWM of the tab's processes) stays far from the
 * ~2 GB the issue measured. Then a large legal workbook (over the row limit), which SheetJS
 * really parses, shows the worker at work: the message arrives and the page stays responsive.
 */
import { readFileSync } from 'node:fs'
import type { CDPSession } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeWorkbook } from '../../src/io/xlsx'
import { xlsxGigaBomb } from '../helpers/xlsx-bomb'
import { openSession, removeProfile, screenshot, type Session } from './support/browser'
import { LONGEST_GAP_MS, startProbe, stopProbe } from './support/probe'

const GB = 1024 ** 3
const MB = 1024 ** 2
/** Peak resident memory (VmHWM) of every renderer process of the browser, in MB. */
function rendererPeaksMb(pids: readonly number[]): number[] {
  return pids.map((pid) => {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    return Number(/VmHWM:\s*(\d+)/.exec(status)?.[1] ?? 0) / 1024
  })
}

describe('a spreadsheet bomb through the store import', () => {
  let s: Session
  let cdp: CDPSession
  let renderers: number[] = []
  let bomb: Uint8Array
  let liar: Uint8Array

  beforeAll(async () => {
    ;[bomb, liar] = await Promise.all([
      xlsxGigaBomb(GB).then((b) => b.bytes),
      xlsxGigaBomb(GB, { declared: 900_000 }).then((b) => b.bytes),
    ])
    s = await openSession()
    cdp = await s.context.newCDPSession(s.page)
    await s.page.goto('/stores/import')
    await s.page.getByTestId('import-file').waitFor()
    const browser = s.context.browser()
    if (browser) {
      const bc = await browser.newBrowserCDPSession()
      const info = (await bc.send('SystemInfo.getProcessInfo')) as {
        processInfo: { id: number; type: string }[]
      }
      renderers = info.processInfo.filter((p) => p.type === 'renderer').map((p) => p.id)
      await bc.detach()
    }
  })
  afterAll(async () => {
    await s.close()
    removeProfile(s.profileDir)
  })

  /** The file through the import screen, with the probe on the main thread the whole time. */
  async function importFile(
    name: string,
    bytes: Uint8Array,
  ): Promise<{ text: string; gap: number; took: number }> {
    const { page } = s
    await page.reload()
    await page.getByTestId('import-file').waitFor()
    await startProbe(page)
    const started = Date.now()
    await page.getByTestId('import-file').setInputFiles({
      name,
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from(bytes),
    })
    await page.getByTestId('import-problems-title').waitFor({ timeout: 60_000 })
    const took = Date.now() - started
    const gap = await stopProbe(page)
    return {
      text: (await page.getByTestId('import-problem').allInnerTexts()).join('\n'),
      gap,
      took,
    }
  }

  it('a 1 GB sheet in a ~3 MB file, honest or lying about its size: refused, page responsive, memory bounded', async () => {
    const { page } = s
    expect(bomb.length).toBeLessThan(4 * MB)
    const heapBefore = ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize
    const cases: [string, Uint8Array, RegExp][] = [
      [
        'bomb.xlsx',
        bomb,
        /表格文件解压后过大（xl\/worksheets\/sheet1\.xml：1024(\.\d)? MB，上限 96 MB），未读取/,
      ],
      [
        'liar.xlsx',
        liar,
        /表格文件解压后过大（xl\/worksheets\/sheet1\.xml：0\.9 MB，上限 0\.9 MB），未读取/,
      ],
    ]
    for (const [name, bytes, message] of cases) {
      const { text, gap } = await importFile(name, bytes)
      expect(text, name).toMatch(message)
      expect(await page.getByTestId('import-button').isDisabled(), name).toBe(true)
      // A frozen tab is seconds (7.3 s in the issue). On this shared 2-core machine a timer
      // late by ~1-1.6 s is load alone (measured at load 17-19), so the bound is 3 s.
      expect(gap, name).toBeLessThan(LONGEST_GAP_MS)
      console.log(`${name}: longest main-thread gap ${gap.toFixed(0)} ms`)
    }
    await cdp.send('HeapProfiler.collectGarbage')
    const heapAfter = ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize
    console.log(`main heap growth: ${((heapAfter - heapBefore) / MB).toFixed(1)} MB`)
    expect((heapAfter - heapBefore) / MB).toBeLessThan(32)
    if (renderers.length > 0) {
      // The tab grew by ~2 GB; this one, worker included, stays far below.
      const peaks = rendererPeaksMb(renderers)
      console.log(`renderer peaks (MB): ${peaks.map((p) => p.toFixed(0)).join(', ')}`)
      expect(Math.max(...peaks)).toBeLessThan(600)
    }
    await screenshot(page, 'xlsx-bomb-refused')
  })

  it('a large legal workbook over the row limit: SheetJS parses it in the worker, the page stays responsive', async () => {
    const rows = Array.from({ length: 100_001 }, (_, i) => [
      `JS${String(i).padStart(6, '0')}`,
      `营业厅${i}`,
      '江苏',
      `城市${i % 13}`,
      (i % 4) + 1,
      i % 3 ? '自营厅' : '社会合作厅',
    ])
    const big = await writeWorkbook([
      { name: 's', headers: ['营业厅编码', '营业厅名称', '省份', '地市', '等级', '类型'], rows },
    ])
    const { text, gap, took } = await importFile('big.xlsx', big)
    console.log(
      `big workbook: ${took} ms to the message, longest main-thread gap ${gap.toFixed(0)} ms`,
    )
    expect(text).toContain('数据行过多（上限 100000 行）')
    // The parse takes seconds (10 s at load 17; read on the main thread, the whole time was one
    // block): the page kept running throughout.
    expect(gap).toBeLessThan(LONGEST_GAP_MS)
    expect(gap).toBeLessThan(took / 4)
  }, 180_000)
})

import { describe, expect, it } from 'vitest'
import { problemMessage } from '../../src/io/problems'
import { readTable } from '../../src/io/table'
import { archiveTooLarge, readFirstSheet, XLSX_LIMITS } from '../../src/io/xlsx'
import { strToU8, unzipSync, zipSync } from 'fflate'
import { lieAboutSize, xlsxBomb, xlsxGigaBomb } from '../helpers/xlsx-bomb'

describe('spreadsheet bombs are refused before SheetJS inflates them', () => {
  it('a sheet that deflates past the ratio limit (8 MB from a few KB)', async () => {
    const bomb = await xlsxBomb(150_000)
    expect(bomb.length).toBeLessThan(64 * 1024)
    const t = await archiveTooLarge(bomb)
    expect(t).toMatchObject({ what: 'ratio', part: 'xl/worksheets/sheet1.xml', limit: 200 })

    const table = await readTable(bomb, 'bomb.xlsx')
    expect(table.ok).toBe(false)
    expect(table.problems.map((p) => p.code)).toEqual(['archive-suspicious'])
    expect(problemMessage(table.problems[0]!, 'zh')).toBe(
      '表格文件结构异常（xl/worksheets/sheet1.xml: > 200:1），可能是压缩炸弹，未读取',
    )
  })

  it('a part larger than the limit, judged on the declared size alone', async () => {
    const big = await xlsxBomb(20_000) // ~1 MB of XML
    const limits = { ...XLSX_LIMITS, maxEntryBytes: 512 * 1024 }
    const back = await readFirstSheet(big, { archive: limits })
    expect(back.ok).toBe(false)
    if (back.ok) return
    expect(back.tooLarge).toMatchObject({ what: 'part', part: 'xl/worksheets/sheet1.xml' })

    const table = await readTable(big, 'big.xlsx', { archive: limits })
    expect(table.problems.map((p) => [p.code, p.params.part, p.params.limit])).toEqual([
      ['archive-too-large', 'xl/worksheets/sheet1.xml', 0.5],
    ])
  })

  it('a directory that understates the sheet: cut off while inflating', async () => {
    const liar = lieAboutSize(await xlsxBomb(20_000), 900)
    const t = await archiveTooLarge(liar)
    expect(t).toMatchObject({ what: 'part', part: 'xl/worksheets/sheet1.xml', declared: 900 })
  })

  it('many parts under 1 MB, each deflated ~300x: refused on the ratio of the whole file', async () => {
    const files = unzipSync(await xlsxBomb(50))
    const filler = strToU8('<x>BOMB</x>'.repeat(90_000)) // ~1 MB, under the per-part floor
    for (let i = 0; i < 40; i++) files[`xl/media/filler${i}.xml`] = filler
    const bomb = zipSync(files, { level: 9 })
    const t = await archiveTooLarge(bomb)
    expect(t).toMatchObject({ what: 'ratio', part: '*', limit: 200 })
    const table = await readTable(bomb, 'bomb.xlsx')
    expect(problemMessage(table.problems[0]!, 'zh')).toBe(
      '表格文件结构异常（*: > 200:1），可能是压缩炸弹，未读取',
    )
  })

  it('a 256 MB sheet whose headers claim 900 KB: cut off after one small step, little memory', async () => {
    const { bytes } = await xlsxGigaBomb(256 * 1024 * 1024, { declared: 900_000 })
    const before = process.memoryUsage().arrayBuffers
    let peak = before
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 1)
    const table = await readTable(bytes, 'liar.xlsx')
    clearInterval(timer)
    peak = Math.max(peak, process.memoryUsage().arrayBuffers)
    expect(table.problems.map((p) => [p.code, p.params.part])).toEqual([
      ['archive-too-large', 'xl/worksheets/sheet1.xml'],
    ])
    // One 32 KB push inflates to ~11 MB here (the stream is ~340:1); 1 MB pushes made ~340 MB.
    expect((peak - before) / 2 ** 20).toBeLessThan(64)
  })

  it('an ordinary workbook passes and reads as before', async () => {
    const ok = await xlsxBomb(50)
    expect(await archiveTooLarge(ok)).toBeNull()
    const back = await readFirstSheet(ok)
    expect(back.ok && back.rows.length).toBe(50)
  })
})

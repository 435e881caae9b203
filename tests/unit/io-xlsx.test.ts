import { describe, expect, it } from 'vitest'
import {
  DATE_FORMAT,
  looksLikeZip,
  readFirstSheet,
  safeSheetName,
  writeWorkbook,
} from '../../src/io/xlsx'
import { FORMULA_TRIGGERS } from '../../src/io/spreadsheet-safety'
import { loadExcel } from '../helpers/exceljs'

describe('XLSX', () => {
  it('round-trips several sheets of plain values', async () => {
    const bytes = await writeWorkbook([
      {
        name: 'stores',
        headers: ['code', 'name', 'level'],
        rows: [
          ['GD001', '广州天河营业厅', 1],
          ['GD002', null, 2.5],
        ],
      },
      { name: 'cities', headers: ['city'], rows: [['广州']] },
    ])
    expect(looksLikeZip(bytes)).toBe(true)
    const back = await readFirstSheet(bytes)
    expect(back.ok).toBe(true)
    if (!back.ok) return
    expect(back.sheetName).toBe('stores')
    expect(back.rows.map((r) => [r.row, r.cells])).toEqual([
      [1, ['code', 'name', 'level']],
      [2, ['GD001', '广州天河营业厅', '1']],
      [3, ['GD002', '', '2.5']],
    ])
  })

  it('writes formula-like text as string cells, never formulas (neutralised or not)', async () => {
    const texts = ['=1+1', '@SUM(A1)', '=HYPERLINK("http://evil","x")']
    const rows = texts.map((t) => [t])
    const ExcelJS = await loadExcel()
    for (const neutralise of [true, false]) {
      const bytes = await writeWorkbook([{ name: 'stores', headers: ['=name'], rows }], {
        neutralise,
      })
      const wb = new ExcelJS.Workbook()
      await wb.xlsx.load(bytes as unknown as ArrayBuffer)
      const ws = wb.getWorksheet('stores')!
      const expected = ['=name', ...texts].map((t) => (neutralise ? `'${t}` : t))
      expected.forEach((text, i) => {
        const cell = ws.getRow(i + 1).getCell(1)
        expect(cell.type).toBe(ExcelJS.ValueType.String)
        expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)
        expect(cell.formula).toBeUndefined()
        expect(cell.value).toBe(text)
      })
      // Our own reader agrees: no cell flagged as a formula.
      const back = await readFirstSheet(bytes)
      if (!back.ok) throw new Error(back.detail)
      expect(back.rows.flatMap((r) => r.formulas)).toEqual([])
      expect(back.rows.map((r) => r.cells[0])).toEqual(expected)
    }
  })

  it('sets column widths from the spec, or from the header length', async () => {
    const bytes = await writeWorkbook([
      { name: 's', headers: ['a', 'a much longer header'], rows: [['x', 'y']], widths: [25] },
    ])
    const ExcelJS = await loadExcel()
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(bytes as unknown as ArrayBuffer)
    const ws = wb.worksheets[0]!
    // SheetJS turns characters into Excel's width unit, which adds a little padding.
    expect(ws.getColumn(1).width).toBeGreaterThanOrEqual(25)
    expect(ws.getColumn(1).width).toBeLessThan(27)
    expect(ws.getColumn(2).width).toBeGreaterThanOrEqual(40)
    expect(ws.getColumn(2).width).toBeLessThan(42)
  })

  it('writes formula-like text as it is, in string cells, and keeps numbers numeric (issue 17)', async () => {
    const rows = FORMULA_TRIGGERS.map((c) => [`${c}HYPERLINK("http://evil","x")`, -7])
    rows.push(['-2+3', 1])
    const bytes = await writeWorkbook([{ name: 's', headers: ['text', 'n'], rows }])
    const ExcelJS = await loadExcel()
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(bytes as unknown as ArrayBuffer)
    const ws = wb.worksheets[0]!
    rows.forEach(([text, n], i) => {
      const row = ws.getRow(i + 2)
      // SheetJS stores CR as the ECMA-376 escape `_x000d_`, which Excel decodes and exceljs
      // does not; our own reader (below) gets the CR back.
      const shown = String(text).replace('\r', '_x000d_')
      expect(row.getCell(1).value).toBe(shown)
      expect(row.getCell(1).type).toBe(ExcelJS.ValueType.String)
      expect(row.getCell(1).formula).toBeUndefined()
      expect(row.getCell(2).value).toBe(n)
    })
    const back = await readFirstSheet(bytes)
    if (!back.ok) throw new Error(back.detail)
    expect(back.rows.slice(1).map((r) => r.cells)).toEqual(rows.map(([t, n]) => [t, String(n)]))
  })

  it('writes dates as date cells in local time, freezes the header row and filters every sheet', async () => {
    const at = new Date('2026-11-20T16:30:05.000Z')
    const bytes = await writeWorkbook([
      {
        name: 'a',
        headers: ['who', 'at'],
        rows: [
          ['周敏', at],
          ['王伟', null],
        ],
      },
      { name: 'b', headers: ['x'], rows: [] },
    ])
    const ExcelJS = await loadExcel()
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(bytes as unknown as ArrayBuffer)
    const a = wb.getWorksheet('a')!
    const cell = a.getRow(2).getCell(2)
    expect(cell.type).toBe(ExcelJS.ValueType.Date)
    expect(cell.numFmt).toBe(DATE_FORMAT)
    // Excel dates carry no zone: exceljs reads the wall-clock time as UTC.
    const wall = new Date(
      Date.UTC(at.getFullYear(), at.getMonth(), at.getDate(), at.getHours(), at.getMinutes(), 5),
    )
    expect(cell.value).toEqual(wall)
    for (const ws of wb.worksheets) {
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1, topLeftCell: 'A2' })
    }
    expect(a.autoFilter).toBe('A1:B3')
    expect(wb.getWorksheet('b')!.autoFilter).toBe('A1')
  })

  it('reads formula cells as their cached result, and flags them', async () => {
    const ExcelJS = await loadExcel()
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('x')
    ws.addRow(['code', 'name'])
    ws.addRow(['A1', { formula: 'CONCAT("广州","厅")', result: '广州厅' }])
    ws.addRow(['A2', { richText: [{ text: '富' }, { text: '文本' }] }])
    ws.addRow(['A3', new Date(Date.UTC(2026, 0, 2))])
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer())
    const back = await readFirstSheet(bytes)
    if (!back.ok) throw new Error(back.detail)
    expect(back.rows[1]).toEqual({ row: 2, cells: ['A1', '广州厅'], formulas: [1] })
    expect(back.rows[2]?.cells).toEqual(['A2', '富文本'])
    expect(back.rows[3]?.cells).toEqual(['A3', '2026-01-02'])
  })

  it('refuses a truncated or non-xlsx zip without throwing', async () => {
    const bytes = await writeWorkbook([{ name: 's', headers: ['a'], rows: [['b']] }])
    const truncated = await readFirstSheet(bytes.slice(0, Math.floor(bytes.length / 2)))
    expect(truncated.ok).toBe(false)
    const junk = await readFirstSheet(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))
    expect(junk.ok).toBe(false)
  })

  it('makes sheet names Excel accepts', () => {
    expect(safeSheetName('quota use / 2026 [draft]')).toBe('quota use _ 2026 _draft_')
    expect(safeSheetName('x'.repeat(40))).toHaveLength(31)
    expect(safeSheetName('stores', new Set(['stores']))).toBe('stores_2')
  })

  it('writes text XML cannot carry (control characters, lone surrogates) as a readable file', async () => {
    const bytes = await writeWorkbook([
      {
        name: 's',
        headers: ['a'],
        rows: [['bell\u0007 <b>&"x"', 'lone \uD800 surrogate', ' edge ', 'lit _x0041_ a\r\nb']],
      },
    ])
    const back = await readFirstSheet(bytes)
    if (!back.ok) throw new Error(back.detail)
    expect(back.rows[1]?.cells).toEqual([
      'bell <b>&"x"',
      'lone  surrogate',
      ' edge ',
      // SheetJS's reader turns a CRLF inside a cell into LF (a lone CR is kept, see above).
      'lit _x0041_ a\nb',
    ])
  })

  it('writes a readable workbook with no sheets or an empty sheet', async () => {
    for (const sheets of [[], [{ name: 'empty', headers: [], rows: [] }]]) {
      const ExcelJS = await loadExcel()
      const wb = new ExcelJS.Workbook()
      await wb.xlsx.load((await writeWorkbook(sheets)) as unknown as ArrayBuffer)
      expect(wb.worksheets).toHaveLength(1)
    }
  })
})

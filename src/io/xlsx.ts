/**
 * XLSX reading through exceljs, writing through ./xlsx-write. exceljs is large (~1 MB), so it is
 * only ever loaded with a dynamic import: it stays out of the app's first-load bundle and is
 * fetched when the user imports a workbook.
 */
import type { CellValue as ExcelCellValue, Workbook } from 'exceljs'

type ExcelModule = typeof import('exceljs')

let excelModule: Promise<ExcelModule> | null = null

/** exceljs is CommonJS: Node's ESM loader wraps it in `default`, bundlers may not. */
export function loadExcel(): Promise<ExcelModule> {
  excelModule ??= import('exceljs').then(
    (mod) => (mod as ExcelModule & { default?: ExcelModule }).default ?? mod,
  )
  return excelModule
}

/** The zip local-file-header signature `PK\x03\x04` that every XLSX starts with. */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 &&
    bytes[0] === 0x50 &&
    bytes[1] === 0x4b &&
    bytes[2] === 0x03 &&
    bytes[3] === 0x04
  )
}

export interface SheetRow {
  /** 1-based row number as Excel shows it. */
  row: number
  cells: string[]
  /** 0-based indexes of cells that held a formula; `cells` has its cached result instead. */
  formulas: number[]
}

export type ReadSheetResult =
  | { ok: true; sheetName: string; rows: SheetRow[]; truncated: boolean }
  | { ok: false; detail: string }

function dateText(d: Date): string {
  const iso = d.toISOString()
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso
}

/** Cell value to plain text; `formula` is set when the cell held a formula. */
function cellText(value: ExcelCellValue | undefined): { text: string; formula: boolean } {
  if (value === null || value === undefined) return { text: '', formula: false }
  if (typeof value === 'string') return { text: value, formula: false }
  if (typeof value === 'number')
    return { text: Number.isFinite(value) ? String(value) : '', formula: false }
  if (typeof value === 'boolean') return { text: value ? 'TRUE' : 'FALSE', formula: false }
  if (value instanceof Date)
    return { text: Number.isNaN(value.getTime()) ? '' : dateText(value), formula: false }
  const v = value as unknown as Record<string, unknown>
  if ('formula' in v || 'sharedFormula' in v) {
    // Never evaluate: keep only the value Excel cached when the file was saved.
    const inner = cellText(v.result as ExcelCellValue | undefined)
    return { text: inner.text, formula: true }
  }
  if (Array.isArray(v.richText)) {
    return {
      text: (v.richText as { text?: unknown }[])
        .map((r) => (typeof r.text === 'string' ? r.text : ''))
        .join(''),
      formula: false,
    }
  }
  if ('text' in v) return cellText(v.text as ExcelCellValue)
  if ('error' in v) return { text: String(v.error), formula: false }
  return { text: '', formula: false }
}

/** Read the first worksheet as rows of strings. Empty rows are skipped. Never throws. */
export async function readFirstSheet(
  bytes: Uint8Array,
  options: { maxRows?: number } = {},
): Promise<ReadSheetResult> {
  const maxRows = options.maxRows ?? Number.POSITIVE_INFINITY
  let workbook: Workbook
  try {
    const ExcelJS = await loadExcel()
    workbook = new ExcelJS.Workbook()
    // exceljs's typings want its own Buffer alias; JSZip underneath accepts any Uint8Array.
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer)
  } catch (e) {
    return { ok: false, detail: e instanceof Error ? e.message : String(e) }
  }
  const sheet = workbook.worksheets[0]
  if (!sheet) return { ok: false, detail: 'the workbook has no worksheet' }
  const rows: SheetRow[] = []
  let truncated = false
  try {
    sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      if (rows.length >= maxRows) {
        truncated = true
        return
      }
      const values = row.values as (ExcelCellValue | undefined)[]
      const cells: string[] = []
      const formulas: number[] = []
      // `row.values` is 1-based and sparse.
      for (let i = 1; i < values.length; i++) {
        const { text, formula } = cellText(values[i])
        cells.push(text)
        if (formula) formulas.push(i - 1)
      }
      if (cells.some((c) => c !== '')) rows.push({ row: rowNumber, cells, formulas })
    })
  } catch (e) {
    return { ok: false, detail: e instanceof Error ? e.message : String(e) }
  }
  return { ok: true, sheetName: sheet.name, rows, truncated }
}

// Writing has its own small writer: exceljs is only needed (and only loaded) to read.
export {
  safeSheetName,
  writeWorkbook,
  writeWorkbookSync,
  type SheetSpec,
  type WriteWorkbookOptions,
} from './xlsx-write'

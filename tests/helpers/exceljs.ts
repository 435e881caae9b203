/**
 * exceljs, for tests only: an independent second reader of the XLSX files we write with SheetJS
 * (and a writer of test workbooks with formulas, rich text and dates). It is a dev dependency.
 */
type ExcelModule = typeof import('exceljs')

let excelModule: Promise<ExcelModule> | null = null

/** exceljs is CommonJS: Node's ESM loader wraps it in `default`, bundlers may not. */
export function loadExcel(): Promise<ExcelModule> {
  excelModule ??= import('exceljs').then(
    (mod) => (mod as ExcelModule & { default?: ExcelModule }).default ?? mod,
  )
  return excelModule
}

/**
 * Spreadsheet formula ("CSV injection") neutralisation, after the OWASP guidance: any text cell
 * that a spreadsheet could run as a formula gets a leading single quote, so Excel, WPS and
 * LibreOffice show it as text. Store names and notes come from files and people, so every
 * export (CSV and XLSX) passes its cells through here.
 */

/**
 * First characters that make a spreadsheet parse a cell as a formula or a DDE call.
 * Full-width forms are included: WPS and Excel with a Chinese IME normalise some of them.
 */
export const FORMULA_TRIGGERS: readonly string[] = [
  '=',
  '+',
  '-',
  '@',
  '\t',
  '\r',
  '\n',
  '＝',
  '＋',
  '－',
  '＠',
]

/** A plain decimal number written as text ("-5", "+3.5") is read as a number, never run. */
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/

export type CellValue = string | number | boolean | Date | null | undefined

/** True when a spreadsheet would treat this text as a formula (or something like one). */
export function isFormulaLike(text: string): boolean {
  if (text.length === 0) return false
  if (!FORMULA_TRIGGERS.includes(text.charAt(0))) return false
  return !PLAIN_NUMBER.test(text)
}

/** Prefix formula-like text with a single quote; leave other text unchanged. */
export function neutraliseText(text: string): string {
  return isFormulaLike(text) ? `'${text}` : text
}

/** Numbers, booleans, dates and empty cells pass unchanged: only text can carry a formula. */
export function neutraliseCell<T extends CellValue>(value: T): T {
  return (typeof value === 'string' ? neutraliseText(value) : value) as T
}

export function neutraliseRow<T extends CellValue>(row: readonly T[]): T[] {
  return row.map((v) => neutraliseCell(v))
}

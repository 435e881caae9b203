/**
 * CSV reading and writing. Reading keeps the physical line number of every record, so problems
 * can be reported as `file:line` even when quoted fields span several lines.
 */
import Papa from 'papaparse'
import { neutraliseCell, type CellValue } from './spreadsheet-safety'

export interface CsvRecord {
  /** 1-based physical line on which the record starts. */
  line: number
  cells: string[]
}

export interface CsvParseError {
  line: number
  code: string
  message: string
}

export interface CsvParseResult {
  records: CsvRecord[]
  errors: CsvParseError[]
  delimiter: string
  /** Parsing stopped at `maxRecords`. */
  truncated: boolean
  /** When truncated: the line of the first record left out. */
  truncatedAt?: number
}

const DELIMITERS = [',', '\t', ';'] as const

/** Pick the delimiter from the first line: the candidate that occurs most outside quotes. */
export function guessDelimiter(text: string): string {
  let end = text.indexOf('\n')
  if (end < 0) end = text.length
  const first = text.slice(0, Math.min(end, 64 * 1024)).replace(/"[^"]*"/g, '')
  let best: string = ','
  let bestCount = 0
  for (const d of DELIMITERS) {
    const count = first.split(d).length - 1
    if (count > bestCount) {
      best = d
      bestCount = count
    }
  }
  return best
}

/**
 * Parse CSV text (header row included, as record 1). Empty lines are skipped. Quoted fields,
 * embedded newlines and CRLF are handled by papaparse.
 */
export function parseCsv(
  text: string,
  options: { maxRecords?: number; delimiter?: string } = {},
): CsvParseResult {
  const delimiter = options.delimiter ?? guessDelimiter(text)
  const maxRecords = options.maxRecords ?? Number.POSITIVE_INFINITY
  const records: CsvRecord[] = []
  const errors: CsvParseError[] = []
  let truncated = false
  let truncatedAt: number | undefined
  // Line counting is incremental: `cursor` moves forward only, so the whole parse stays O(n).
  let line = 1
  let counted = 0
  let rowStart = 0
  const lineAt = (pos: number): number => {
    for (let i = counted; i < pos; i++) {
      const ch = text.charCodeAt(i)
      // LF, or a lone CR (old Mac line ends); CRLF counts once, at its LF.
      if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) line++
    }
    counted = Math.max(counted, pos)
    return line
  }

  Papa.parse<string[]>(text, {
    delimiter,
    header: false,
    skipEmptyLines: false,
    step: (result, parser) => {
      const start = rowStart
      rowStart = result.meta.cursor
      // papaparse's cursor sits just past the previous record's line break.
      const recordLine = lineAt(start)
      for (const err of result.errors) {
        errors.push({ line: recordLine, code: err.code, message: err.message })
      }
      const cells = result.data
      if (cells.length === 0 || (cells.length === 1 && cells[0] === '')) return
      if (records.length >= maxRecords) {
        truncated = true
        truncatedAt = recordLine
        parser.abort()
        return
      }
      records.push({ line: recordLine, cells })
    },
  })
  return {
    records,
    errors,
    delimiter,
    truncated,
    ...(truncatedAt !== undefined ? { truncatedAt } : {}),
  }
}

export interface ToCsvOptions {
  /** Prefix a UTF-8 byte-order mark: Excel then opens Chinese text correctly. Default true. */
  bom?: boolean
  /** Neutralise formula-like text cells (see spreadsheet-safety). Default true. */
  neutralise?: boolean
  /** Record separator; RFC 4180 says CRLF. */
  eol?: '\r\n' | '\n'
}

function formatCell(value: CellValue, neutralise: boolean): string {
  const v = neutralise ? neutraliseCell(value) : value
  let s: string
  if (v === null || v === undefined) s = ''
  else if (v instanceof Date) s = v.toISOString()
  else s = String(v)
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** RFC 4180 CSV text. Fields with a comma, quote, CR, LF or edge spaces are quoted. */
export function toCsvText(
  rows: readonly (readonly CellValue[])[],
  headers: readonly string[],
  options: ToCsvOptions = {},
): string {
  const neutralise = options.neutralise ?? true
  const eol = options.eol ?? '\r\n'
  const lines = [headers, ...rows].map((row) =>
    row.map((cell) => formatCell(cell, neutralise)).join(','),
  )
  return ((options.bom ?? true) ? '\uFEFF' : '') + lines.join(eol) + eol
}

/** CSV as UTF-8 bytes (BOM by default), ready for a download or a file. */
export function toCsv(
  rows: readonly (readonly CellValue[])[],
  headers: readonly string[],
  options: ToCsvOptions = {},
): Uint8Array {
  return new TextEncoder().encode(toCsvText(rows, headers, options))
}

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
  const plain = plainLines(text)
  if (plain) return splitPlain(text, plain, delimiter, maxRecords)
  return parseWithPapa(text, delimiter, maxRecords)
}

/** The general path (quotes, mixed line ends); exported so tests compare the fast path to it. */
export function parseWithPapa(
  text: string,
  delimiter: string,
  maxRecords = Number.POSITIVE_INFINITY,
): CsvParseResult {
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

/**
 * The line break of a file without quotes whose lines all end the same way (LF, or CRLF), or
 * null. Only such files take the fast path: there papaparse splits each line at the delimiter
 * and nothing else (its line-end guess is LF without a CR and CRLF when every CR is one), so
 * splitting here gives the same cells without one callback and result object per record.
 */
function plainLines(text: string): '\n' | '\r\n' | null {
  // papaparse drops a leading BOM (text-decode already has): leave that case to it.
  if (text.includes('"') || text.charCodeAt(0) === 0xfeff) return null
  const cr = text.indexOf('\r')
  if (cr < 0) return '\n'
  let crs = 0
  let crlfs = 0
  let lfs = 0
  for (let i = cr; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 13) {
      crs++
      if (text.charCodeAt(i + 1) === 10) crlfs++
    } else if (c === 10) lfs++
  }
  // Every CR before an LF, and no LF before the first CR either.
  return crs === crlfs && lfs === crlfs && !text.slice(0, cr).includes('\n') ? '\r\n' : null
}

function splitPlain(
  text: string,
  eol: string,
  delimiter: string,
  maxRecords: number,
): CsvParseResult {
  const records: CsvRecord[] = []
  let truncated = false
  let truncatedAt: number | undefined
  let start = 0
  for (let line = 1; start < text.length; line++) {
    let end = text.indexOf(eol, start)
    if (end < 0) end = text.length
    if (end > start) {
      if (records.length >= maxRecords) {
        truncated = true
        truncatedAt = line
        break
      }
      records.push({ line, cells: text.slice(start, end).split(delimiter) })
    }
    start = end + eol.length
  }
  return {
    records,
    errors: [],
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

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/

function formatCell(value: CellValue, neutralise: boolean): string {
  // Numbers and booleans never need quotes or neutralising (no comma, quote, space or sign
  // that a spreadsheet would run: a leading minus on a number is read as a number).
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (value === null || value === undefined) return ''
  const s = value instanceof Date ? value.toISOString() : neutralise ? neutraliseCell(value) : value
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** One CSV record (no line end). */
export function csvLine(row: readonly CellValue[], neutralise = true): string {
  let line = ''
  for (let i = 0; i < row.length; i++) {
    if (i > 0) line += ','
    line += formatCell(row[i], neutralise)
  }
  return line
}

/** RFC 4180 CSV text. Fields with a comma, quote, CR, LF or edge spaces are quoted. */
export function toCsvText(
  rows: Iterable<readonly CellValue[]>,
  headers: readonly string[],
  options: ToCsvOptions = {},
): string {
  const neutralise = options.neutralise ?? true
  const eol = options.eol ?? '\r\n'
  const lines: string[] = [csvLine(headers, neutralise)]
  for (const row of rows) lines.push(csvLine(row, neutralise))
  return ((options.bom ?? true) ? '\uFEFF' : '') + lines.join(eol) + eol
}

/** CSV as UTF-8 bytes (BOM by default), ready for a download or a file. */
export function toCsv(
  rows: Iterable<readonly CellValue[]>,
  headers: readonly string[],
  options: ToCsvOptions = {},
): Uint8Array {
  return new TextEncoder().encode(toCsvText(rows, headers, options))
}

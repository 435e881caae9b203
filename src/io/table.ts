/**
 * One reader for every tabular import (stores, scores): CSV in UTF-8/UTF-16/GBK or the first
 * sheet of an XLSX, chosen by content (zip signature) before extension, with size and row caps.
 * Whatever the input, the result is rows of strings with the line/row number a person would
 * look up in the file, or one whole-file problem. Never throws.
 */
import { decodeText, type TextEncodingName } from './text-decode'
import { parseCsv } from './csv'
import type { ZipLimits } from './bundle/zip-read'
import { looksLikeZip, XLSX_LIMITS, type ArchiveTooLarge } from './xlsx-sniff'
import { makeProblem, type ImportProblem } from './problems'

export interface TableRow {
  /** CSV: 1-based physical line. XLSX: 1-based sheet row. */
  row: number
  cells: string[]
  /** 0-based cells that held a formula (XLSX); their cached values are in `cells`. */
  formulas: readonly number[]
}

export type TableFormat = 'csv' | 'xlsx'

export interface TableLimits {
  /** Default 20 MB. */
  maxBytes?: number
  /** Data rows, header excluded. Default 100,000. */
  maxRows?: number
  /** What an XLSX may inflate to (see XLSX_LIMITS). */
  archive?: ZipLimits
}

/**
 * What reads the file for an import: `readTable` itself (Node, tests), or `readTableOffThread`
 * (table-off-thread.ts) in the browser, which runs it in a Web Worker.
 */
export type TableReader = (
  bytes: Uint8Array,
  fileName: string,
  limits: TableLimits,
) => Promise<ReadTableResult>

/** An import's options: the limits, and the reader (default `readTable`). */
export interface TableReadOptions extends TableLimits {
  reader?: TableReader
}

/** Reads with the options' reader, handing it only the limits (a worker gets plain data). */
export function readTableWith(
  bytes: Uint8Array,
  fileName: string,
  options: TableReadOptions,
): Promise<ReadTableResult> {
  const limits: TableLimits = {}
  if (options.maxBytes !== undefined) limits.maxBytes = options.maxBytes
  if (options.maxRows !== undefined) limits.maxRows = options.maxRows
  if (options.archive !== undefined) limits.archive = options.archive
  return (options.reader ?? readTable)(bytes, fileName, limits)
}

/** CSV holds no formulas: one shared, frozen empty list instead of one per row. */
const NO_FORMULAS: readonly number[] = Object.freeze([])

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024
export const DEFAULT_MAX_ROWS = 100_000

export type ReadTableResult =
  | {
      ok: true
      format: TableFormat
      encoding: TextEncodingName | null
      rows: TableRow[]
      problems: ImportProblem[]
    }
  | {
      ok: false
      format: TableFormat | null
      encoding: TextEncodingName | null
      problems: ImportProblem[]
    }

/** The OLE2 compound-file signature of old binary .xls workbooks. */
function looksLikeOle(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 &&
    bytes[0] === 0xd0 &&
    bytes[1] === 0xcf &&
    bytes[2] === 0x11 &&
    bytes[3] === 0xe0
  )
}

function extension(fileName: string): string {
  const dot = fileName.lastIndexOf('.')
  return dot < 0 ? '' : fileName.slice(dot + 1).toLowerCase()
}

export async function readTable(
  bytes: Uint8Array,
  fileName: string,
  limits: TableLimits = {},
): Promise<ReadTableResult> {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES
  const maxRows = limits.maxRows ?? DEFAULT_MAX_ROWS
  const fail = (
    format: TableFormat | null,
    encoding: TextEncodingName | null,
    problem: ImportProblem,
  ): ReadTableResult => ({ ok: false, format, encoding, problems: [problem] })

  if (bytes.length === 0) return fail(null, null, makeProblem(null, null, 'empty-file'))
  if (bytes.length > maxBytes)
    return fail(
      null,
      null,
      makeProblem(null, null, 'file-too-large', { size: bytes.length, max: maxBytes }),
    )
  const ext = extension(fileName)

  if (looksLikeZip(bytes)) {
    // +1: the header row is read too.
    // The workbook reader (zip, SheetJS) loads only for a workbook: a CSV import never needs it.
    const { readFirstSheet } = await import('./xlsx')
    const sheet = await readFirstSheet(bytes, {
      maxRows: maxRows + 1,
      archive: limits.archive ?? XLSX_LIMITS,
    })
    if (!sheet.ok && sheet.tooLarge) return fail('xlsx', null, archiveProblem(sheet.tooLarge))
    if (!sheet.ok)
      return fail(
        'xlsx',
        null,
        makeProblem(null, null, 'unreadable-file', { detail: sheet.detail }),
      )
    if (sheet.truncated)
      return fail('xlsx', null, makeProblem(null, null, 'too-many-rows', { max: maxRows }))
    return { ok: true, format: 'xlsx', encoding: null, rows: sheet.rows, problems: [] }
  }
  if (looksLikeOle(bytes)) {
    return fail(
      null,
      null,
      makeProblem(null, null, 'unreadable-file', {
        detail: 'old binary .xls format; save as .xlsx or CSV',
      }),
    )
  }
  if (ext === 'xlsx' || ext === 'xlsm') {
    return fail(
      'xlsx',
      null,
      makeProblem(null, null, 'unreadable-file', {
        detail: 'not a valid .xlsx file (no zip signature)',
      }),
    )
  }

  const decoded = decodeText(bytes)
  if (!decoded.ok)
    return fail(
      'csv',
      decoded.encoding,
      makeProblem(decoded.line ?? null, null, 'bad-encoding', { detail: decoded.detail }),
    )
  const parsed = parseCsv(decoded.text, { maxRecords: maxRows + 1 })
  if (parsed.truncated)
    return fail(
      'csv',
      decoded.encoding,
      // The line of the first row past the limit.
      makeProblem(parsed.truncatedAt ?? null, null, 'too-many-rows', {
        max: maxRows,
      }),
    )
  const problems = parsed.errors
    // papaparse only warns that it could not guess a delimiter; ours is chosen beforehand.
    .filter((e) => e.code !== 'UndetectableDelimiter')
    .map((e) => makeProblem(e.line, null, 'csv-syntax', { detail: e.message }))
  const rows: TableRow[] = []
  for (const r of parsed.records)
    if (hasText(r.cells)) rows.push({ row: r.line, cells: r.cells, formulas: NO_FORMULAS })
  return { ok: true, format: 'csv', encoding: decoded.encoding, rows, problems }
}

/** Whether any cell holds more than spaces (a loop: no callback per row of a large file). */
function hasText(cells: readonly string[]): boolean {
  for (const c of cells) if (c.trim() !== '') return true
  return false
}

const MB = 1024 * 1024
const mb = (n: number) => Math.ceil((n / MB) * 10) / 10

function archiveProblem(t: ArchiveTooLarge): ImportProblem {
  if (t.what === 'ratio')
    return makeProblem(null, null, 'archive-suspicious', {
      detail: `${t.part ?? '?'}: > ${t.limit}:1`,
    })
  if (t.what === 'entries')
    return makeProblem(null, null, 'archive-suspicious', { detail: `${t.declared} > ${t.limit}` })
  return makeProblem(null, null, 'archive-too-large', {
    part: t.part ?? '*',
    declared: mb(t.declared),
    limit: mb(t.limit),
  })
}

/** Header text reduced to a comparable key: full-width folded, case, spaces, marks and notes removed. */
export function headerKey(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\(.*?\)|\[.*?\]|【.*?】/g, '')
    .replace(/[\s_\-*:.#]/g, '')
    .toLowerCase()
}

export interface HeaderMatch<F extends string> {
  /** Column index of each recognised field. */
  index: Partial<Record<F, number>>
  /** Original header text of each recognised field. */
  label: Partial<Record<F, string>>
  /** Fields that matched more than one column. */
  duplicates: { field: F; column: string }[]
}

export function matchHeaders<F extends string>(
  cells: readonly string[],
  aliases: Readonly<Record<F, readonly string[]>>,
): HeaderMatch<F> {
  const lookup = new Map<string, F>()
  for (const field of Object.keys(aliases) as F[]) {
    for (const alias of aliases[field]) lookup.set(headerKey(alias), field)
  }
  const index: Partial<Record<F, number>> = {}
  const label: Partial<Record<F, string>> = {}
  const duplicates: { field: F; column: string }[] = []
  cells.forEach((cell, i) => {
    const field = lookup.get(headerKey(cell))
    if (field === undefined) return
    if (index[field] !== undefined) duplicates.push({ field, column: cell.trim() })
    else {
      index[field] = i
      label[field] = cell.trim()
    }
  })
  return { index, label, duplicates }
}

/**
 * The header row: the first of the first ten rows that names at least two known fields
 * (offices often put a title line above the table); else the first row.
 */
export function findHeaderRow<F extends string>(
  rows: readonly TableRow[],
  aliases: Readonly<Record<F, readonly string[]>>,
): number {
  for (let i = 0; i < Math.min(10, rows.length); i++) {
    if (Object.keys(matchHeaders(rows[i]!.cells, aliases).index).length >= 2) return i
  }
  return 0
}

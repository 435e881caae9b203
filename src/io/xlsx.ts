/**
 * XLSX reading and writing through SheetJS Community Edition (`@e965/xlsx`, the maintained
 * republish of SheetJS CE 0.20.x; the npm `xlsx` package is frozen at 0.18.5 with known CVEs).
 * SheetJS is large (~900 kB), so it is only ever loaded with a dynamic import: it stays out of
 * the app's first-load bundle and is fetched when the user imports or exports a workbook.
 *
 * Writing: several sheets of plain values only (strings, numbers, booleans, dates), never
 * formulas. Text is handed to SheetJS as an explicit shared-string cell `{t:'s'}`, which a
 * spreadsheet shows as text whatever it starts with, so XLSX text is written as it is (a store
 * called "-2+3" stays "-2+3"); `neutralise: true` adds the CSV's leading apostrophe anyway.
 * Dates are real date cells (a serial with a date format) in the local time of the machine that
 * exports, as the people reading the file live. Every sheet gets an auto filter over its table
 * and a frozen header row. SheetJS CE writes filters but not panes (its sheetView carries only
 * right-to-left; panes are a Pro feature), so the workbook is written uncompressed and re-zipped
 * with fflate, putting the frozen pane into each sheet's sheetView on the way: one deflate, as
 * before. exceljs would write panes itself, but took ~2.8 s of CPU for 20,000 stores (see git
 * history); the bench's XLSX figure covers this path. Column widths go through `!cols`.
 *
 * Reading: the first worksheet as rows of text. Formula cells are flagged and give the value
 * Excel cached when the file was saved; nothing is ever evaluated. SheetJS turns a CRLF inside
 * a cell into LF.
 */
import type { CellObject, WorkBook, WorkSheet } from '@e965/xlsx'
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate'
import { BundleRefused } from './bundle/format'
import { bytesSource, readDirectory, readEntry, type ZipLimits } from './bundle/zip-read'
import { neutraliseCell, type CellValue } from './spreadsheet-safety'
import { looksLikeZip, XLSX_LIMITS, type ArchiveTooLarge } from './xlsx-sniff'

export { looksLikeZip, XLSX_LIMITS, type ArchiveTooLarge } from './xlsx-sniff'

type SheetJS = typeof import('@e965/xlsx')

let sheetJs: Promise<SheetJS> | null = null

/** The library, fetched once per session. */
function loadSheetJS(): Promise<SheetJS> {
  sheetJs ??= import('@e965/xlsx')
  return sheetJs
}

function dateText(d: Date): string {
  if (Number.isNaN(d.getTime())) return ''
  const iso = d.toISOString()
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface SheetRow {
  /** 1-based row number as Excel shows it. */
  row: number
  cells: string[]
  /** 0-based indexes of cells that held a formula; `cells` has its cached result instead. */
  formulas: number[]
}

export type ReadSheetResult =
  | { ok: true; sheetName: string; rows: SheetRow[]; truncated: boolean }
  | { ok: false; detail: string; tooLarge?: ArchiveTooLarge }

/** Below this, a workbook's whole inflated size is small enough not to judge its ratio. */
const WHOLE_RATIO_FLOOR = 4 * 1024 * 1024

/**
 * Checks the zip under a workbook: every declared size against the limits first (nothing
 * inflated), then every part inflated with a cut-off at its declared size, so a header that lies
 * cannot smuggle a bomb past the directory check. SheetJS inflates the same bytes afterwards, so
 * it never holds more than the limits allow. Returns the refusal, or null when the zip is fine;
 * damage (truncation, unsupported zip features) is left to SheetJS's own message.
 */
export async function archiveTooLarge(
  bytes: Uint8Array,
  limits: ZipLimits = XLSX_LIMITS,
): Promise<ArchiveTooLarge | null> {
  return (await checkArchive(bytes, limits)).tooLarge ?? null
}

/**
 * The same check, also saying when a part is damaged (its deflate stream breaks, or inflates to
 * another size than declared) or its directory cannot be read (a cut-off file): such a workbook
 * is refused before SheetJS sees it, which can spend minutes on a damaged zip.
 */
async function checkArchive(
  bytes: Uint8Array,
  limits: ZipLimits,
): Promise<{ tooLarge?: ArchiveTooLarge; damaged?: string }> {
  const src = bytesSource(bytes)
  let entries
  try {
    entries = await readDirectory(src, limits)
  } catch (e) {
    const tooLarge = tooLargeOf(e)
    if (tooLarge) return { tooLarge }
    // No readable directory (a cut-off file): SheetJS would hunt through the bytes for minutes.
    if (e instanceof BundleRefused) return { damaged: `damaged zip (${e.error.code})` }
    return {}
  }
  // The directory checks each part's ratio only above 1 MB: many smaller parts, each deflated
  // ~1000x, would pass one by one. Their sum against the whole file catches them.
  const declared = entries.reduce((sum, e) => sum + e.size, 0)
  if (declared > WHOLE_RATIO_FLOOR && declared / Math.max(1, bytes.byteLength) > limits.maxRatio)
    return { tooLarge: { what: 'ratio', part: '*', declared, limit: limits.maxRatio } }
  try {
    for (const entry of entries) await readEntry(src, entry)
    return {}
  } catch (e) {
    const tooLarge = tooLargeOf(e)
    if (tooLarge) return { tooLarge }
    if (e instanceof BundleRefused && e.error.code === 'truncated')
      return { damaged: `damaged part ${String(e.error.params.at ?? '')}` }
    return {}
  }
}

function tooLargeOf(e: unknown): ArchiveTooLarge | null {
  if (!(e instanceof BundleRefused) || e.error.code !== 'too-large') return null
  const p = e.error.params
  const what = p.what === 'part' || p.what === 'ratio' || p.what === 'entries' ? p.what : 'total'
  return {
    what,
    ...(typeof p.part === 'string' ? { part: p.part } : {}),
    declared: Number(p.declared),
    limit: Number(p.limit),
  }
}

/** Cell to plain text. Dates are stored as serial numbers with a date format: shown as ISO. */
function cellText(XLSX: SheetJS, cell: CellObject): string {
  switch (cell.t) {
    case 's':
      return typeof cell.v === 'string' ? cell.v : String(cell.v ?? '')
    case 'b':
      return cell.v ? 'TRUE' : 'FALSE'
    case 'e':
      return cell.w ?? '#ERROR'
    case 'd':
      return cell.v instanceof Date ? dateText(cell.v) : String(cell.v ?? '')
    case 'n': {
      const v = cell.v
      if (typeof v !== 'number' || !Number.isFinite(v)) return ''
      if (typeof cell.z === 'string' && XLSX.SSF.is_date(cell.z)) {
        // Excel serials have no time zone: read them as UTC, as exceljs did.
        const p = XLSX.SSF.parse_date_code(v)
        if (p) return dateText(new Date(Date.UTC(p.y, p.m - 1, p.d, p.H, p.M, Math.floor(p.S))))
      }
      return String(v)
    }
    default:
      return ''
  }
}

/** Read the first worksheet as rows of strings. Empty rows are skipped. Never throws. */
export async function readFirstSheet(
  bytes: Uint8Array,
  options: { maxRows?: number; archive?: ZipLimits } = {},
): Promise<ReadSheetResult> {
  const maxRows = options.maxRows ?? Number.POSITIVE_INFINITY
  // SheetJS reads almost anything (CSV, HTML, SYLK…) when it is not a zip; here only XLSX counts.
  if (!looksLikeZip(bytes)) return { ok: false, detail: 'not a zip (XLSX) file' }
  const checked = await checkArchive(bytes, options.archive ?? XLSX_LIMITS)
  const tooLarge = checked.tooLarge
  if (tooLarge) return { ok: false, detail: `inflates past its limit (${tooLarge.what})`, tooLarge }
  if (checked.damaged !== undefined) return { ok: false, detail: checked.damaged }
  let XLSX: SheetJS
  let workbook: WorkBook
  try {
    XLSX = await loadSheetJS()
    workbook = XLSX.read(bytes, {
      type: 'array',
      dense: true,
      sheets: 0,
      cellFormula: true,
      cellNF: true,
      cellHTML: false,
      cellStyles: false,
      bookVBA: false,
    })
  } catch (e) {
    return { ok: false, detail: e instanceof Error ? e.message : String(e) }
  }
  const sheetName = workbook.SheetNames[0]
  const sheet: WorkSheet | undefined =
    sheetName === undefined ? undefined : workbook.Sheets[sheetName]
  if (sheetName === undefined || !sheet)
    return { ok: false, detail: 'the workbook has no worksheet' }
  const rows: SheetRow[] = []
  let truncated = false
  try {
    // Dense mode: `!data[r][c]`, both 0-based from A1.
    const data = (sheet['!data'] ?? []) as ((CellObject | null | undefined)[] | undefined)[]
    for (let r = 0; r < data.length; r++) {
      const line = data[r]
      if (!line) continue
      const cells: string[] = []
      const formulas: number[] = []
      let last = -1
      for (let c = 0; c < line.length; c++) {
        const cell = line[c]
        if (!cell) {
          cells.push('')
          continue
        }
        cells.push(cellText(XLSX, cell))
        if (typeof cell.f === 'string') formulas.push(c)
        last = c
      }
      cells.length = last + 1
      if (!cells.some((t) => t !== '')) continue
      if (rows.length >= maxRows) {
        truncated = true
        break
      }
      rows.push({ row: r + 1, cells, formulas })
    }
  } catch (e) {
    return { ok: false, detail: e instanceof Error ? e.message : String(e) }
  }
  return { ok: true, sheetName, rows, truncated }
}

// ---------------------------------------------------------------------------------------------
// Writing

export interface SheetSpec {
  name: string
  headers: readonly string[]
  rows: readonly (readonly CellValue[])[]
  /** Column widths in characters; default from the header length. */
  widths?: readonly number[]
}

export interface WriteWorkbookOptions {
  /** Stamped as the workbook's created and modified dates. */
  created?: Date
  creator?: string
  /**
   * Prefix formula-like text with an apostrophe (see spreadsheet-safety). Default false: a
   * string cell is never run as a formula, and the apostrophe would change legitimate names.
   */
  neutralise?: boolean
}

/** The number format of date cells: ISO-like, unambiguous in both languages. */
export const DATE_FORMAT = 'yyyy-mm-dd hh:mm:ss'

/**
 * A date as an Excel serial (days since 1899-12-30) of its local wall-clock time: Excel dates
 * have no time zone, and the reader expects the time the office saw.
 */
export function localSerial(d: Date): number {
  const wall = Date.UTC(
    d.getFullYear(),
    d.getMonth(),
    d.getDate(),
    d.getHours(),
    d.getMinutes(),
    d.getSeconds(),
    d.getMilliseconds(),
  )
  return (wall - Date.UTC(1899, 11, 30)) / 86_400_000
}

/** Excel refuses sheet names over 31 characters or with any of : \ / ? * [ ]. */
export function safeSheetName(name: string, taken: ReadonlySet<string> = new Set()): string {
  const base =
    name
      .replace(/[:\\/?*[\]]/g, '_')
      .replace(/^'+|'+$/g, '')
      .slice(0, 31) || 'Sheet'
  let candidate = base
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) {
    candidate = `${base.slice(0, 31 - String(n).length - 1)}_${n}`
  }
  return candidate
}

// Characters XML 1.0 cannot carry. SheetJS writes controls as `_x0007_` escapes (shown as such
// by some readers) and lone surrogates as U+FFFD; dropping them keeps the cell readable.
const XML_INVALID =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** One value as an explicit SheetJS cell, or null for an empty cell. */
function cellObject(value: CellValue, neutralise: boolean): CellObject | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'number') return Number.isFinite(value) ? { t: 'n', v: value } : null
  if (typeof value === 'boolean') return { t: 'b', v: value }
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? null : { t: 'n', v: localSerial(value), z: DATE_FORMAT }
  const text = (neutralise ? neutraliseCell(value) : value)
    .replace(XML_INVALID, '')
    // ECMA-376 reads `_xHHHH_` as an escaped character; SheetJS does not escape such literal
    // text, so "_x0041_" would come back as "A" (in Excel too). `_x005F_` is the escaped "_".
    .replace(/_(x[0-9A-Fa-f]{4}_)/g, '_x005F_$1')
  // `t: 's'` with no `f`: SheetJS writes it as a string, never as a formula, whatever it starts with.
  return text === '' ? null : { t: 's', v: text }
}

function worksheet(XLSX: SheetJS, spec: SheetSpec, neutralise: boolean): WorkSheet {
  const aoa: (CellObject | null)[][] = [spec.headers.map((h) => cellObject(h, neutralise))]
  for (const row of spec.rows) aoa.push(row.map((v) => cellObject(v, neutralise)))
  const ws = XLSX.utils.aoa_to_sheet(aoa, { dense: true })
  ws['!cols'] = spec.headers.map((h, i) => ({
    wch: spec.widths?.[i] ?? Math.max(10, Math.min(40, h.length * 2 + 2)),
  }))
  if (spec.headers.length > 0)
    ws['!autofilter'] = {
      ref: XLSX.utils.encode_range({
        s: { r: 0, c: 0 },
        e: { r: spec.rows.length, c: spec.headers.length - 1 },
      }),
    }
  return ws
}

/** SheetJS's sheetView (with or without its right-to-left flag), to carry the frozen pane. */
const SHEET_VIEW = /<sheetView( [^>]*?)?\/>/
const FROZEN_HEADER =
  '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
  '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'

/** Re-zips SheetJS's uncompressed workbook, freezing the first row of every worksheet. */
function freezeHeaders(stored: Uint8Array, mtime: Date): Uint8Array {
  const files = unzipSync(stored)
  const out: Zippable = {}
  for (const [name, data] of Object.entries(files)) {
    if (/^xl\/worksheets\/sheet\d+\.xml$/.test(name)) {
      const xml = strFromU8(data)
      const m = SHEET_VIEW.exec(xml)
      out[name] = m
        ? strToU8(
            xml.slice(0, m.index) +
              `<sheetView${m[1] ?? ''}>${FROZEN_HEADER}</sheetView>` +
              xml.slice(m.index + m[0].length),
          )
        : data
    } else out[name] = data
  }
  return zipSync(out, { level: 6, mtime })
}

/**
 * Write a workbook with one worksheet per spec, as XLSX bytes. Cells are plain values, never
 * formulas; text is neutralised against formula injection unless `neutralise: false`.
 */
export async function writeWorkbook(
  sheets: readonly SheetSpec[],
  options: WriteWorkbookOptions = {},
): Promise<Uint8Array> {
  const XLSX = await loadSheetJS()
  const neutralise = options.neutralise ?? false
  const created = options.created ?? new Date()
  const wb = XLSX.utils.book_new()
  wb.Props = {
    Author: options.creator ?? 'store-service-eval',
    CreatedDate: created,
    ModifiedDate: created,
  }
  // Excel wants at least one sheet.
  const list = sheets.length > 0 ? sheets : [{ name: 'Sheet1', headers: [], rows: [] }]
  const taken = new Set<string>()
  for (const spec of list) {
    const name = safeSheetName(spec.name, taken)
    taken.add(name.toLowerCase())
    XLSX.utils.book_append_sheet(wb, worksheet(XLSX, spec, neutralise), name)
  }
  const out = XLSX.write(wb, {
    type: 'array',
    bookType: 'xlsx',
    // Stored, not deflated: freezeHeaders re-zips with fflate (files about half the size
    // SheetJS's own deflate makes).
    compression: false,
    // Shared strings, as Excel writes them: the inline alternative is typed `str`, which OOXML
    // means for a formula's string result.
    bookSST: true,
  }) as ArrayBuffer
  return freezeHeaders(new Uint8Array(out), created)
}

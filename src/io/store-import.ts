/**
 * Store register import from CSV (UTF-8/GBK) or XLSX, Chinese or English headers.
 * All-or-nothing: with any problem, `stores` is empty and the caller writes nothing; the
 * problems, by row and column, go to the preview screen.
 */
import { STORE_FIELD_MAX } from '../domain/store-form'
import type { Store, StoreLevel, StoreType } from '../domain/types'
import type { TextEncodingName } from './text-decode'
import { memoText } from './memo'
import { cleanText, hasInvisible } from '../domain/text-clean'
import { isStoreCode, normalizeStoreCode, storeCodeKey } from '../domain/store-code'
import { isFormulaLike } from './spreadsheet-safety'
import {
  storeChanges,
  updatedStore,
  type StoreChangeField,
  type StoreFieldChange,
} from '../domain/store-register'
import { makeProblem, makeWarning, type ImportProblem, type ImportWarning } from './problems'
import {
  findHeaderRow,
  matchHeaders,
  readTableWith,
  type TableFormat,
  type TableReadOptions,
  type TableRow,
} from './table'

export type StoreField =
  'code' | 'name' | 'province' | 'city' | 'district' | 'level' | 'type' | 'address' | 'openingHours'

export const STORE_FIELDS: readonly StoreField[] = [
  'code',
  'name',
  'province',
  'city',
  'district',
  'level',
  'type',
  'address',
  'openingHours',
]
export const REQUIRED_STORE_FIELDS: readonly StoreField[] = [
  'code',
  'name',
  'province',
  'city',
  'level',
  'type',
]

/** Accepted headers per field; compared after `headerKey` (case, spaces, full-width folded). */
export const STORE_HEADER_ALIASES: Readonly<Record<StoreField, readonly string[]>> = {
  code: [
    'code',
    'store code',
    'store_code',
    'id',
    '代码',
    '编码',
    '编号',
    '营业厅编码',
    '营业厅代码',
    '营业厅编号',
    '门店编码',
    '厅编码',
  ],
  name: ['name', 'store name', 'store_name', '名称', '营业厅名称', '门店名称', '厅名称', '厅名'],
  province: ['province', '省', '省份', '省公司', '所属省份'],
  city: ['city', '市', '地市', '城市', '市公司', '所属地市'],
  district: ['district', 'county', '区县', '区/县', '区', '县'],
  level: ['level', 'store level', '等级', '级别', '营业厅等级', '营业厅级别', '厅级别'],
  type: ['type', 'store type', '类型', '营业厅类型', '厅类型', '渠道类型'],
  address: ['address', '地址', '营业厅地址', '详细地址'],
  openingHours: ['opening hours', 'openinghours', 'opening_hours', 'hours', '营业时间'],
}

const CHINESE_DIGITS: Record<string, StoreLevel> = { 一: 1, 二: 2, 三: 3, 四: 4 }

/** `1`, `1级`, `一级`, `1 级`, `L1`, `level 1`, `１级` → 1; anything else → null. */
export const parseStoreLevel = memoText(function parseStoreLevel(raw: string): StoreLevel | null {
  const s = raw.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, '')
  const m = /^(?:level|l|lv)?([1-4一二三四])(?:\.0+)?(?:级|级厅|星)?$/.exec(s)
  if (!m) return null
  const d = m[1]!
  return CHINESE_DIGITS[d] ?? (Number(d) as StoreLevel)
})

const TYPE_WORDS: Record<string, StoreType> = {
  self: 'self',
  selfoperated: 'self',
  own: 'self',
  自营: 'self',
  自营厅: 'self',
  自有: 'self',
  自有厅: 'self',
  partner: 'partner',
  cooperation: 'partner',
  合作: 'partner',
  合作厅: 'partner',
  社会合作: 'partner',
  社会合作厅: 'partner',
  社会渠道: 'partner',
}

/** 自营/自营厅/self → self; 社会合作厅/合作/partner → partner; anything else → null. */
export const parseStoreType = memoText(function parseStoreType(raw: string): StoreType | null {
  const s = raw
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '')
  return TYPE_WORDS[s] ?? null
})

export interface StoreImportRow {
  row: number
  /** Cleaned text per recognised column. */
  values: Partial<Record<StoreField, string>>
  /** The parsed store, when this row had no problem (for an update: the store as it will be). */
  store: Store | null
  /**
   * With `existingStores`: `new`, `same` (nothing to write) or the changes to a registered
   * store. Absent on a row with a problem.
   */
  change?: 'new' | 'same' | StoreFieldChange[]
}

/** A registered store a file changes, for the preview (old → new per field). */
export interface StoreUpdate {
  row: number
  code: string
  changes: StoreFieldChange[]
}

export interface StoreImportResult {
  format: TableFormat | null
  encoding: TextEncodingName | null
  /** Header labels as written in the file, for the preview table. */
  columns: Partial<Record<StoreField, string>>
  rows: StoreImportRow[]
  /**
   * What to write, new and updated stores (unchanged ones are not rewritten). Empty unless
   * `problems` is empty (all-or-nothing).
   */
  stores: Store[]
  /** With `existingStores`: registered stores the file changes, in file order. */
  updates: StoreUpdate[]
  /** How many rows are new stores, changes to registered ones, and registered ones unchanged. */
  counts: { added: number; updated: number; unchanged: number }
  problems: ImportProblem[]
  /** Cleaned, not refused: formula cells replaced by their value, control characters removed. */
  warnings: ImportWarning[]
  /** The problem list stopped at `maxProblems`. */
  truncated: boolean
  /** How many problems the file has, counting those past the cut (not the cut's own line). */
  problemCount: number
}

export interface StoreImportOptions extends TableReadOptions {
  /** Codes already in the register: reported as `existing-code` when given. */
  existingCodes?: Iterable<string>
  /**
   * The register, for a refresh: a row whose code is registered (compared by `storeCodeKey`)
   * updates that store instead of being refused. Takes the place of `existingCodes`.
   */
  existingStores?: Iterable<Store>
  /** Default 1,000. */
  maxProblems?: number
}

export async function parseStoreFile(
  bytes: Uint8Array,
  fileName: string,
  options: StoreImportOptions = {},
): Promise<StoreImportResult> {
  const table = await readTableWith(bytes, fileName, options)
  const empty = {
    columns: {},
    rows: [],
    stores: [],
    updates: [],
    counts: { added: 0, updated: 0, unchanged: 0 },
    warnings: [],
    truncated: false,
  }
  if (!table.ok)
    return {
      ...empty,
      format: table.format,
      encoding: table.encoding,
      problems: table.problems,
      problemCount: table.problems.length,
    }
  return {
    format: table.format,
    encoding: table.encoding,
    ...parseStoreRows(table.rows, options, table.problems),
  }
}

/** The format-independent part: header matching, per-row validation. Exported for tests. */
export function parseStoreRows(
  tableRows: readonly TableRow[],
  options: Pick<StoreImportOptions, 'existingCodes' | 'existingStores' | 'maxProblems'> = {},
  initialProblems: ImportProblem[] = [],
): Omit<StoreImportResult, 'format' | 'encoding'> {
  const maxProblems = options.maxProblems ?? 1000
  const problems: ImportProblem[] = [...initialProblems]
  const warnings: ImportWarning[] = []
  let truncated = false
  let problemCount = problems.length
  const report = (p: ImportProblem): void => {
    problemCount++
    if (problems.length < maxProblems) problems.push(p)
    else truncated = true
  }
  const done = (columns: Partial<Record<StoreField, string>>, rows: StoreImportRow[]) => {
    if (truncated) problems.push(makeProblem(null, null, 'too-many-problems', { max: maxProblems }))
    const ok = problems.length === 0
    const stores = ok
      ? rows.filter((r) => r.store !== null && r.change !== 'same').map((r) => r.store!)
      : []
    const updates: StoreUpdate[] = []
    const counts = { added: 0, updated: 0, unchanged: 0 }
    for (const r of rows) {
      if (r.change === undefined) continue
      if (r.change === 'new') counts.added++
      else if (r.change === 'same') counts.unchanged++
      else {
        counts.updated++
        updates.push({ row: r.row, code: r.store!.code, changes: r.change })
      }
    }
    return {
      columns,
      rows,
      stores,
      updates,
      counts,
      problems,
      warnings: warnings.slice(0, maxProblems),
      truncated,
      problemCount,
    }
  }

  if (tableRows.length === 0) {
    report(makeProblem(null, null, 'empty-file'))
    return done({}, [])
  }
  const headerAt = findHeaderRow(tableRows, STORE_HEADER_ALIASES)
  const header = tableRows[headerAt]!
  const match = matchHeaders(header.cells, STORE_HEADER_ALIASES)
  for (const d of match.duplicates)
    report(makeProblem(header.row, d.column, 'duplicate-column', { field: d.field }))
  for (const field of REQUIRED_STORE_FIELDS) {
    if (match.index[field] === undefined)
      report(makeProblem(header.row, null, 'missing-column', { field }))
  }
  const dataRows = tableRows.slice(headerAt + 1)
  // Header only: the header's line is where the data should have started.
  if (dataRows.length === 0) report(makeProblem(header.row, null, 'empty-file'))
  // Without the required columns every row would repeat the same problem: stop here.
  if (problems.length > 0) return done(match.label, [])

  const existing = new Map([...(options.existingCodes ?? [])].map((c) => [storeCodeKey(c), c]))
  const registered = options.existingStores
    ? new Map([...options.existingStores].map((s) => [storeCodeKey(s.code), s]))
    : null
  const columnSet = new Set(
    STORE_FIELDS.filter((f) => match.index[f] !== undefined) as StoreChangeField[],
  )
  const firstRowOfCode = new Map<string, number>()
  const rows: StoreImportRow[] = []
  const fields = STORE_FIELDS.filter((f) => match.index[f] !== undefined)
  const formulaWarned = new Set<number>()

  for (const tableRow of dataRows) {
    const values: Partial<Record<StoreField, string>> = {}
    let rowOk = true
    const col = (field: StoreField): string => match.label[field] ?? field
    const fail = (
      field: StoreField | null,
      code: Parameters<typeof makeProblem>[2],
      params: Record<string, string | number> = {},
    ): void => {
      rowOk = false
      report(makeProblem(tableRow.row, field ? col(field) : null, code, params))
    }

    for (const field of fields) {
      const i = match.index[field]!
      const raw = tableRow.cells[i] ?? ''
      // Most cells hold nothing invisible: trimmed, without a result object per cell.
      const cleaned = hasInvisible(raw) ? cleanText(raw) : null
      const changed = cleaned !== null && cleaned.changed
      const clean = cleaned === null ? raw.trim() : cleaned.text
      // Our own exports quote formula-like text ('=…); read it back as the text it was.
      const text = clean.startsWith("'") && isFormulaLike(clean.slice(1)) ? clean.slice(1) : clean
      if (changed) warnings.push(makeWarning(tableRow.row, col(field), 'control-chars-removed'))
      if (tableRow.formulas.includes(i) && !formulaWarned.has(tableRow.row)) {
        formulaWarned.add(tableRow.row)
        warnings.push(makeWarning(tableRow.row, col(field), 'formula-replaced'))
      }
      if (text.length > STORE_FIELD_MAX[field]) {
        fail(field, 'value-too-long', { field, length: text.length, max: STORE_FIELD_MAX[field] })
        // Keep the preview small when someone pastes a megabyte into one cell.
        values[field] = `${text.slice(0, 50)}…`
      } else values[field] = text
    }

    let extra = false
    for (let i = header.cells.length; i < tableRow.cells.length && !extra; i++)
      extra = (tableRow.cells[i] as string).trim() !== ''
    if (extra) {
      warnings.push(makeWarning(tableRow.row, null, 'extra-cells'))
    }

    const code = normalizeStoreCode(values.code ?? '')
    if (values.code !== undefined && values.code !== code) values.code = code
    if (code === '') fail('code', 'missing-code')
    else if (rowOk && !isStoreCode(code)) fail('code', 'code-format', { value: code })
    else if (rowOk) {
      // Codes differing only in case or width are one store (storeCodeKey).
      const key = storeCodeKey(code)
      const first = firstRowOfCode.get(key)
      if (first !== undefined) fail('code', 'duplicate-code', { value: code, firstRow: first })
      else {
        firstRowOfCode.set(key, tableRow.row)
        const had = registered ? undefined : existing.get(key)
        if (had !== undefined) fail('code', 'existing-code', { value: had })
      }
    }
    for (const field of ['name', 'province', 'city'] as const) {
      if ((values[field] ?? '') === '') fail(field, 'missing-value', { field })
    }
    const level = parseStoreLevel(values.level ?? '')
    if (level === null)
      fail('level', values.level ? 'unknown-level' : 'missing-value', {
        field: 'level',
        value: values.level ?? '',
      })
    const type = parseStoreType(values.type ?? '')
    if (type === null)
      fail('type', values.type ? 'unknown-type' : 'missing-value', {
        field: 'type',
        value: values.type ?? '',
      })

    let store: Store | null = null
    if (rowOk && level !== null && type !== null) {
      store = {
        code,
        name: values.name!,
        province: values.province!,
        city: values.city!,
        level,
        type,
      }
      if (values.district) store.district = values.district
      if (values.address) store.address = values.address
      if (values.openingHours) store.openingHours = values.openingHours
    }
    const before = store && registered?.get(storeCodeKey(code))
    if (store && before) {
      store = updatedStore(before, store, columnSet)
      const changes = storeChanges(before, store)
      rows.push({ row: tableRow.row, values, store, change: changes.length ? changes : 'same' })
    } else if (store && registered) rows.push({ row: tableRow.row, values, store, change: 'new' })
    else rows.push({ row: tableRow.row, values, store })
  }
  return done(match.label, rows)
}

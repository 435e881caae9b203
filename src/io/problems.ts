/**
 * Problems found in imported files. Each has a stable `code` and `params`, so the UI can
 * translate it; `problemMessage` gives the default Chinese or English wording (also used by the
 * CLI and in tests).
 */
import type { Locale } from '../domain/types'

export type ProblemCode =
  | 'empty-file'
  | 'file-too-large'
  | 'too-many-rows'
  | 'bad-encoding'
  | 'unreadable-file'
  | 'archive-too-large'
  | 'archive-suspicious'
  | 'csv-syntax'
  | 'missing-column'
  | 'duplicate-column'
  | 'missing-value'
  | 'missing-code'
  | 'duplicate-code'
  | 'existing-code'
  | 'unknown-level'
  | 'unknown-type'
  | 'value-too-long'
  | 'too-many-problems'
  // Scores files (CLI)
  | 'unknown-store'
  | 'duplicate-row'
  | 'bad-score'
  | 'score-out-of-range'
  | 'unknown-reviewer'
  | 'bad-period'
  | 'mixed-periods'

/** Things that were cleaned rather than refused; they never block an import. */
export type WarningCode = 'formula-replaced' | 'control-chars-removed' | 'extra-cells'

export type Params = Record<string, string | number>

export interface ImportProblem {
  /** 1-based line (CSV) or row (XLSX) in the file; null for whole-file problems. */
  row: number | null
  /** Column header as written in the file; null when not about one column. */
  column: string | null
  code: ProblemCode
  params: Params
  /** Default wording in English; use `problemMessage` for Chinese. */
  message: string
}

export interface ImportWarning {
  row: number | null
  column: string | null
  code: WarningCode
  params: Params
  message: string
}

type Templates = Record<ProblemCode | WarningCode, { zh: string; en: string }>

const TEMPLATES: Templates = {
  'empty-file': { zh: '文件为空或没有数据行', en: 'The file is empty or has no data rows' },
  'file-too-large': {
    zh: '文件过大({size} 字节,上限 {max} 字节)',
    en: 'The file is too large ({size} bytes; the limit is {max})',
  },
  'too-many-rows': { zh: '数据行过多(上限 {max} 行)', en: 'Too many rows (the limit is {max})' },
  'bad-encoding': {
    zh: '无法识别文件编码,请另存为 UTF-8 或 GBK 的 CSV,或 XLSX({detail})',
    en: 'Unreadable text encoding; save as UTF-8 or GBK CSV, or XLSX ({detail})',
  },
  'unreadable-file': { zh: '无法读取该文件({detail})', en: 'The file cannot be read ({detail})' },
  'archive-too-large': {
    zh: '表格文件解压后过大（{part}：{declared} MB，上限 {limit} MB），未读取；请另存为 CSV 或拆分后再导入',
    en: 'The workbook inflates too far ({part}: {declared} MB; the limit is {limit} MB) and was not read; save it as CSV or split it',
  },
  'archive-suspicious': {
    zh: '表格文件结构异常（{detail}），可能是压缩炸弹，未读取',
    en: 'The workbook looks like a zip bomb ({detail}) and was not read',
  },
  'csv-syntax': { zh: 'CSV 格式错误:{detail}', en: 'CSV syntax error: {detail}' },
  'missing-column': { zh: '缺少必需的列“{field}”', en: 'Required column "{field}" is missing' },
  'duplicate-column': { zh: '列“{field}”出现了两次', en: 'Column "{field}" appears twice' },
  'missing-value': { zh: '“{field}”为空', en: '"{field}" is empty' },
  'missing-code': { zh: '缺少营业厅编码', en: 'Store code is missing' },
  'duplicate-code': {
    zh: '编码 {value} 重复(第 {firstRow} 行已出现)',
    en: 'Duplicate code {value} (already on row {firstRow})',
  },
  'existing-code': { zh: '编码 {value} 已存在于系统中', en: 'Code {value} already exists' },
  'unknown-level': {
    zh: '无法识别的等级“{value}”(应为 1–4 级)',
    en: 'Unknown level "{value}" (expected 1 to 4)',
  },
  'unknown-type': {
    zh: '无法识别的类型“{value}”(应为 自营厅 或 社会合作厅)',
    en: 'Unknown type "{value}" (expected self or partner)',
  },
  'value-too-long': {
    zh: '“{field}”过长({length} 字符,上限 {max})',
    en: '"{field}" is too long ({length} characters; the limit is {max})',
  },
  'too-many-problems': {
    zh: '问题过多,仅列出前 {max} 个',
    en: 'Too many problems; only the first {max} are listed',
  },
  'unknown-store': { zh: '未知的营业厅编码 {value}', en: 'Unknown store code {value}' },
  'duplicate-row': {
    zh: '重复的记录(第 {firstRow} 行已出现)',
    en: 'Duplicate row (same as row {firstRow})',
  },
  'bad-score': { zh: '得分“{value}”不是数字', en: 'Score "{value}" is not a number' },
  'score-out-of-range': {
    zh: '得分 {value} 超出范围 0–{max}',
    en: 'Score {value} is outside 0..{max}',
  },
  'unknown-reviewer': {
    zh: '无法识别的评价方“{value}”(应为 self、city、province 或 group)',
    en: 'Unknown reviewer "{value}" (expected self, city, province or group)',
  },
  'bad-period': { zh: '无效的考核期“{value}”', en: 'Invalid period "{value}"' },
  'mixed-periods': {
    zh: '文件包含多个考核期({value}),请用 --period 指定',
    en: 'The file has several periods ({value}); choose one with --period',
  },
  'formula-replaced': { zh: '公式已替换为其计算结果', en: 'A formula was replaced by its value' },
  'control-chars-removed': {
    zh: '已删除不可见的控制字符',
    en: 'Invisible control characters were removed',
  },
  'extra-cells': {
    zh: '该行的单元格多于表头,多余部分已忽略',
    en: 'This row has more cells than the header; the extra cells were ignored',
  },
}

function fill(template: string, params: Params): string {
  return template.replace(/\{(\w+)\}/g, (m, key: string) =>
    key in params ? String(params[key]) : m,
  )
}

export function problemMessage(
  problem: { code: ProblemCode | WarningCode; params: Params },
  locale: Locale = 'en',
): string {
  return fill(TEMPLATES[problem.code][locale], problem.params)
}

export function makeProblem(
  row: number | null,
  column: string | null,
  code: ProblemCode,
  params: Params = {},
): ImportProblem {
  return { row, column, code, params, message: problemMessage({ code, params }, 'en') }
}

export function makeWarning(
  row: number | null,
  column: string | null,
  code: WarningCode,
  params: Params = {},
): ImportWarning {
  return { row, column, code, params, message: problemMessage({ code, params }, 'en') }
}

/** `file:line: message` (or `file: message`), the form compilers and the CLI use. */
export function formatProblemLine(
  fileName: string,
  problem: {
    row: number | null
    column: string | null
    code: ProblemCode | WarningCode
    params: Params
  },
  locale: Locale = 'en',
): string {
  const where = problem.row === null ? fileName : `${fileName}:${problem.row}`
  const column = problem.column ? ` [${problem.column}]` : ''
  return `${where}:${column} ${problemMessage(problem, locale)}`
}

/**
 * Problems found in imported files. Each has a stable `code` and `params`, so the UI can
 * translate it; `problemMessage` gives its Chinese or English wording from the one catalogue of
 * words (domain/words.ts), which vue-i18n, the CLI and the tests read alike.
 */
import type { Locale } from '../domain/types'
import { problemText, type ProblemCode, type WarningCode } from '../domain/words'

export type { ProblemCode, WarningCode } from '../domain/words'

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

export function problemMessage(
  problem: { code: ProblemCode | WarningCode; params: Params },
  locale: Locale = 'en',
): string {
  return problemText(problem, locale)
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

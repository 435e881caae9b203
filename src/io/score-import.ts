/**
 * Score file import for batch rankings (the `rankings` CLI): one row per submitted evaluation,
 * `code,period,score,reviewer` or Chinese equivalents, CSV (UTF-8/GBK) or XLSX.
 * Rows become the engine's `EvaluationRecord`s; all rows are checked, and any problem refuses
 * the file.
 */
import { parseCenti } from '../domain/points'
import { scoreCapCenti, type Policy } from '../domain/policy'
import type { EvaluationRecord } from '../domain/store-result'
import type { Centi, Period, Reviewer } from '../domain/types'
import { cleanCell } from '../domain/text-clean'
import { memoText } from './memo'
import { makeProblem, type ImportProblem, type ProblemCode } from './problems'
import type { TextEncodingName } from './text-decode'
import { findHeaderRow, matchHeaders, readTableWith, type TableReadOptions } from './table'

export type ScoreField = 'code' | 'period' | 'score' | 'reviewer'

/** The columns in the order the docs and the import screen list them. */
export const SCORE_FIELDS: readonly ScoreField[] = ['code', 'period', 'score', 'reviewer']
/** A file without one of these is refused; without `period`, the period is given apart. */
export const REQUIRED_SCORE_FIELDS: readonly ScoreField[] = ['code', 'score', 'reviewer']

export const SCORE_HEADER_ALIASES: Readonly<Record<ScoreField, readonly string[]>> = {
  code: [
    'code',
    'store code',
    'store_code',
    '代码',
    '编码',
    '营业厅编码',
    '营业厅代码',
    '门店编码',
  ],
  period: ['period', '周期', '期间', '考核期', '评价周期', '评价期间'],
  score: ['score', 'final', 'final score', '得分', '分数', '总分', '最终得分'],
  reviewer: ['reviewer', 'by', '评价方', '评价级别', '评价类型', '检查级别', '评价单位'],
}

const REVIEWER_WORDS: Record<string, Reviewer> = {
  self: 'self',
  自评: 'self',
  营业厅自评: 'self',
  city: 'city',
  市: 'city',
  市公司: 'city',
  地市: 'city',
  市级: 'city',
  province: 'province',
  省: 'province',
  省公司: 'province',
  省级: 'province',
  group: 'group',
  集团: 'group',
  集团公司: 'group',
}

/** The words accepted for each reviewer (compared after NFKC, case and spaces folded). */
export const REVIEWER_ALIASES: Readonly<Record<Reviewer, readonly string[]>> = (() => {
  const out: Record<Reviewer, string[]> = { self: [], city: [], province: [], group: [] }
  for (const [word, reviewer] of Object.entries(REVIEWER_WORDS)) out[reviewer].push(word)
  return out
})()

export const parseReviewer = memoText(function parseReviewer(raw: string): Reviewer | null {
  return REVIEWER_WORDS[raw.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, '')] ?? null
})

/**
 * The highest score a file may give when the policy has no score cap: 100 plus a 5-point bonus
 * cap. With a cap, the cap is the highest (a final score never exceeds it).
 */
export const DEFAULT_MAX_SCORE = 105

export function maxScoreFor(policy: Policy): Centi {
  return scoreCapCenti(policy) ?? DEFAULT_MAX_SCORE * 100
}

/** `2026`, `2026-Q4`, `2026-H1`, `2026-03`. */
export const PERIOD_PATTERN = /^\d{4}(-(Q[1-4]|H[12]|(0[1-9]|1[0-2])))?$/

export interface ScoreImportOptions extends TableReadOptions {
  /** Store codes of the register: any other code is `unknown-store`. */
  storeCodes: ReadonlySet<string>
  /** Highest accepted score in Centi: 100 points plus the bonus cap. */
  maxScore: Centi
  /** Keep only this period (rows of other periods are still checked). */
  period?: Period
  maxProblems?: number
}

export interface ScoreImportResult {
  encoding: TextEncodingName | null
  /** Empty when there is any problem. */
  records: EvaluationRecord[]
  /** The line (CSV) or row (XLSX) of each record in the file, in the same order. */
  lines: number[]
  /** The period the records belong to (the option, or the file's only period). */
  period: Period | null
  /** The first `maxProblems`, then a `too-many-problems` line when the list was cut. */
  problems: ImportProblem[]
  /** How many problems the file has, counting those past the cut. */
  problemCount: number
  /** The problem list stopped at `maxProblems`. */
  truncated: boolean
}

export async function parseScoreFile(
  bytes: Uint8Array,
  fileName: string,
  options: ScoreImportOptions,
): Promise<ScoreImportResult> {
  const table = await readTableWith(bytes, fileName, options)
  if (!table.ok)
    return {
      encoding: table.encoding,
      records: [],
      lines: [],
      period: null,
      problems: table.problems,
      problemCount: table.problems.length,
      truncated: false,
    }
  const maxProblems = options.maxProblems ?? 1000
  const problems: ImportProblem[] = [...table.problems]
  let problemCount = problems.length
  const report = (p: ImportProblem): void => {
    problemCount++
    if (problems.length < maxProblems) problems.push(p)
  }
  const finish = (records: EvaluationRecord[], period: Period | null): ScoreImportResult => {
    const truncated = problemCount > problems.length
    if (truncated) problems.push(makeProblem(null, null, 'too-many-problems', { max: maxProblems }))
    const ok = problemCount === 0
    return {
      encoding: table.encoding,
      records: ok ? records : [],
      lines: ok ? lines : [],
      period,
      problems,
      problemCount,
      truncated,
    }
  }
  const lines: number[] = []

  const rows = table.rows
  if (rows.length === 0) {
    report(makeProblem(null, null, 'empty-file'))
    return finish([], null)
  }
  const headerAt = findHeaderRow(rows, SCORE_HEADER_ALIASES)
  const header = rows[headerAt]!
  const match = matchHeaders(header.cells, SCORE_HEADER_ALIASES)
  for (const d of match.duplicates)
    report(makeProblem(header.row, d.column, 'duplicate-column', { field: d.field }))
  for (const field of REQUIRED_SCORE_FIELDS) {
    if (match.index[field] === undefined)
      report(makeProblem(header.row, null, 'missing-column', { field }))
  }
  if (problemCount > 0) return finish([], null)
  const label = (f: ScoreField): string => match.label[f] ?? f

  // A store's earlier rows (a handful at most), by code: no key string built per row.
  const seenOfCode = new Map<string, { period: string; reviewer: Reviewer; row: number }[]>()
  const periods = new Set<string>()
  /** The line of the first row whose period differs from the first row's (mixed periods). */
  let otherPeriodRow: number | null = null
  const records: EvaluationRecord[] = []
  const at = match.index
  // Per-row closures and cleaned-text objects add up at 200,000 rows: read cells plainly.
  const cell = (row: (typeof rows)[number], i: number | undefined): string =>
    i === undefined ? '' : cleanCell(row.cells[i] ?? '')
  let lastGoodPeriod = ''
  // One `fail` for all rows (not a closure per row): it reports on the current row.
  let row = rows[0]!
  let ok: boolean
  const fail = (
    f: ScoreField | null,
    code: ProblemCode,
    params: Record<string, string | number> = {},
  ): void => {
    ok = false
    report(makeProblem(row.row, f ? label(f) : null, code, params))
  }
  for (let r = headerAt + 1; r < rows.length; r++) {
    row = rows[r]!
    ok = true
    const code = cell(row, at.code)
    if (code === '') fail('code', 'missing-code')
    else if (!options.storeCodes.has(code)) fail('code', 'unknown-store', { value: code })
    const period = cell(row, at.period) || options.period || ''
    // A file holds one period or a few: test a text only when it differs from the last good one.
    if (period !== lastGoodPeriod) {
      if (period !== '' && !PERIOD_PATTERN.test(period))
        fail('period', 'bad-period', { value: period })
      else lastGoodPeriod = period
    }
    const scoreText = cell(row, at.score)
    const score = parseCenti(scoreText)
    if (score === null)
      fail('score', scoreText === '' ? 'missing-value' : 'bad-score', {
        field: 'score',
        value: scoreText,
      })
    else if (score < 0 || score > options.maxScore)
      fail('score', 'score-out-of-range', { value: scoreText, max: options.maxScore / 100 })
    const reviewerText = cell(row, at.reviewer)
    const reviewer = parseReviewer(reviewerText)
    if (reviewer === null)
      fail('reviewer', reviewerText === '' ? 'missing-value' : 'unknown-reviewer', {
        field: 'reviewer',
        value: reviewerText,
      })
    if (!ok || score === null || reviewer === null) continue

    let seen = seenOfCode.get(code)
    if (seen === undefined) seenOfCode.set(code, (seen = []))
    const first = seen.find((e) => e.period === period && e.reviewer === reviewer)
    if (first !== undefined) {
      fail(null, 'duplicate-row', { firstRow: first.row })
      continue
    }
    seen.push({ period, reviewer, row: row.row })
    if (options.period !== undefined && period !== options.period) continue
    if (periods.size > 0 && !periods.has(period)) otherPeriodRow ??= row.row
    periods.add(period)
    const record: EvaluationRecord = {
      id: `${fileName}:${row.row}`,
      storeCode: code,
      reviewer,
      submittedAt: '',
      final: score,
    }
    if (period !== '') record.period = period
    records.push(record)
    lines.push(row.row)
  }
  if (options.period === undefined && periods.size > 1) {
    report(
      makeProblem(otherPeriodRow, label('period'), 'mixed-periods', {
        value: [...periods].sort().join(', '),
      }),
    )
  }
  const period = options.period ?? (periods.size === 1 ? [...periods][0] || null : null)
  return finish(records, period)
}

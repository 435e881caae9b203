/**
 * The send-backs file of the `rankings` CLI (`--sendbacks`): one row per store whose evaluation
 * a reviewing level sent back for re-inspection (退回复查), `code,reason` or Chinese headers,
 * CSV (UTF-8/GBK) or XLSX. The CLI then applies the app's send-back rule (domain/result-rows
 * `sendBackRule`): the store's scores in the file are held back, shown, never graded.
 */
import { cleanCell } from '../domain/text-clean'
import { makeProblem, type ImportProblem } from './problems'
import { findHeaderRow, matchHeaders, readTable, type TableLimits } from './table'

export type SendBackField = 'code' | 'reason'

export const SENDBACK_HEADER_ALIASES: Readonly<Record<SendBackField, readonly string[]>> = {
  code: ['code', 'store code', 'store_code', '代码', '编码', '营业厅编码', '营业厅代码'],
  reason: ['reason', 'sendback reason', '理由', '原因', '退回原因', '退回理由'],
}

export interface SendBackImportResult {
  /** Store code → reason; empty when there is any problem. */
  sendBacks: Map<string, string>
  problems: ImportProblem[]
}

export async function parseSendBackFile(
  bytes: Uint8Array,
  fileName: string,
  options: TableLimits & { storeCodes: ReadonlySet<string> },
): Promise<SendBackImportResult> {
  const table = await readTable(bytes, fileName, options)
  if (!table.ok) return { sendBacks: new Map(), problems: table.problems }
  const problems: ImportProblem[] = [...table.problems]
  const rows = table.rows
  if (rows.length === 0)
    return { sendBacks: new Map(), problems: [makeProblem(null, null, 'empty-file')] }
  const headerAt = findHeaderRow(rows, SENDBACK_HEADER_ALIASES)
  const header = rows[headerAt]!
  const match = matchHeaders(header.cells, SENDBACK_HEADER_ALIASES)
  for (const d of match.duplicates)
    problems.push(makeProblem(header.row, d.column, 'duplicate-column', { field: d.field }))
  for (const field of ['code', 'reason'] as const)
    if (match.index[field] === undefined)
      problems.push(makeProblem(header.row, null, 'missing-column', { field }))
  if (problems.length > 0) return { sendBacks: new Map(), problems }
  const label = (f: SendBackField) => match.label[f] ?? f
  const sendBacks = new Map<string, string>()
  const firstRow = new Map<string, number>()
  for (let r = headerAt + 1; r < rows.length; r++) {
    const row = rows[r]!
    const code = cleanCell(row.cells[match.index.code!] ?? '')
    const reason = cleanCell(row.cells[match.index.reason!] ?? '')
    if (code === '' && reason === '') continue
    if (code === '') problems.push(makeProblem(row.row, label('code'), 'missing-code'))
    else if (!options.storeCodes.has(code))
      problems.push(makeProblem(row.row, label('code'), 'unknown-store', { value: code }))
    else if (firstRow.has(code))
      problems.push(makeProblem(row.row, null, 'duplicate-row', { firstRow: firstRow.get(code)! }))
    else if (reason === '')
      problems.push(
        makeProblem(row.row, label('reason'), 'missing-value', { field: label('reason') }),
      )
    else {
      firstRow.set(code, row.row)
      sendBacks.set(code, reason)
    }
  }
  return { sendBacks: problems.length === 0 ? sendBacks : new Map(), problems }
}

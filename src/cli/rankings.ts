/**
 * `npm run rankings -- --stores stores.csv --scores scores.csv [--policy policy.yaml]
 *  [--period 2026-Q4] [--max-score 100] [--sendbacks sendbacks.csv] [--lang en|zh] [--bom]
 *  --out ranking.csv`
 *
 * Batch rankings and certification with the same engine as the app (src/domain). Inputs are CSV
 * (UTF-8 or GBK) or XLSX with English or Chinese headers:
 *   stores: code,name,province,city,level,type        (type self | partner; level 1-4)
 *   scores: code,period,score,reviewer                 (reviewer self | city | province | group)
 *   sendbacks (optional): code,reason                  (stores sent back for re-inspection, 退回复查)
 * Output: code,name,province,city,level,score,grade,certified_grade,rank_city,rank_province,
 * rank_group,note, then type,reviewer,certified_by.
 *
 * Scores are accepted from 0 to the policy's `scoreCap` (100 by default: a final score never
 * exceeds it). --max-score defaults to that cap and may not exceed it; with the cap switched off
 * (`scoreCap: null`) it defaults to 105 (100 + a 5-point bonus cap): set it to your rubric's.
 *
 * Any bad input prints `file:line: [column] problem` lines on stderr and exits 1 with nothing
 * written; the output is written to a temporary file and renamed only after success.
 * Usage errors exit 2.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { DEFAULT_POLICY, scoreCapCenti, type Policy } from '../domain/policy'
import { parseCenti } from '../domain/points'
import type { RowExtras } from '../domain/ranking-table'
import { rankPeriod } from '../domain/rankings-pipeline'
import { sendBackRule } from '../domain/result-rows'
import type { EvaluationRecord } from '../domain/store-result'
import { REVIEWERS, type Locale } from '../domain/types'
import { formatProblemLine, type ImportProblem } from '../io/problems'
import { rankingExportData, rankingStoresCsv } from '../io/ranking-export'
import {
  maxScoreFor,
  parseScoreFile,
  PERIOD_PATTERN,
  REQUIRED_SCORE_FIELDS,
  REVIEWER_ALIASES,
  SCORE_FIELDS,
  SCORE_HEADER_ALIASES,
} from '../io/score-import'
import { parseSendBackFile } from '../io/sendback-import'
import { parseStoreFile } from '../io/store-import'
import { XLSX_LIMITS } from '../io/xlsx-sniff'

/** --max-score when the policy has no score cap. */
export { DEFAULT_MAX_SCORE } from '../io/score-import'

/**
 * The CLI reads files its user chose on their own machine, a whole nation's at once (100,000
 * stores, several scores each), so its caps are ten times the browser import's.
 */
export const CLI_LIMITS = {
  maxRows: 1_000_000,
  maxBytes: 200 * 1024 * 1024,
  archive: {
    ...XLSX_LIMITS,
    maxEntryBytes: 10 * XLSX_LIMITS.maxEntryBytes,
    maxTotalBytes: 10 * XLSX_LIMITS.maxTotalBytes,
  },
} as const

export interface CliIo {
  readFile(path: string): Promise<Uint8Array>
  /** Write so that a reader never sees a partial file: temp file, then rename. */
  writeFileAtomic(path: string, bytes: Uint8Array): Promise<void>
  stdout(line: string): void
  stderr(line: string): void
}

export const nodeIo: CliIo = {
  readFile: async (path) => new Uint8Array(await readFile(path)),
  async writeFileAtomic(path, bytes) {
    const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
    try {
      await writeFile(tmp, bytes)
      await rename(tmp, path)
    } catch (e) {
      await rm(tmp, { force: true })
      throw e
    }
  },
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
}

const USAGE = `usage: npm run rankings -- --stores stores.csv --scores scores.csv [--policy policy.yaml]
                            [--period 2026-Q4] [--max-score <policy scoreCap>] [--sendbacks sendbacks.csv]
                            [--lang en|zh] [--bom] --out ranking.csv`

/** The accepted score headers and reviewer words, from the list the importer reads. */
export function scoreHeaderHelp(): string[] {
  return [
    '',
    'score file headers (any one per column; case, spaces and full-width forms do not matter):',
    ...SCORE_FIELDS.map(
      (f) =>
        `  ${f}${REQUIRED_SCORE_FIELDS.includes(f) ? ' (required)' : ''}: ${SCORE_HEADER_ALIASES[f].join(' | ')}`,
    ),
    'reviewer values:',
    ...REVIEWERS.map((r) => `  ${r}: ${REVIEWER_ALIASES[r].join(' | ')}`),
  ]
}

class InputError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'))
  }
}

async function readInput(io: CliIo, path: string): Promise<Uint8Array> {
  try {
    return await io.readFile(path)
  } catch (e) {
    throw new InputError([
      `${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    ])
  }
}

function problemLines(file: string, problems: readonly ImportProblem[]): string[] {
  return problems.map((p) => formatProblemLine(file, p))
}

async function loadPolicy(io: CliIo, path: string | undefined): Promise<Policy> {
  if (path === undefined) return DEFAULT_POLICY
  const bytes = await readInput(io, path)
  // The YAML parser and the policy schema (zod) load only with a policy file: most runs use the
  // default policy, and loading them costs a run its start-up.
  const [{ parse: parseYaml }, { parsePolicy }] = await Promise.all([
    import('yaml'),
    import('../domain/policy-schema'),
  ])
  let data: unknown
  try {
    data = parseYaml(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch (e) {
    throw new InputError([`${path}: ${(e as Error).message.split('\n')[0]}`])
  }
  const parsed = parsePolicy(data)
  if (!parsed.ok) throw new InputError(parsed.issues.map((i) => `${path}: ${i.path}: ${i.message}`))
  return parsed.policy
}

const REVIEWER_RANK = { group: 0, province: 1, city: 2, self: 3 } as const
const rankOf = (r: { status: string; record: EvaluationRecord }): number =>
  r.status === 'returned' ? REVIEWER_RANK[r.record.reviewer] : 9

/**
 * The app's send-back rule (domain/result-rows `sendBackRule`) on a file's scores: a listed
 * store's scores were sent back and none came after (a file has no times), so the store is held
 * out of grading and shows its highest reviewer's score, marked.
 */
export function heldBySendBacks(
  records: readonly EvaluationRecord[],
  sendBacks: ReadonlyMap<string, string>,
): { records: EvaluationRecord[]; extras: RowExtras } {
  // Nothing sent back: the rule keeps every score, in file order (what the general path below
  // gives), without a row object and a sort per score.
  if (sendBacks.size === 0)
    return { records: [...records], extras: { pending: new Map(), heldBack: new Map() } }
  const rows = records
    .map((record) => {
      const reason = sendBacks.get(record.storeCode)
      return {
        storeCode: record.storeCode,
        status: reason === undefined ? ('submitted' as const) : ('returned' as const),
        submittedAt: '',
        returnedAt: reason === undefined ? null : '',
        returnedReason: reason ?? null,
        record,
      }
    })
    // The rule keeps the first of equal send-backs: the highest reviewer's score is shown.
    .sort((a, b) => rankOf(a) - rankOf(b))
  const rule = sendBackRule(rows)
  // A listed store with no score in the file is held too (nothing to show).
  const pending = new Map(rule.pending)
  for (const [code, reason] of sendBacks) if (!pending.has(code)) pending.set(code, reason)
  return {
    records: rule.counting.map((r) => r.record),
    extras: {
      pending,
      heldBack: new Map([...rule.heldBack].map(([code, r]) => [code, r.record])),
    },
  }
}

export async function main(argv: readonly string[], io: CliIo = nodeIo): Promise<number> {
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        stores: { type: 'string' },
        scores: { type: 'string' },
        policy: { type: 'string' },
        period: { type: 'string' },
        out: { type: 'string' },
        'max-score': { type: 'string' },
        sendbacks: { type: 'string' },
        lang: { type: 'string' },
        bom: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values
  } catch (e) {
    io.stderr(`rankings: ${(e as Error).message}`)
    io.stderr(USAGE)
    return 2
  }
  if (values.help) {
    io.stdout(USAGE)
    for (const line of scoreHeaderHelp()) io.stdout(line)
    return 0
  }
  const storesPath = values.stores as string | undefined
  const scoresPath = values.scores as string | undefined
  const outPath = values.out as string | undefined
  const period = values.period as string | undefined
  const lang = (values.lang as string | undefined) ?? 'en'
  const maxScoreText = values['max-score'] as string | undefined
  const maxScoreGiven = maxScoreText === undefined ? null : parseCenti(maxScoreText)
  const usage: string[] = []
  if (!storesPath) usage.push('--stores is required')
  if (!scoresPath) usage.push('--scores is required')
  if (!outPath) usage.push('--out is required')
  if (period !== undefined && !PERIOD_PATTERN.test(period))
    usage.push(`--period ${period}: expected e.g. 2026, 2026-Q4, 2026-H1 or 2026-03`)
  if (maxScoreText !== undefined && (maxScoreGiven === null || maxScoreGiven < 100_00))
    usage.push('--max-score must be a number ≥ 100 with at most two decimals')
  if (lang !== 'en' && lang !== 'zh') usage.push('--lang must be en or zh')
  if (usage.length > 0 || !storesPath || !scoresPath || !outPath) {
    for (const u of usage) io.stderr(`rankings: ${u}`)
    io.stderr(USAGE)
    return 2
  }

  try {
    const policy = await loadPolicy(io, values.policy as string | undefined)
    const cap = scoreCapCenti(policy)
    if (maxScoreGiven !== null && cap !== null && maxScoreGiven > cap) {
      io.stderr(
        `rankings: --max-score ${maxScoreText} is above the policy's scoreCap ${cap / 100}: no final score can exceed it (switch the cap off in the policy file with scoreCap: null)`,
      )
      return 2
    }
    const maxScore = maxScoreGiven ?? maxScoreFor(policy)
    const storeImport = await parseStoreFile(
      await readInput(io, storesPath),
      storesPath,
      CLI_LIMITS,
    )
    if (storeImport.problems.length > 0)
      throw new InputError(problemLines(storesPath, storeImport.problems))
    const stores = storeImport.stores

    const scoreImport = await parseScoreFile(await readInput(io, scoresPath), scoresPath, {
      ...CLI_LIMITS,
      storeCodes: new Set(stores.map((s) => s.code)),
      maxScore,
      ...(period !== undefined ? { period } : {}),
    })
    if (scoreImport.problems.length > 0)
      throw new InputError(problemLines(scoresPath, scoreImport.problems))

    const sendBacksPath = values.sendbacks as string | undefined
    let sendBacks = new Map<string, string>()
    if (sendBacksPath !== undefined) {
      const parsed = await parseSendBackFile(await readInput(io, sendBacksPath), sendBacksPath, {
        ...CLI_LIMITS,
        storeCodes: new Set(stores.map((s) => s.code)),
      })
      if (parsed.problems.length > 0)
        throw new InputError(problemLines(sendBacksPath, parsed.problems))
      sendBacks = parsed.sendBacks
    }
    const held = heldBySendBacks(scoreImport.records, sendBacks)

    const effectivePeriod = scoreImport.period ?? undefined
    // No certification log on the command line: the proposal is what the quotas give.
    const ranked = rankPeriod({
      register: stores,
      records: held.records,
      policy,
      extras: held.extras,
      ...(effectivePeriod !== undefined ? { period: effectivePeriod } : {}),
    })
    const data = rankingExportData({
      ranked,
      ...(effectivePeriod ? { period: effectivePeriod } : {}),
    })
    const csv = rankingStoresCsv(data, lang as Locale, { bom: values.bom === true })
    try {
      await io.writeFileAtomic(outPath, csv)
    } catch (e) {
      throw new InputError([
        `${outPath}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      ])
    }

    const graded = data.stores.filter((s) => s.certifiedGrade !== 'ungraded').length
    io.stdout(
      `rankings: ${stores.length} stores, ${scoreImport.records.length} scores${effectivePeriod ? ` (${effectivePeriod})` : ''}, ` +
        `${graded} graded → ${outPath}`,
    )
    for (const w of ranked.proposal.warnings) io.stderr(`rankings: warning: ${w.message}`)
    return 0
  } catch (e) {
    if (e instanceof InputError) {
      for (const line of e.lines) io.stderr(line)
      io.stderr('rankings: nothing written')
      return 1
    }
    // One line for the user; a stack trace helps no one running the command.
    io.stderr(`rankings: ${e instanceof Error ? e.message : String(e)}`)
    io.stderr('rankings: nothing written')
    return 1
  }
}

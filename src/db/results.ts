/**
 * The `results` table (schema v3): one small row per locked evaluation, with its score but
 * without its answers. Rankings, certification and charts read thousands of evaluations at
 * once and need only the scores; reading the full rows (each with its answer map) was most of
 * the time the rankings screen took with 20,000 stores (tests/bench/rankings.bench.ts).
 *
 * It is derived data: every write that changes an evaluation's status, score or existence
 * calls `syncResults` in the same transaction, so the two tables never disagree. It does not
 * travel in bundles or backups; import and restore rebuild it from the evaluations they write.
 *
 * Returned (sent-back) evaluations keep their row, marked `returned` with the send-back's time
 * and reason: the rankings need them to hold the store out until a newer submission exists.
 * Drafts have no row.
 */
import { Dexie, type Transaction } from 'dexie'
import {
  compactSections,
  sectionBriefs,
  type CompactSections,
  type ScoreSummary,
} from '@/domain/store-summary'
import type { Centi, Grade, Period, Reviewer } from '@/domain/types'
import type { AppDatabase, EvaluationRow } from './database'

/** The part of the engine's score the rankings, certification and charts read. */
export interface ResultScore {
  rubricId: string
  rubricVersion: string
  base: Centi
  bonus: Centi
  deductions: Centi
  final: Centi
  grade: Grade
  scoreGrade: Grade
  redLines: string[]
  /**
   * Only what section shares need, in the compact form: the rankings read 20,000 of these rows
   * and never look at it (only the radar chart and the store page's city averages do).
   */
  sections: CompactSections
}

export interface ResultRow {
  evaluationId: string
  storeCode: string
  period: Period
  reviewer: Reviewer
  evaluatorName: string
  rubricId: string
  rubricVersion: string
  status: 'submitted' | 'returned'
  submittedAt: string | null
  /** The send-back's time (the returned row's updatedAt); null while submitted. */
  returnedAt: string | null
  returnedReason: string | null
  /** Null for a checklist (unscored rubric), which is locked but has no score. */
  score: ResultScore | null
}

/** The summary of an evaluation, or null when it has none (a draft). */
export function summaryOf(row: EvaluationRow): ResultRow | null {
  if (row.status !== 'submitted' && row.status !== 'returned') return null
  const r = row.result
  return {
    evaluationId: row.id,
    storeCode: row.storeCode,
    period: row.period,
    reviewer: row.reviewer,
    evaluatorName: row.evaluatorName,
    rubricId: row.rubricId,
    rubricVersion: row.rubricVersion,
    status: row.status,
    submittedAt: row.submittedAt ?? null,
    returnedAt: row.status === 'returned' ? row.updatedAt : null,
    returnedReason: row.status === 'returned' ? (row.returnedReason ?? '') : null,
    score: r
      ? {
          rubricId: r.rubricId,
          rubricVersion: r.rubricVersion,
          base: r.base,
          bonus: r.bonus,
          deductions: r.deductions,
          final: r.final,
          grade: r.grade,
          scoreGrade: r.scoreGrade,
          redLines: [...(r.redLines ?? [])],
          sections: compactSections(r.sections ?? []),
        }
      : null,
  }
}

/**
 * Brings the results rows of `rows` (evaluations as they are now written) up to date: a locked
 * one gets its summary, a draft loses any. Must run inside the read-write transaction that
 * writes the evaluations, which must include `results` — otherwise a crash between the two
 * writes would leave the rankings disagreeing with the evaluations.
 */
export async function syncResults(db: AppDatabase, rows: readonly EvaluationRow[]): Promise<void> {
  // Dexie's type says always a Transaction; outside one it is null.
  const tx = Dexie.currentTransaction as Transaction | null
  if (tx?.mode !== 'readwrite' || !tx.storeNames.includes('results'))
    throw new Error('syncResults must run inside a read-write transaction over results')
  const put: ResultRow[] = []
  const periodOf = new Map<string, Period | null>()
  for (const row of rows) {
    const s = summaryOf(row)
    if (s) put.push(s)
    periodOf.set(row.id, s ? s.period : null)
  }
  // The key is [period, evaluationId], so a put replaces a row only in the same period: first
  // delete a draft's row and any row left under another period (the unique evaluationId index
  // would refuse the put otherwise).
  if (periodOf.size)
    await db.results
      .where('evaluationId')
      .anyOf([...periodOf.keys()])
      .filter((r) => r.period !== periodOf.get(r.evaluationId))
      .delete()
  if (put.length) await db.results.bulkPut(put)
}

/** A results row in the shape the store-summary maths reads (src/domain/store-summary.ts). */
export interface ScoredSummary {
  id: string
  storeCode: string
  period: Period
  reviewer: Reviewer
  status: ResultRow['status']
  submittedAt: string | null
  /** The stored score with its sections expanded back to objects (few rows are read here). */
  result: (Omit<ResultScore, 'sections'> & ScoreSummary) | null
}

function asScored(r: ResultRow): ScoredSummary {
  return {
    id: r.evaluationId,
    storeCode: r.storeCode,
    period: r.period,
    reviewer: r.reviewer,
    status: r.status,
    submittedAt: r.submittedAt,
    result: r.score && { ...r.score, sections: sectionBriefs(r.score.sections) },
  }
}

/** Reads scores without the evaluations' answers (the register's grades, city averages). */
export function createResultsRepo(db: AppDatabase) {
  return {
    async listByStore(storeCode: string): Promise<ScoredSummary[]> {
      return (await db.results.where('storeCode').equals(storeCode).toArray()).map(asScored)
    },

    /** The period's summaries of these stores. */
    async listByStoresInPeriod(
      storeCodes: readonly string[],
      period: Period,
    ): Promise<ScoredSummary[]> {
      const rows = await db.results
        .where('[storeCode+period]')
        .anyOf(storeCodes.map((c) => [c, period]))
        .toArray()
      return rows.map(asScored)
    },
  }
}

export type ResultsRepo = ReturnType<typeof createResultsRepo>

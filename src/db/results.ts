/**
 * The `results` table (schema v3): one small row per locked evaluation, with its score but
 * without its answers. Rankings, certification and charts read thousands of evaluations at
 * once and need only the scores; reading the full rows (each with its answer map) was most of
 * the time the rankings screen took with 20,000 stores (tests/bench/rankings.bench.ts).
 *
 * What a row holds is the results projection (domain/result-rows.ts); this file only writes
 * and reads the rows. It is derived data: every write that changes an evaluation's status, score or existence
 * calls `syncResults` in the same transaction, so the two tables never disagree. It does not
 * travel in bundles or backups; import and restore rebuild it from the evaluations they write.
 *
 * Returned (sent-back) evaluations keep their row, marked `returned` with the send-back's time
 * and reason: the rankings need them to hold the store out until a newer submission exists.
 * Drafts have no row.
 */
import { Dexie, type Transaction } from 'dexie'
import {
  scoredSummaryOf,
  summaryOf,
  type ResultRow,
  type ScoredSummary,
} from '@/domain/result-rows'
import type { Period } from '@/domain/types'
import type { AppDatabase, EvaluationRow } from './rows'

export {
  summaryOf,
  type ResultRow,
  type ResultScore,
  type ScoredSummary,
} from '@/domain/result-rows'

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

/** Reads scores without the evaluations' answers (the register's grades, city averages). */
export function createResultsRepo(db: AppDatabase) {
  return {
    async listByStore(storeCode: string): Promise<ScoredSummary[]> {
      return (await db.results.where('storeCode').equals(storeCode).toArray()).map(scoredSummaryOf)
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
      return rows.map(scoredSummaryOf)
    },
  }
}

export type ResultsRepo = ReturnType<typeof createResultsRepo>

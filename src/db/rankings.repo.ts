/**
 * What the rankings, certification and charts screens read: the register and the period's
 * submitted evaluations (their summaries in the `results` table, see results.ts) reduced to the
 * engine's `EvaluationRecord`, plus who evaluated, which
 * stores wait for a re-inspection, and section scores for the radar chart.
 *
 * A store whose evaluation a reviewing level sent back is pending: its records of the period
 * are held out of the engine until an evaluation submitted after the send-back exists, so it
 * can neither keep nor lose a grade on the evidence that was questioned.
 */
import { Dexie } from 'dexie'
import type { EvaluationRecord } from '@/domain/store-result'
import type { CompactSections } from '@/domain/store-summary'
import type { Period, Store } from '@/domain/types'
import type { AppDatabase } from './database'
import type { ResultRow, ResultScore } from './results'

export interface RankingSource {
  period: Period
  stores: Store[]
  /** Submitted, scored evaluations of the period, pending stores left out. */
  records: EvaluationRecord[]
  evaluatorById: Map<string, string>
  /** Store code → send-back reason. */
  pending: Map<string, string>
  /** Evaluation id → section scores (for the radar chart; expand with sectionBriefs). */
  sectionsById: Map<string, CompactSections>
}

/** The rows' reduction, separate from Dexie so it is tested on plain rows. */
export function reduceResults(
  rows: readonly ResultRow[],
): Omit<RankingSource, 'period' | 'stores'> {
  const returnedAt = new Map<string, { at: string; reason: string }>()
  for (const row of rows) {
    if (row.status !== 'returned' || row.returnedAt === null) continue
    const prev = returnedAt.get(row.storeCode)
    if (!prev || row.returnedAt > prev.at)
      returnedAt.set(row.storeCode, { at: row.returnedAt, reason: row.returnedReason ?? '' })
  }
  const submitted = rows.filter(
    (r): r is ResultRow & { score: ResultScore; submittedAt: string } =>
      r.status === 'submitted' && r.score !== null && r.submittedAt !== null,
  )
  const pending = new Map<string, string>()
  for (const [code, ret] of returnedAt) {
    const answered = submitted.some((r) => r.storeCode === code && r.submittedAt > ret.at)
    if (!answered) pending.set(code, ret.reason)
  }
  const records: EvaluationRecord[] = []
  const evaluatorById = new Map<string, string>()
  const sectionsById = new Map<string, CompactSections>()
  for (const row of submitted) {
    if (pending.has(row.storeCode)) continue
    const score = row.score
    records.push({
      id: row.evaluationId,
      storeCode: row.storeCode,
      period: row.period,
      reviewer: row.reviewer,
      submittedAt: row.submittedAt,
      final: score.final,
      base: score.base,
      bonus: score.bonus,
      deductions: score.deductions,
      redLines: [...score.redLines],
    })
    evaluatorById.set(row.evaluationId, row.evaluatorName)
    if (score.sections) sectionsById.set(row.evaluationId, score.sections)
  }
  return { records, evaluatorById, pending, sectionsById }
}

export function createRankingsRepo(db: AppDatabase) {
  return {
    /** Periods that have evaluations, newest first. */
    async periods(): Promise<Period[]> {
      const keys = (await db.evaluations.orderBy('period').uniqueKeys()) as string[]
      return keys.reverse()
    },

    async load(period: Period): Promise<RankingSource> {
      // Scores come from the compact results table, not the evaluations with their answers, read
      // as a range of its [period, evaluationId] primary key: in key order, no index lookups.
      const [stores, rows] = await db.transaction('r', db.stores, db.results, () =>
        Promise.all([
          db.stores.toArray(),
          db.results
            .where(':id')
            .between([period, Dexie.minKey], [period, Dexie.maxKey], true, true)
            .toArray(),
        ]),
      )
      return { period, stores, ...reduceResults(rows) }
    },

    /** Every period's records (for trends); pending holds per period. */
    async allRecords(): Promise<EvaluationRecord[]> {
      const rows = await db.results.toArray()
      const byPeriod = new Map<string, ResultRow[]>()
      for (const r of rows) {
        let l = byPeriod.get(r.period)
        if (!l) byPeriod.set(r.period, (l = []))
        l.push(r)
      }
      return [...byPeriod.values()].flatMap((l) => reduceResults(l).records)
    },
  }
}

export type RankingsRepo = ReturnType<typeof createRankingsRepo>

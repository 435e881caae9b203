/**
 * What the rankings, certification and charts screens read: the register and the period's
 * submitted evaluations reduced to the engine's `EvaluationRecord`, plus who evaluated, which
 * stores wait for a re-inspection, and section scores for the radar chart.
 *
 * A store whose evaluation a reviewing level sent back is pending: its records of the period
 * are held out of the engine until an evaluation submitted after the send-back exists, so it
 * can neither keep nor lose a grade on the evidence that was questioned.
 */
import { recordFromScore, type EvaluationRecord } from '@/domain/store-result'
import type { SectionScore } from '@/domain/scoring'
import type { Period, Store } from '@/domain/types'
import type { AppDatabase, EvaluationRow } from './database'

export interface RankingSource {
  period: Period
  stores: Store[]
  /** Submitted, scored evaluations of the period, pending stores left out. */
  records: EvaluationRecord[]
  evaluatorById: Map<string, string>
  /** Store code → send-back reason. */
  pending: Map<string, string>
  /** Evaluation id → section scores (for the radar chart). */
  sectionsById: Map<string, SectionScore[]>
}

/** The rows' reduction, separate from Dexie so it is tested on plain rows. */
export function reduceEvaluations(
  rows: readonly EvaluationRow[],
): Omit<RankingSource, 'period' | 'stores'> {
  const returnedAt = new Map<string, { at: string; reason: string }>()
  for (const row of rows) {
    if (row.status !== 'returned') continue
    const prev = returnedAt.get(row.storeCode)
    if (!prev || row.updatedAt > prev.at)
      returnedAt.set(row.storeCode, { at: row.updatedAt, reason: row.returnedReason ?? '' })
  }
  const submitted = rows.filter(
    (r) => r.status === 'submitted' && r.result !== null && r.submittedAt !== null,
  )
  const pending = new Map<string, string>()
  for (const [code, ret] of returnedAt) {
    const answered = submitted.some(
      (r) => r.storeCode === code && (r.submittedAt as string) > ret.at,
    )
    if (!answered) pending.set(code, ret.reason)
  }
  const records: EvaluationRecord[] = []
  const evaluatorById = new Map<string, string>()
  const sectionsById = new Map<string, SectionScore[]>()
  for (const row of submitted) {
    if (pending.has(row.storeCode)) continue
    const result = row.result!
    records.push(
      recordFromScore(result, {
        id: row.id,
        storeCode: row.storeCode,
        period: row.period,
        reviewer: row.reviewer,
        submittedAt: row.submittedAt as string,
      }),
    )
    evaluatorById.set(row.id, row.evaluatorName)
    if (result.sections) sectionsById.set(row.id, result.sections)
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
      const [stores, rows] = await db.transaction('r', db.stores, db.evaluations, () =>
        Promise.all([db.stores.toArray(), db.evaluations.where('period').equals(period).toArray()]),
      )
      return { period, stores, ...reduceEvaluations(rows) }
    },

    /** Every period's records (for trends); pending holds per period. */
    async allRecords(): Promise<EvaluationRecord[]> {
      const rows = await db.evaluations.toArray()
      const byPeriod = new Map<string, EvaluationRow[]>()
      for (const r of rows) {
        let l = byPeriod.get(r.period)
        if (!l) byPeriod.set(r.period, (l = []))
        l.push(r)
      }
      return [...byPeriod.values()].flatMap((l) => reduceEvaluations(l).records)
    },
  }
}

export type RankingsRepo = ReturnType<typeof createRankingsRepo>

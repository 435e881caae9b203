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
import { currentDataStamp, readPack, writePack } from './ranking-packs'
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

export interface RankingsRepoOptions {
  /**
   * Registers with at least this many stores plus results rows are cached as a ranking pack
   * (ranking-packs.ts) after a read; smaller ones read fast enough without. Tests pass 0.
   */
  packFrom?: number
  /** When to write the pack: when the browser is next idle, by default. Tests await the task. */
  later?: (task: () => Promise<unknown>) => void
}

/** Runs the task once the browser is idle (the screen has rendered), or soon where it can't tell. */
function whenIdle(task: () => Promise<unknown>): void {
  if (typeof requestIdleCallback === 'function')
    requestIdleCallback(() => void task(), { timeout: 2000 })
  else setTimeout(() => void task(), 0)
}

export function createRankingsRepo(db: AppDatabase, opts: RankingsRepoOptions = {}) {
  const packFrom = opts.packFrom ?? 5_000
  const later = opts.later ?? whenIdle
  return {
    /**
     * Periods that have locked evaluations, newest first. The results table's primary key
     * starts with the period, so this hops from one period to the next older one: one key
     * read per period, however many rows each holds.
     */
    async periods(): Promise<Period[]> {
      const out: Period[] = []
      let below: unknown = Dexie.maxKey
      for (;;) {
        const [key] = await db.results.where(':id').below(below).reverse().limit(1).primaryKeys()
        if (!key) return out
        out.push(key[0])
        below = [key[0], Dexie.minKey]
      }
    },

    async load(period: Period): Promise<RankingSource> {
      await db.open()
      const stamp = currentDataStamp(db)
      const pack = stamp === null ? undefined : await readPack(db, period, stamp)
      if (pack) return { period, stores: pack.stores, ...reduceResults(pack.rows) }
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
      if (stamp !== null && stores.length + rows.length >= packFrom)
        later(() => writePack(db, { period, stamp, stores, rows }))
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

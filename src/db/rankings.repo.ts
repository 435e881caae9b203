/**
 * What the rankings, certification and charts screens read: the register and the period's
 * submitted evaluations (their summaries in the `results` table, see results.ts) reduced to the
 * engine's `EvaluationRecord`, plus who evaluated, which
 * stores wait for a re-inspection, and section scores for the radar chart.
 *
 * The pending rule (a sent-back store is held out until a newer submission) and the reduction
 * to records are domain/result-rows.ts `reduceResults`; this file only reads.
 */
import { Dexie } from 'dexie'
import { reduceResults, type RankingSource, type ResultRow } from '@/domain/result-rows'
import type { EvaluationRecord } from '@/domain/store-result'
import type { Period } from '@/domain/types'
import type { AppDatabase } from './rows'
import { currentDataStamp, readPack, writePack } from './ranking-packs'

export { reduceResults, type RankingSource } from '@/domain/result-rows'

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

/**
 * Writes imported scores (issue 17.1): every row of a checked scores file as a submitted
 * evaluation without item answers (domain/imported-score.ts), with its results row, in one
 * read-write transaction: all or nothing. The database opens every transaction with strict
 * durability (database.ts), so a reported success survives closing the tab.
 *
 * Imported scores are not queued for the sync server, which scores evaluations from their
 * answers and has none to score here. Bundles and backups carry them (domain/bundle-checks.ts
 * rebuilds their stored score from the total).
 */
import { IMPORTED_SCORE_ID_PREFIX, importedScoreEvaluation } from '@/domain/imported-score'
import type { Policy } from '@/domain/policy'
import type { EvaluationRecord } from '@/domain/store-result'
import type { Period } from '@/domain/types'
import { guardQuota } from './errors'
import { syncResults } from './results'
import type { AppDatabase, EvaluationRow } from './rows'
import { systemClock, type Clock } from './util'

/** The range of imported-score ids (importedScoreId starts with this prefix). */
const IMPORTED_ID_FROM = IMPORTED_SCORE_ID_PREFIX
const IMPORTED_ID_TO = `${IMPORTED_SCORE_ID_PREFIX}\uffff`

export interface ScoreImportInput {
  records: readonly EvaluationRecord[]
  /** The file line of each record (ScoreImportResult.lines). */
  lines: readonly number[]
  fileName: string
  /** For records whose file gave no period. */
  period: Period
  policy: Policy
}

export interface ScoreImportOutcome {
  written: number
  /** Of those, how many replaced a score imported earlier for the same store, period, reviewer. */
  replaced: number
}

/** A store of the file left the register between the preview and the write. */
export class StoresGoneError extends Error {
  constructor(readonly codes: readonly string[]) {
    super(`stores not in the register: ${codes.slice(0, 10).join(', ')}`)
    this.name = 'StoresGoneError'
  }
}

export function createScoreImportRepo(db: AppDatabase, clock: Clock = systemClock) {
  return {
    /** The rows as they would be written (the bench writes the same rows raw, as a floor). */
    rowsOf(input: ScoreImportInput, at: string = clock().toISOString()): EvaluationRow[] {
      if (input.lines.length !== input.records.length)
        throw new Error('lines must give one line per record')
      return input.records.map((record, i) =>
        importedScoreEvaluation(record, {
          period: input.period,
          at,
          fileName: input.fileName,
          row: input.lines[i]!,
          policy: input.policy,
        }),
      )
    },

    async importScores(input: ScoreImportInput): Promise<ScoreImportOutcome> {
      const rows = this.rowsOf(input)
      if (rows.length === 0) return { written: 0, replaced: 0 }
      const periods = [...new Set(rows.map((r) => r.period))]
      return guardQuota(() =>
        db.transaction('rw', db.stores, db.evaluations, db.results, async () => {
          // The preview checked the codes against the register; it may have changed since.
          // One walk over the register's keys is cheaper than a lookup per row.
          const known = new Set(await db.stores.toCollection().primaryKeys())
          const gone = [...new Set(rows.map((r) => r.storeCode))].filter((c) => !known.has(c))
          if (gone.length) throw new StoresGoneError(gone)
          // Earlier imported scores of these periods, by their results keys (a key range each).
          const earlier = new Set<string>()
          for (const p of periods) {
            const keys = await db.results
              .where(':id')
              .between([p, IMPORTED_ID_FROM], [p, IMPORTED_ID_TO], true, true)
              .primaryKeys()
            for (const k of keys) earlier.add(k[1])
          }
          const replaced = rows.filter((r) => earlier.has(r.id)).length
          await db.evaluations.bulkPut(rows)
          await syncResults(db, rows)
          return { written: rows.length, replaced }
        }),
      )
    },
  }
}

export type ScoreImportRepo = ReturnType<typeof createScoreImportRepo>

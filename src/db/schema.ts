/**
 * The database's schema versions. APPEND-ONLY: a version that has shipped is never edited,
 * because browsers out there hold databases written by it; change the schema by adding
 * version n+1 with an upgrade() and a test that opens a database written by version n
 * (tests/integration/db-upgrade.test.ts).
 *
 * Versions are data here (not calls inside the Dexie subclass) so a test can open a database
 * with exactly the versions a previous release declared: `declareVersions(db, 1)`.
 */
import type { Dexie, Transaction } from 'dexie'
import { summaryOf } from '@/domain/result-rows'
import type { EvaluationRow, ResultRow } from './rows'

interface SchemaVersion {
  version: number
  /** Only the tables that change in this version; the others carry over. */
  stores: Record<string, string | null>
  upgrade?: (tx: Transaction) => Promise<unknown>
}

export const SCHEMA_VERSIONS: readonly SchemaVersion[] = [
  {
    // First release: the store register, evaluations with answers, photos, certification log, meta.
    version: 1,
    stores: {
      stores: 'code, province, city, [province+city], level, type, name',
      evaluations: 'id, storeCode, period, [storeCode+period], status, reviewer',
      photos: 'id, evaluationId',
      certification: 'id, kind, period, [period+unit], storeCode',
      meta: 'key',
    },
  },
  {
    // Corrective actions; revisions of evaluations (reopen keeps history); per-item photo lookup;
    // optimistic concurrency between tabs (editSeq). v1 evaluations get the new fields.
    version: 2,
    stores: {
      evaluations:
        'id, storeCode, period, [storeCode+period], status, reviewer, revisionOf, updatedAt',
      photos: 'id, evaluationId, [evaluationId+itemId]',
      actions: 'id, storeCode, evaluationId, status, [storeCode+status]',
    },
    upgrade: (tx) =>
      tx
        .table('evaluations')
        .toCollection()
        .modify((row: Record<string, unknown>) => {
          row.revision ??= 1
          row.revisionOf ??= null
          row.editSeq ??= 0
          row.result ??= null
          row.submittedAt ??= null
          // v1 wrote drafts without updatedAt when nothing had been answered yet.
          row.updatedAt ??= row.createdAt
        }),
  },
  {
    // A compact score projection of every locked evaluation (src/db/results.ts), so rankings
    // read scores without the answers. Backfilled from the evaluations already there. If the
    // summary's shape changes later, add a version that rebuilds the table; don't edit this one.
    // The primary key starts with the period so the rankings read a period as one key range in
    // primary-key order; through a `period` index Chromium fetches each row by a separate
    // primary-key lookup, which was the slowest part of the rankings screen. `&evaluationId`
    // is unique: one summary per evaluation, whatever its period.
    // `rankingPacks` caches a period's register and results as one record (ranking-packs.ts);
    // it starts empty and is filled by the rankings screen.
    version: 3,
    stores: {
      results: '[period+evaluationId], &evaluationId, storeCode, [storeCode+period]',
      rankingPacks: '[period+stamp]',
    },
    upgrade: async (tx) => {
      const summaries: ResultRow[] = []
      await tx
        .table('evaluations')
        .where('status')
        .anyOf('submitted', 'returned')
        .each((row: EvaluationRow) => {
          const s = summaryOf(row)
          if (s) summaries.push(s)
        })
      await tx.table('results').bulkPut(summaries)
    },
  },
  {
    // Sync with the server (issue 13): `outbox` holds one row per record changed on this device
    // and not yet acknowledged by the server, written in the same transaction as the change
    // (src/db/outbox.repo.ts); `syncVersions` the server version last seen of each record (the
    // push's baseVersion). Both start empty: what a device held before stays local until the
    // user uploads it.
    version: 4,
    stores: {
      outbox: 'key, kind, order',
      syncVersions: 'key',
    },
  },
]

export const LATEST_VERSION = SCHEMA_VERSIONS[SCHEMA_VERSIONS.length - 1]!.version

/** Declares every schema version up to `upTo` on a fresh (unopened) Dexie instance. */
export function declareVersions(db: Dexie, upTo: number = LATEST_VERSION): void {
  for (const v of SCHEMA_VERSIONS) {
    if (v.version > upTo) break
    const version = db.version(v.version).stores(v.stores)
    if (v.upgrade) version.upgrade(v.upgrade)
  }
}

/**
 * The one repository factory: every repository over one database with one injected clock. The
 * Pinia stores reach the data only through `repos()`; tests build their own with `createRepos`.
 */
import { createActionsRepo } from './actions.repo'
import type { BackupRepo } from './backup.repo'
import { createCertificationRepo } from './certification.repo'
import { createDailyChecksRepo } from './daily-checks.repo'
import { getDatabase, type AppDatabase } from './database'
import { createEvaluationsRepo } from './evaluations.repo'
import type { ExchangeRepo } from './exchange.repo'
import type { SyncRepo } from './sync.repo'
import { createMetaRepo } from './meta.repo'
import { createOutboxRepo } from './outbox.repo'
import { createPhotosRepo } from './photos.repo'
import { createRankingsRepo } from './rankings.repo'
import { createReminderRepo } from './reminder.repo'
import { createResultsRepo } from './results'
import { createScoreImportRepo } from './score-import.repo'
import { createStoresRepo } from './stores.repo'
import { systemClock, type Clock } from './util'

export function createRepos(db: AppDatabase, clock: Clock = systemClock) {
  return {
    db,
    stores: createStoresRepo(db),
    evaluations: createEvaluationsRepo(db, clock),
    photos: createPhotosRepo(db, clock),
    actions: createActionsRepo(db, clock),
    certification: createCertificationRepo(db, clock),
    dailyChecks: createDailyChecksRepo(db, clock),
    meta: createMetaRepo(db),
    results: createResultsRepo(db),
    outbox: createOutboxRepo(db),
    rankings: createRankingsRepo(db),
    reminder: createReminderRepo(db, clock),
    scoreImport: createScoreImportRepo(db, clock),
    // Loaded on first use: they bring the bundle reader and writer (zip, hashes, signatures),
    // which no page needs before the user exports, imports or backs up.
    // Loaded on first use: only a connected device pulls, pushes or resolves; the home page reads
    // the session from meta.
    sync: once(async (): Promise<SyncRepo> => {
      const { createSyncRepo } = await import('./sync.repo')
      return createSyncRepo(db, clock)
    }),
    exchange: once(async (): Promise<ExchangeRepo> => {
      const { createExchangeRepo } = await import('./exchange.repo')
      return createExchangeRepo(db, clock)
    }),
    backup: once(async (): Promise<BackupRepo> => {
      const { createBackupRepo } = await import('./backup.repo')
      return createBackupRepo(db, clock)
    }),
  }
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined
  return () => (made ??= make())
}

export type Repos = ReturnType<typeof createRepos>

let cached: Repos | null = null

/** The repositories over the app's current database (see setDatabase for tests). */
export function repos(): Repos {
  const db = getDatabase()
  if (cached?.db !== db) cached = createRepos(db)
  return cached
}

/**
 * The one Dexie instance. Only src/db talks to Dexie; stores go through the repositories.
 *
 * Every transaction is opened with strict durability: the app promises that closing the tab or
 * losing power loses at most the keystroke in flight, and Chromium's default durability lets
 * the OS hold a committed write in its cache. Dexie 4 takes the durability per database (the
 * `chromeTransactionDurability` option), not per transaction; other browsers ignore it.
 */
import { Dexie } from 'dexie'
import { watchDataStamp } from './ranking-packs'
import type { AppDatabase } from './rows'
import { declareVersions } from './schema'
import { watchStorageMarker } from './storage-marker'

export type {
  AppDatabase,
  EvaluationRow,
  MetaKey,
  MetaRow,
  MetaValues,
  RankingPackRow,
} from './rows'

export const DEFAULT_DB_NAME = 'store-service-eval'

/** Opens (creating or upgrading) the database called `name`. Tests pass a unique name. */
export function openDatabase(name: string = DEFAULT_DB_NAME): AppDatabase {
  const db = new Dexie(name, { chromeTransactionDurability: 'strict' }) as AppDatabase
  declareVersions(db)
  watchDataStamp(db)
  return db
}

let current: AppDatabase | null = null

/** The app's database, opened on first use. */
export function getDatabase(): AppDatabase {
  if (!current) {
    current = openDatabase()
    // The app's own database remembers, apart from IndexedDB, that it held data.
    watchStorageMarker(current)
  }
  return current
}

/** Points the app at another database (tests, or after deleting and recreating it). */
export function setDatabase(db: AppDatabase | null): void {
  current = db
}

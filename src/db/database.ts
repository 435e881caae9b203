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
import { declareVersions, LATEST_VERSION } from './schema'
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

/**
 * Why this app must not use the database, when the user can act on it: `newer-version` when a
 * newer release of the app has already upgraded it (its IndexedDB version is past this
 * release's last schema version × 10). Checked BEFORE the database is opened: Dexie 4 would
 * open such a database anyway and add what it misses by bumping the version itself, writing
 * to a database whose records this release does not know. The app says so instead and leaves
 * it alone. Where the browser cannot list its databases (`indexedDB.databases`, missing in some
 * older browsers) nothing is checked and the app opens as before.
 */
export type OpenProblem = 'newer-version'

export async function openProblem(
  name: string = current?.name ?? DEFAULT_DB_NAME,
): Promise<OpenProblem | null> {
  const idb = globalThis.indexedDB as IDBFactory | undefined
  if (typeof idb?.databases !== 'function') return null
  const found = (await idb.databases()).find((d) => d.name === name)
  // Dexie stores version n as n × 10 (and may add 1 to fix up its own schema at the same n).
  return found?.version !== undefined && found.version >= (LATEST_VERSION + 1) * 10
    ? 'newer-version'
    : null
}

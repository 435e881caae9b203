/**
 * The one Dexie instance. Only src/db talks to Dexie; stores go through the repositories.
 *
 * Every transaction is opened with strict durability: the app promises that closing the tab or
 * losing power loses at most the keystroke in flight, and Chromium's default durability lets
 * the OS hold a committed write in its cache. Dexie 4 takes the durability per database (the
 * `chromeTransactionDurability` option), not per transaction; other browsers ignore it.
 */
import { Dexie, type EntityTable, type Table } from 'dexie'
import type { Period, Store } from '@/domain/types'
import type { CertificationEntry, CorrectiveAction, Evaluation, Photo } from '@/domain/records'
import type { StoredResult } from '@/domain/submit-check'
import type { ResultRow } from './results'
import { watchDataStamp, type RankingPackRow } from './ranking-packs'
import { declareVersions } from './schema'

export type EvaluationRow = Evaluation<StoredResult>

export interface MetaRow {
  key: MetaKey
  value: unknown
}
export type MetaKey =
  | 'demoLoaded'
  | 'lastBackupAt'
  | 'deviceId'
  /** evaluation id → when it last left this device in a bundle (the "unsent" count). */
  | 'exportedEvaluations'
  /** Rubric versions that arrived in bundles; loaded beside the shipped ones. */
  | 'importedRubrics'
  /** deviceId → fingerprint of the key first seen signing for it (trust on first use). */
  | 'trustedDevices'
  /** This device's signing key; IndexedDB stores CryptoKey objects as they are. */
  | 'deviceKey'

export type AppDatabase = Dexie & {
  stores: EntityTable<Store, 'code'>
  evaluations: EntityTable<EvaluationRow, 'id'>
  photos: EntityTable<Photo, 'id'>
  actions: EntityTable<CorrectiveAction, 'id'>
  certification: EntityTable<CertificationEntry, 'id'>
  meta: EntityTable<MetaRow, 'key'>
  /** Derived: one score summary per locked evaluation (see results.ts). */
  /** Keyed by [period, evaluationId] (schema v3); look a row up by evaluation through its index. */
  results: Table<ResultRow, [Period, string], ResultRow>
  /** Cache: a period's register and results as one record (see ranking-packs.ts). */
  rankingPacks: Table<RankingPackRow, [Period, string], RankingPackRow>
}

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
  current ??= openDatabase()
  return current
}

/** Points the app at another database (tests, or after deleting and recreating it). */
export function setDatabase(db: AppDatabase | null): void {
  current = db
}

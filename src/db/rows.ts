/**
 * Every row type of the app's IndexedDB database and the database's type, in one bottom file:
 * database.ts (opening), schema.ts (versions and upgrades), results.ts, ranking-packs.ts and the
 * repositories import their types from here and nothing here imports them, so there is no
 * import circle among them. Types only.
 */
import type { EntityTable, Dexie, Table } from 'dexie'
import type { CertificationEntry, CorrectiveAction, Evaluation, Photo } from '@/domain/records'
import type { BundleReceivers } from '@/domain/incremental'
import type { ResultRow } from '@/domain/result-rows'
import type { Rubric } from '@/domain/rubric-schema'
import type { StoredResult } from '@/domain/submit-check'
import type { Period, Store } from '@/domain/types'
import type { Change, UserView } from '@/protocol'
import type { VisitPlan } from '@/protocol/visits'
import type { DeviceKey } from '@/io/bundle'

export type { ResultRow, ResultScore } from '@/domain/result-rows'

export type EvaluationRow = Evaluation<StoredResult>

/** What each meta key holds: reads and writes are typed by key, with no cast at the caller. */
export interface MetaValues {
  /** When the demo province was loaded, and from which seed. */
  demoLoaded: { at: string; seed: number | null }
  lastBackupAt: string
  deviceId: string
  /** This database's identity, made with its first data (storage-marker.ts: wipe detection). */
  databaseId: string
  /** evaluation id → when it last left this device in a bundle (the "unsent" count). */
  exportedEvaluations: Record<string, string>
  /** receiver name → when it was last sent a bundle, and what (incremental bundles). */
  bundleReceivers: BundleReceivers
  /** Rubric versions that arrived in bundles; loaded beside the shipped ones. */
  importedRubrics: Rubric[]
  /** deviceId → fingerprint of the key first seen signing for it (trust on first use). */
  trustedDevices: Record<string, string>
  /** This device's signing key; IndexedDB stores CryptoKey objects as they are. */
  deviceKey: DeviceKey
  /** The server this device is connected to and the signed-in account (sync.repo.ts). */
  serverSession: ServerSession
  /** The pull cursor, the last push sequence and the push in flight (sync.repo.ts). */
  syncCursor: number
  syncSeq: number
  syncInflight: InflightPush
  syncWantedPhotos: WantedPhoto[]
  /** Rubric and policy files the server published for this account's units (used offline). */
  serverFiles: ServerFile[]
  /** Visit plans the server sent for this account's units (record kind `visit`, issue 13). */
  serverVisits: VisitPlan[]
}

/** A rubric, variant or policy file from the server, as its text and the unit it is for. */
export interface ServerFile {
  id: string
  kind: 'rubric' | 'policy'
  unit: string
  text: string
  version: number
}

export interface ServerSession {
  url: string
  token: string
  expiresAt: string
  user: UserView
  signedInAt: string
}

export interface InflightPush {
  seq: number
  changes: Change[]
  covers: { key: string; stamp: string }[]
}

/** A photo an answer names that this device does not hold yet (fetched after a pull). */
export interface WantedPhoto {
  id: string
  evaluationId: string
  itemId: string
}

export type OutboxKind = 'evaluation' | 'action' | 'photo'

/** One record changed on this device and not yet acknowledged by the server (outbox.repo.ts). */
export interface OutboxRow {
  /** `${kind}:${id}` */
  key: string
  kind: OutboxKind
  id: string
  op: 'put' | 'delete'
  /** Changes on every enqueue (see acknowledge). */
  stamp: string
  /** When the record first entered the outbox (ms); pushes go in this order. */
  order: number
  /** The server refused or disputed it: kept, not resent until the user acts. */
  /**
   * `held`: a record from before the device was connected, kept until the user chooses to
   * upload it. `conflict`/`older`/`locked`: the server's copy differs (`server`, at `version`).
   */
  problem?: { code: string; message: string; server?: unknown; version?: number }
}

export interface SyncVersionRow {
  key: string
  version: number
}

export type MetaKey = keyof MetaValues

/** One meta row; `value` is typed by its key. */
export type MetaRow = { [K in MetaKey]: { key: K; value: MetaValues[K] } }[MetaKey]

export interface RankingPackRow {
  period: Period
  stamp: string
  stores: Store[]
  rows: ResultRow[]
}

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
  /** Changes not yet acknowledged by the server (schema v4, outbox.repo.ts). */
  outbox: EntityTable<OutboxRow, 'key'>
  /** The server version last seen of each record (schema v4). */
  syncVersions: EntityTable<SyncVersionRow, 'key'>
}

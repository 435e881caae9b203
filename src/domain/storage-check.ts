/**
 * Did the browser remove this app's data? The app keeps a small marker apart from its database
 * (the db layer writes it to localStorage after each real write): which database it last saw,
 * and what that database held. On start the marker is compared with the database as it is now.
 * A marker that says data existed, beside a database that is empty or carries another id, means
 * the browser removed (or something replaced) the data: the user must be told plainly, never
 * offered the demo as if the device were new.
 *
 * The marker comes from storage a hostile page or extension can write, so it is parsed, not
 * trusted: a marker that does not parse counts as none.
 */
import type { StorageMarker } from './storage-marker-schema'

export type { StorageMarker }

/** Whether a snapshot describes data worth keeping (an empty database leaves nothing to lose). */
export function markerHasData(m: StorageMarker): boolean {
  const c = m.counts
  return c.stores + c.evaluations + c.photos + c.actions > 0
}

export type StorageVerdict =
  /** Nothing known was lost: a new device, or the database the marker describes. */
  | { kind: 'ok' }
  /** The marker says data existed; the database is now empty. */
  | { kind: 'wiped'; marker: StorageMarker }
  /** The marker says data existed; the database now holds other data (another id or none). */
  | { kind: 'replaced'; marker: StorageMarker }

/**
 * Compares the marker with the database now. `databaseId` is the id the database carries
 * (undefined when it has none); `hasData` whether it holds any stores, evaluations, photos or
 * actions.
 */
export function judgeStorage(
  marker: StorageMarker | null,
  now: { databaseId: string | undefined; hasData: boolean },
): StorageVerdict {
  if (!marker || !markerHasData(marker)) return { kind: 'ok' }
  if (now.databaseId === marker.databaseId) return { kind: 'ok' }
  if (!now.hasData) return { kind: 'wiped', marker }
  return { kind: 'replaced', marker }
}

/** What the user lost, in the terms the notice uses. */
export interface StorageLoss {
  /** Evaluations changed since the last backup: not in any backup file. */
  notBackedUp: number
  /** Changes not yet uploaded to the server (0 when not connected). */
  notUploaded: number
  /** Whether a backup exists to restore from, and whether a server holds what was uploaded. */
  canRestore: boolean
  canSync: boolean
}

export function lossOf(m: StorageMarker): StorageLoss {
  return {
    notBackedUp: m.changedSinceBackup,
    notUploaded: m.server ? m.unsynced : 0,
    canRestore: m.lastBackupAt !== null,
    canSync: m.server !== null,
  }
}

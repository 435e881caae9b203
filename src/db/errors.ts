/**
 * Typed failures the UI can explain in plain words. Repositories translate Dexie/IndexedDB
 * errors into these; nothing else leaks out of src/db.
 */
import type { Evaluation } from '@/domain/records'

/** The browser's storage quota ran out. The transaction was rolled back: nothing half-written. */
export class StorageFullError extends Error {
  override name = 'StorageFullError'
  constructor(cause?: unknown) {
    super('Storage is full: the browser refused to store more data.', { cause })
  }
}

/** Someone (another tab) saved this evaluation since it was loaded here. Carries the fresher copy. */
export class ConcurrentEditError extends Error {
  override name = 'ConcurrentEditError'
  constructor(
    readonly fresher: Evaluation,
    readonly expectedSeq: number,
  ) {
    super(
      `Evaluation ${fresher.id} was changed elsewhere (edit ${fresher.editSeq}, expected ${expectedSeq}).`,
    )
  }
}

/** The evaluation is submitted or returned: locked, only a new revision can change it. */
export class LockedError extends Error {
  override name = 'LockedError'
  constructor(readonly evaluationId: string) {
    super(`Evaluation ${evaluationId} is locked; reopen it as a new revision.`)
  }
}

export class NotFoundError extends Error {
  override name = 'NotFoundError'
  constructor(
    readonly table: string,
    readonly key: string,
  ) {
    super(`No ${table} record ${key}.`)
  }
}

export function isQuotaError(e: unknown): boolean {
  const err = e as { name?: string; inner?: { name?: string }; cause?: unknown } | null
  if (!err) return false
  return (
    err.name === 'QuotaExceededError' ||
    err.inner?.name === 'QuotaExceededError' ||
    // Dexie's bulk errors and aborted transactions can wrap the real cause one level further.
    (err.cause !== undefined && err.cause !== e && isQuotaError(err.cause))
  )
}

/** Runs a write and turns a quota failure into StorageFullError; other errors pass unchanged. */
export async function guardQuota<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (e) {
    if (isQuotaError(e)) throw new StorageFullError(e)
    throw e
  }
}

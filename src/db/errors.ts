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
  // Not 'NotFoundError': Dexie maps an error by that name (IndexedDB's DOMException name) to its
  // own class when it leaves a transaction, and `instanceof` here would then fail.
  override name = 'RecordNotFoundError'
  constructor(
    readonly table: string,
    readonly key: string,
  ) {
    super(`No ${table} record ${key}.`)
  }
}

/**
 * Dexie wraps the browser's QuotaExceededError: a failed request aborts the transaction, and the
 * AbortError carries the cause as `inner` (sometimes one wrapper deeper, or as `cause`).
 */
export function isQuotaError(e: unknown, depth = 0): boolean {
  const err = e as { name?: string; inner?: unknown; cause?: unknown } | null
  if (!err || typeof err !== 'object' || depth > 4) return false
  if (err.name === 'QuotaExceededError') return true
  return (
    (err.inner !== undefined && isQuotaError(err.inner, depth + 1)) ||
    (err.cause !== undefined && isQuotaError(err.cause, depth + 1))
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

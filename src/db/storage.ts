/**
 * The browser's storage for this origin: ask to keep it (persistent storage is not evicted
 * under pressure), and how much is used and free, for the settings page and the quota warning.
 */
export interface StorageInfo {
  persisted: boolean
  /** Bytes; undefined where the browser does not say. */
  usage?: number
  quota?: number
}

export async function requestPersistentStorage(): Promise<boolean> {
  if (typeof navigator === 'undefined' || !navigator.storage?.persist) return false
  if (await navigator.storage.persisted()) return true
  return navigator.storage.persist()
}

export async function storageInfo(): Promise<StorageInfo> {
  if (typeof navigator === 'undefined' || !navigator.storage) return { persisted: false }
  const [persisted, estimate] = await Promise.all([
    navigator.storage.persisted?.() ?? Promise.resolve(false),
    navigator.storage.estimate?.() ?? Promise.resolve({} as StorageEstimate),
  ])
  return { persisted, usage: estimate.usage, quota: estimate.quota }
}

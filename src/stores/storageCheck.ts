/**
 * Whether the browser removed this app's data (src/domain/storage-check.ts has the rule,
 * src/db/storage-marker.ts the marker). Checked once at start, again whenever a save finds its
 * record gone, and after every burst of writes. Until the user has chosen, the verdict stays:
 * the home page shows the notice instead of the demo offer, and the form says its record is gone.
 */
import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import { lossOf, type StorageVerdict } from '@/domain/storage-check'
import { repos } from '@/db/repos'
import { acknowledgeStorage, onStorageVerdict, snapshotStorage } from '@/db/storage-marker'

export const useStorageCheckStore = defineStore('storageCheck', () => {
  /** null until the first check has run. */
  const verdict = shallowRef<StorageVerdict | null>(null)
  const lost = computed(() => (verdict.value && verdict.value.kind !== 'ok' ? verdict.value : null))
  const loss = computed(() => (lost.value ? lossOf(lost.value.marker) : null))

  let first: Promise<void> | null = null
  onStorageVerdict((v) => (verdict.value = v))

  async function check(): Promise<StorageVerdict> {
    try {
      verdict.value = await snapshotStorage(repos().db)
    } catch {
      // The database cannot be read at all: nothing to compare; the screens say their own error.
      verdict.value ??= { kind: 'ok' }
    }
    return verdict.value
  }

  /** The first check (every caller waits for the same one). */
  function ready(): Promise<void> {
    first ??= check().then(() => undefined)
    return first
  }

  /** The user has read the notice and goes on with the device as it is now. */
  async function acknowledge(): Promise<void> {
    await acknowledgeStorage(repos().db)
    verdict.value = { kind: 'ok' }
  }

  return { verdict, lost, loss, check, ready, acknowledge }
})

import { ref } from 'vue'

/** Storage used/free and whether the browser granted persistent storage. */
export function useStorageInfo() {
  const usage = ref<number | null>(null)
  const quota = ref<number | null>(null)
  const persisted = ref<boolean | null>(null)

  async function refresh(): Promise<void> {
    const s = navigator.storage
    if (!s) return
    if (s.estimate) {
      const e = await s.estimate()
      usage.value = e.usage ?? null
      quota.value = e.quota ?? null
    }
    if (s.persisted) persisted.value = await s.persisted()
  }

  async function requestPersist(): Promise<boolean> {
    if (!navigator.storage?.persist) return false
    persisted.value = await navigator.storage.persist()
    return persisted.value
  }

  return { usage, quota, persisted, refresh, requestPersist }
}

import { ref } from 'vue'

type Flush = () => Promise<void>
const flushers = new Set<Flush>()

/** Shared between the registration and the update banner. */
export const pwaState = {
  needRefresh: ref(false),
  offlineReady: ref(false),
  applyUpdate: (async () => undefined) as () => Promise<void>,
}

/**
 * Anything that holds writes in flight (the evaluation form) registers a flush here; the
 * update waits for all of them before the new version takes over the page.
 */
export function onBeforeUpdate(flush: Flush): () => void {
  flushers.add(flush)
  return () => flushers.delete(flush)
}

export async function flushBeforeUpdate(): Promise<void> {
  await Promise.all([...flushers].map((f) => f()))
}

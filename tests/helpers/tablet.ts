/**
 * Devices against the server app in this process, for the integration tests that drive the
 * tablet's own sync code: `fetch` is the app's inject (inject-fetch.ts) and every device is its own
 * IndexedDB (fake-indexeddb) with its own Pinia.
 */
import { afterAll, beforeAll, vi } from 'vitest'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { openDatabase, setDatabase } from '@/db/database'
import type { AppDatabase } from '@/db/rows'
import { useSyncStore } from '@/stores/sync'
import type { Rubric } from '@/domain/rubric-schema'
import { openHarness, rubric, type Engine, type Harness } from '../server/harness'
import { injectFetch } from './inject-fetch'

/** The app's origin as the devices see it (`location.origin`). */
export const ORIGIN = 'http://tablet.test'

export interface Device {
  db: AppDatabase
  pinia: Pinia
}
let n = 0
export function device(): Device {
  return { db: openDatabase(`tablet-${Date.now()}-${n++}`), pinia: createPinia() }
}
/** Makes `d` the current device (its database and its stores). */
export function on(d: Device) {
  setDatabase(d.db)
  setActivePinia(d.pinia)
  return useSyncStore()
}

export interface TabletServer {
  readonly h: Harness
  /** The shipped rubric the server holds. */
  readonly r: Rubric
}

/**
 * Opens the server app on `engine` before the block's tests, with `fetch` and `location` stubbed
 * for the devices, and closes it after.
 */
export function useTabletServer(engine: Engine): TabletServer {
  let h: Harness | undefined
  let r: Rubric | undefined
  beforeAll(async () => {
    h = await openHarness(engine)
    r = await rubric(h)
    vi.stubGlobal('fetch', injectFetch(h))
    vi.stubGlobal('location', { origin: ORIGIN })
    // PGlite starts in a few seconds, longer on a loaded machine.
  }, 120_000)
  afterAll(async () => {
    vi.unstubAllGlobals()
    await h?.close()
  }, 60_000)
  return {
    get h() {
      if (!h) throw new Error('the server app has not opened')
      return h
    },
    get r() {
      if (!r) throw new Error('the server app has not opened')
      return r
    },
  }
}

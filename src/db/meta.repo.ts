/** Small key/value settings of this device's database. */
import type { AppDatabase, MetaKey } from './database'
import { newId } from './util'

export function createMetaRepo(db: AppDatabase) {
  return {
    async get<T = unknown>(key: MetaKey): Promise<T | undefined> {
      return (await db.meta.get(key))?.value as T | undefined
    },

    async set(key: MetaKey, value: unknown): Promise<void> {
      await db.meta.put({ key, value })
    },

    /** A stable id for this device's database, created on first ask (bundles name their origin). */
    deviceId(): Promise<string> {
      return db.transaction('rw', db.meta, async () => {
        const row = await db.meta.get('deviceId')
        if (typeof row?.value === 'string') return row.value
        const id = newId()
        await db.meta.put({ key: 'deviceId', value: id })
        return id
      })
    },
  }
}

export type MetaRepo = ReturnType<typeof createMetaRepo>

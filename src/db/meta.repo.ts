/** Small key/value settings of this device's database. */
import type { Rubric } from '@/domain/rubric-schema'
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

    /** Rubric versions that arrived in bundles (evaluations made elsewhere with them stay scorable). */
    async importedRubrics(): Promise<Rubric[]> {
      return ((await db.meta.get('importedRubrics'))?.value as Rubric[] | undefined) ?? []
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

/** Small key/value settings of this device's database, typed by key (rows.ts `MetaValues`). */
import type { Rubric } from '@/domain/rubric-schema'
import type { AppDatabase, MetaKey, MetaRow, MetaValues } from './rows'
import { newId } from './util'

/** The value of a meta row read for `key`; the one place the row's union is narrowed to a key. */
function valueOf<K extends MetaKey>(row: MetaRow | undefined, key: K): MetaValues[K] | undefined {
  return row !== undefined && row.key === key ? (row.value as MetaValues[K]) : undefined
}

export function createMetaRepo(db: AppDatabase) {
  return {
    async get<K extends MetaKey>(key: K): Promise<MetaValues[K] | undefined> {
      return valueOf(await db.meta.get(key), key)
    },

    async set<K extends MetaKey>(key: K, value: MetaValues[K]): Promise<void> {
      await db.meta.put({ key, value })
    },

    /**
     * Writes back a row read from this app's own backup (restore): its key and value are as the
     * app once wrote them, so the row is taken as the key says.
     */
    async restore(row: { key: string; value: unknown }): Promise<void> {
      await db.meta.put(row as MetaRow)
    },

    /** Rubric versions that arrived in bundles (evaluations made elsewhere with them stay scorable). */
    async importedRubrics(): Promise<Rubric[]> {
      return valueOf(await db.meta.get('importedRubrics'), 'importedRubrics') ?? []
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

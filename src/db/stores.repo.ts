/**
 * The store register. Imports are all-or-nothing: one transaction, so one bad row leaves the
 * register exactly as it was.
 */
import type { Store, StoreLevel, StoreType } from '@/domain/types'
import type { AppDatabase } from './rows'
import { guardQuota } from './errors'

export interface StoreRowProblem {
  /** 0-based index in the batch. */
  index: number
  field: keyof Store
  message: string
}

/** A batch was refused before anything was written. Detailed, per-cell reports come from src/io. */
export class InvalidStoresError extends Error {
  override name = 'InvalidStoresError'
  constructor(readonly problems: StoreRowProblem[]) {
    super(
      `${problems.length} invalid store row(s): ${problems
        .slice(0, 3)
        .map((p) => `#${p.index} ${p.field}: ${p.message}`)
        .join('; ')}`,
    )
  }
}

/** A store with evaluations or corrective actions is closed, not deleted (its history stays). */
export class StoreInUseError extends Error {
  override name = 'StoreInUseError'
  constructor(
    readonly code: string,
    readonly evaluations: number,
    readonly actions: number,
  ) {
    super(
      `store ${code} has ${evaluations} evaluation(s) and ${actions} action(s); close it instead`,
    )
  }
}

const LEVELS: readonly StoreLevel[] = [1, 2, 3, 4]
const TYPES: readonly StoreType[] = ['self', 'partner']

/** Integrity checks the database relies on (keys and indexed fields); not a user-facing report. */
export function checkStores(stores: readonly Store[]): StoreRowProblem[] {
  const problems: StoreRowProblem[] = []
  const seen = new Set<string>()
  stores.forEach((s, index) => {
    const text = (field: 'code' | 'name' | 'province' | 'city') => {
      if (typeof s[field] !== 'string' || s[field].trim() === '')
        problems.push({ index, field, message: 'must not be empty' })
    }
    text('code')
    text('name')
    text('province')
    text('city')
    if (!LEVELS.includes(s.level))
      problems.push({ index, field: 'level', message: `unknown level ${String(s.level)}` })
    if (!TYPES.includes(s.type))
      problems.push({ index, field: 'type', message: `unknown type ${String(s.type)}` })
    if (typeof s.code === 'string') {
      if (seen.has(s.code))
        problems.push({ index, field: 'code', message: `duplicate code ${s.code}` })
      seen.add(s.code)
    }
  })
  return problems
}

function plainStore(s: Store): Store {
  return { ...s }
}

export function createStoresRepo(db: AppDatabase) {
  return {
    get(code: string): Promise<Store | undefined> {
      return db.stores.get(code)
    },

    count(): Promise<number> {
      return db.stores.count()
    },

    /** Adds or replaces one store (hand edits). */
    async put(store: Store): Promise<void> {
      const problems = checkStores([store])
      if (problems.length) throw new InvalidStoresError(problems)
      await guardQuota(() => db.stores.put(plainStore(store)))
    },

    /**
     * Adds or replaces every store in one transaction. Refused whole if any row is invalid or
     * if the write fails part-way (the transaction rolls back).
     */
    async bulkPut(stores: readonly Store[]): Promise<number> {
      const problems = checkStores(stores)
      if (problems.length) throw new InvalidStoresError(problems)
      const rows = stores.map(plainStore)
      await guardQuota(() => db.transaction('rw', db.stores, () => db.stores.bulkPut(rows)))
      return rows.length
    },

    async remove(code: string): Promise<void> {
      await db.stores.delete(code)
    },

    /**
     * Deletes a store that has no evaluation and no corrective action (checked in the same
     * transaction as the delete); refused with StoreInUseError otherwise. Its certification
     * entries, if any, go with it.
     */
    async deleteUnused(code: string): Promise<void> {
      await db.transaction(
        'rw',
        [db.stores, db.evaluations, db.actions, db.certification],
        async () => {
          const evaluations = await db.evaluations.where('storeCode').equals(code).count()
          const actions = await db.actions.where('storeCode').equals(code).count()
          if (evaluations > 0 || actions > 0) throw new StoreInUseError(code, evaluations, actions)
          await db.certification.where('storeCode').equals(code).delete()
          await db.stores.delete(code)
        },
      )
    },

    /** Closes a store from a day (`YYYY-MM-DD`) or, with null, opens it again. */
    async setClosed(code: string, day: string | null): Promise<Store> {
      return guardQuota(() =>
        db.transaction('rw', db.stores, async () => {
          const s = await db.stores.get(code)
          if (!s) throw new Error(`no store ${code}`)
          const next: Store = { ...s }
          if (day === null) delete next.closedOn
          else next.closedOn = day
          await db.stores.put(next)
          return next
        }),
      )
    },

    all(): Promise<Store[]> {
      return db.stores.orderBy('code').toArray()
    },

    async provinces(): Promise<string[]> {
      return (await db.stores.orderBy('province').uniqueKeys()) as string[]
    },

    async cities(province: string): Promise<string[]> {
      const keys = await db.stores
        .where('[province+city]')
        .between([province, ''], [province, '\uffff'], true, true)
        .uniqueKeys()
      return (keys as unknown as [string, string][]).map((k) => k[1])
    },

    listByProvince(province: string): Promise<Store[]> {
      return db.stores.where('province').equals(province).sortBy('code')
    },

    listByCity(province: string, city: string): Promise<Store[]> {
      return db.stores.where('[province+city]').equals([province, city]).sortBy('code')
    },

    /**
     * Code prefix matches first (the index), then names containing the text, up to `limit`.
     * Case-insensitive for Latin letters in codes.
     */
    async search(query: string, limit = 50): Promise<Store[]> {
      const q = query.trim()
      if (!q) return []
      const byCode = await db.stores.where('code').startsWithIgnoreCase(q).limit(limit).toArray()
      if (byCode.length >= limit) return byCode
      const seen = new Set(byCode.map((s) => s.code))
      const lower = q.toLowerCase()
      const byName = await db.stores
        .filter((s) => !seen.has(s.code) && s.name.toLowerCase().includes(lower))
        .limit(limit - byCode.length)
        .toArray()
      return [...byCode, ...byName]
    },
  }
}

export type StoresRepo = ReturnType<typeof createStoresRepo>

/**
 * Ranking packs: a per-period copy of what the rankings screen reads (the store register and
 * the period's `results` rows) kept as ONE IndexedDB record. Chromium spends ~12 µs per record
 * whatever its size, so reading 20,000 stores and 20,500 results rows one by one took
 * ~0.7 s, and the same data as one record ~0.15 s (tests/bench/rankings.bench.ts).
 *
 * A pack is a cache, never the truth, and a stale one must never be served. Validity rests on a
 * data stamp: a random token that changes whenever anything writes to `stores` or `results`,
 * through any Dexie call in any tab (a DBCore middleware sets a new token before the write
 * goes down, see `watchDataStamp`). A pack is stored under the stamp that was current before
 * its data was read, and looked up under the current stamp, so:
 * - a write after the pack was built changed the stamp: the lookup misses;
 * - a write between reading the stamp and reading the data is in the data (its transaction
 *   was created before our read transaction, which IndexedDB orders after it) and the stamp
 *   has moved on: the pack is only ever a miss, never wrong;
 * - the stamp lives in localStorage (synchronous, shared by the tabs, written before the
 *   IndexedDB write starts): if it is lost, a new one is drawn and every pack misses; where
 *   localStorage cannot be used, packs are switched off.
 * The schema version is part of the stamp, so an upgrade invalidates every pack too.
 *
 * Packs are written only for registers large enough to gain from them, after the screen has
 * rendered, and a failure to write one (storage full) is ignored: the screen already has its
 * data. Packs do not travel in bundles or backups.
 */
import type { Dexie, DBCore, DBCoreTable } from 'dexie'
import type { Period } from '@/domain/types'
import type { AppDatabase, RankingPackRow } from './rows'
import { newId } from './util'

export type { RankingPackRow } from './rows'

/** The tables a pack copies: a write to either invalidates every pack. */
const WATCHED = new Set(['stores', 'results'])

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null
  } catch {
    return null
  }
}

const stampKey = (dbName: string) => `dataStamp:${dbName}`

/**
 * Draws a new data stamp for the database: every pack built before now stops matching. If it
 * cannot be stored, the stamp is removed, which switches packs off until one can be.
 */
export function touchDataStamp(dbName: string): void {
  const ls = storage()
  if (!ls) return
  try {
    ls.setItem(stampKey(dbName), newId())
  } catch {
    try {
      ls.removeItem(stampKey(dbName))
    } catch {
      // Nothing more to do: with no readable stamp, currentDataStamp() gives null.
    }
  }
}

/**
 * The database's current data stamp (with its schema version), drawing one if there is none;
 * null where no stamp can be kept (no localStorage: then packs are neither read nor written,
 * since the tabs could not tell each other about their writes).
 */
export function currentDataStamp(db: Dexie): string | null {
  const ls = storage()
  if (!ls) return null
  try {
    let stamp = ls.getItem(stampKey(db.name))
    if (stamp === null) {
      touchDataStamp(db.name)
      stamp = ls.getItem(stampKey(db.name))
    }
    return stamp === null ? null : `${db.verno}:${stamp}`
  } catch {
    return null
  }
}

/** Registers the middleware that moves the data stamp before any write to a watched table. */
export function watchDataStamp(db: Dexie): void {
  db.use({
    stack: 'dbcore',
    name: 'ranking-pack-stamp',
    create: (down: DBCore): DBCore => ({
      ...down,
      table(name: string): DBCoreTable {
        const table = down.table(name)
        if (!WATCHED.has(name)) return table
        return {
          ...table,
          mutate(req) {
            touchDataStamp(db.name)
            return table.mutate(req)
          },
        }
      },
    }),
  })
}

/** The pack for the period under the current stamp, or undefined (then read the tables). */
export async function readPack(
  db: AppDatabase,
  period: Period,
  stamp: string,
): Promise<RankingPackRow | undefined> {
  try {
    return await db.rankingPacks.get([period, stamp])
  } catch {
    return undefined // a cache that cannot be read is a miss
  }
}

/**
 * Stores a pack (unless the data has changed since it was read) and drops every pack under
 * another stamp: they can never match again. Errors are swallowed (false): a pack is an
 * optimisation, and the caller has already used the data.
 */
export async function writePack(db: AppDatabase, pack: RankingPackRow): Promise<boolean> {
  try {
    return await db.transaction('rw', db.rankingPacks, async () => {
      const keys = await db.rankingPacks.toCollection().primaryKeys()
      const current = currentDataStamp(db)
      await db.rankingPacks.bulkDelete(keys.filter(([, stamp]) => stamp !== current))
      if (pack.stamp !== current) return false
      await db.rankingPacks.put(pack)
      return true
    })
  } catch {
    return false
  }
}

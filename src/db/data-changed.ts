/**
 * The one "data changed" signal: screens that keep data read from the database (the rankings,
 * certification and charts through the rankings store) subscribe here and re-read when a write
 * they depend on has committed, in this tab or in another one.
 *
 * It rides on Dexie's own change events (`Dexie.on('storagemutated')`): Dexie fires them after
 * a read-write transaction commits, with the tables (and key ranges) it changed, and forwards
 * them to the other tabs of the origin through a BroadcastChannel. So every write — a submit,
 * an import, a certification step, a send-back, a restore, a sync pull — reaches the listeners
 * however it was made, and a transaction that aborted never does. Deleting the database
 * (a restore) signals every table.
 *
 * Bursts are coalesced: a listener runs once, `delay` ms after the last change of a burst (a
 * bundle import commits several transactions), never during one.
 */
import { Dexie } from 'dexie'

type Parts = Record<string, unknown>

/**
 * Calls `listener` after any committed write to one of `tables` of the database `dbName`.
 * Returns the unsubscribe function.
 */
export function onDataChanged(
  dbName: () => string,
  tables: readonly string[],
  listener: () => void,
  delay = 60,
): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null
  const fire = () => {
    timer = null
    listener()
  }
  const handler = (parts: Parts) => {
    const prefixes = tables.map((t) => `idb://${dbName()}/${t}/`)
    if (!Object.keys(parts).some((k) => prefixes.some((p) => k.startsWith(p)))) return
    if (timer !== null) clearTimeout(timer)
    timer = setTimeout(fire, delay)
  }
  Dexie.on('storagemutated', handler)
  return () => {
    if (timer !== null) clearTimeout(timer)
    Dexie.on('storagemutated').unsubscribe(handler)
  }
}

/** The tables the rankings, certification and charts read: a write to one of them is news. */
export const RANKING_TABLES = ['stores', 'results', 'certification'] as const

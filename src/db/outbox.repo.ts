/**
 * The outbox: one row per record changed on this device and not yet acknowledged by the server.
 * `enqueue` is called INSIDE the transaction that makes the change (its scope must include
 * `db.outbox`), so a crash can never leave a change saved but not queued, or queued but not
 * saved. A row names the record, not a copy of it: a push sends the record as it is then.
 *
 * Acknowledging is compare-and-delete on `stamp`: a change made while a push was in flight gives
 * the row a new stamp, so the acknowledgement of the older push leaves it queued.
 */
import type { AppDatabase, OutboxKind, OutboxRow } from './rows'
import { newId } from './util'

export type { OutboxKind, OutboxRow, SyncVersionRow } from './rows'

export const outboxKey = (kind: string, id: string) => `${kind}:${id}`

let lastOrder = 0
function nextOrder(): number {
  lastOrder = Math.max(Date.now(), lastOrder + 1)
  return lastOrder
}

/**
 * The outbox-cost bench (tests/bench/outbox.bench.ts) times one answer saved with and without
 * its outbox entry in the same page: only a bench build (VITE_BENCH_RUBRICS=1) lets the page
 * switch the entry off; in every other build this is constant false and the branch is removed.
 */
export function benchSkipsOutbox(): boolean {
  return (
    import.meta.env.VITE_BENCH_RUBRICS === '1' &&
    (globalThis as { __benchNoOutbox?: boolean }).__benchNoOutbox === true
  )
}

/** Queues a change; call inside a rw transaction over the changed table(s) and `db.outbox`. */
export async function enqueue(
  db: AppDatabase,
  kind: OutboxKind,
  id: string,
  op: 'put' | 'delete' = 'put',
): Promise<void> {
  if (benchSkipsOutbox()) return
  await db.outbox.put(outboxEntry(await db.outbox.get(outboxKey(kind, id)), kind, id, op))
}

/**
 * The outbox row for a change, given the row already queued for the record (if any): a new
 * stamp, and the place in the queue it first took. For a caller that reads the queued row
 * alongside its own reads, so the write takes fewer round trips (the answer save).
 */
export function outboxEntry(
  prev: OutboxRow | undefined,
  kind: OutboxKind,
  id: string,
  op: 'put' | 'delete' = 'put',
): OutboxRow {
  const key = outboxKey(kind, id)
  return { key, kind, id, op, stamp: newId(), order: prev?.order ?? nextOrder() }
}

export function createOutboxRepo(db: AppDatabase) {
  return {
    /** Everything waiting, in the order it was first queued. */
    list(): Promise<OutboxRow[]> {
      return db.outbox.orderBy('order').toArray()
    },

    count(): Promise<number> {
      return db.outbox.count()
    },

    /** Removes rows the server acknowledged, unless they changed since (stamp differs). */
    acknowledge(acks: readonly { key: string; stamp: string; version?: number | null }[]) {
      return db.transaction('rw', db.outbox, db.syncVersions, async () => {
        for (const a of acks) {
          const row = await db.outbox.get(a.key)
          if (row?.stamp === a.stamp) await db.outbox.delete(a.key)
          if (typeof a.version === 'number')
            await db.syncVersions.put({ key: a.key, version: a.version })
        }
      })
    },

    /** Marks rows the server refused or disputed; they stay until the user acts. */
    markProblem(key: string, stamp: string, problem: NonNullable<OutboxRow['problem']>) {
      return db.transaction('rw', db.outbox, async () => {
        const row = await db.outbox.get(key)
        if (row?.stamp === stamp) await db.outbox.update(key, { problem })
      })
    },

    /** Clears every problem mark (the user asked to try again); held records stay held. */
    async clearProblems(): Promise<void> {
      await db.outbox.toCollection().modify((r: OutboxRow) => {
        if (r.problem?.code !== 'held') delete r.problem
      })
    },

    async versionOf(kind: string, id: string): Promise<number | null> {
      return (await db.syncVersions.get(outboxKey(kind, id)))?.version ?? null
    },
  }
}

export type OutboxRepo = ReturnType<typeof createOutboxRepo>

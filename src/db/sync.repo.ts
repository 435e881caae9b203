/**
 * The device's side of sync, in IndexedDB: the session (server, token, account), the pull
 * cursor, the push sequence and the push in flight, building a push from the outbox, applying
 * the server's answers and pulled records, and removing the account's data at sign-out.
 *
 * A push is written down (meta.syncInflight) BEFORE it is sent and resent unchanged until the
 * server answers it: the server keeps each (device, seq)'s answer, so a push cut off by a crash
 * has exactly one effect, and the outbox rows it covers are acknowledged by their stamps.
 */
import type { Change, ChangeResult, PulledRecordData } from '@/protocol'
import type { CorrectiveAction } from '@/domain/records'
import type { Store } from '@/domain/types'
import type {
  AppDatabase,
  EvaluationRow,
  InflightPush,
  MetaKey,
  MetaValues,
  ServerSession,
  WantedPhoto,
} from './rows'
import { createOutboxRepo, outboxKey } from './outbox.repo'
import type { OutboxRow } from './rows'
import { syncResults } from './results'

export type { InflightPush, ServerSession, WantedPhoto } from './rows'

const SHA = /^[0-9a-f]{64}$/

function evaluationRecord(e: EvaluationRow): Change & { kind: 'evaluation'; op: 'put' } {
  return {
    kind: 'evaluation',
    op: 'put',
    baseVersion: null,
    record: {
      id: e.id,
      storeCode: e.storeCode,
      period: e.period,
      rubricId: e.rubricId,
      rubricVersion: e.rubricVersion,
      status: e.status,
      answers: e.answers,
      revision: e.revision,
      revisionOf: e.revisionOf,
      createdAt: e.createdAt,
      submittedAt: e.submittedAt,
      reviewer: e.reviewer,
      evaluatorName: e.evaluatorName,
      ...(e.crossBorderZone !== undefined ? { crossBorderZone: e.crossBorderZone } : {}),
      ...(e.result ? { result: { final: e.result.final, grade: e.result.grade } } : {}),
    },
  }
}

function actionRecord(a: CorrectiveAction): Change {
  return {
    kind: 'action',
    op: 'put',
    baseVersion: null,
    record: {
      id: a.id,
      storeCode: a.storeCode,
      evaluationId: a.evaluationId,
      itemId: a.itemId,
      what: a.what,
      who: a.who,
      due: a.due,
      status: a.status,
      createdAt: a.createdAt,
      doneAt: a.doneAt,
      doneEvaluationId: a.doneEvaluationId,
      evidenceNote: a.evidenceNote,
      evidencePhotoIds: [...a.evidencePhotoIds],
    },
  }
}

export function createSyncRepo(db: AppDatabase) {
  const outbox = createOutboxRepo(db)
  const get = async <K extends MetaKey>(key: K) =>
    (await db.meta.get(key))?.value as MetaValues[K] | undefined
  const set = <K extends MetaKey>(key: K, value: MetaValues[K]) => db.meta.put({ key, value })

  return {
    session: () => get('serverSession'),
    setSession: (s: ServerSession) => set('serverSession', s),
    cursor: async () => (await get('syncCursor')) ?? 0,
    setCursor: (c: number) => set('syncCursor', c),
    inflight: () => get('syncInflight'),
    wantedPhotos: async () => (await get('syncWantedPhotos')) ?? [],

    /**
     * The next push: the push in flight if there is one (resent unchanged), else up to `limit`
     * records from the outbox as they are now, written down before it is sent. Photos and rows
     * marked with a problem are not in it.
     */
    nextPush(limit = 100): Promise<InflightPush | null> {
      return db.transaction(
        'rw',
        [db.meta, db.outbox, db.evaluations, db.actions, db.syncVersions],
        async () => {
          const pending = await get('syncInflight')
          if (pending) return pending
          const rows = (await db.outbox.orderBy('order').toArray()).filter(
            (r) => r.kind !== 'photo' && !r.problem,
          )
          if (rows.length === 0) return null
          const changes: Change[] = []
          const covers: InflightPush['covers'] = []
          for (const r of rows.slice(0, limit)) {
            const baseVersion = (await db.syncVersions.get(r.key))?.version ?? null
            let c: Change | null = null
            if (r.kind === 'evaluation') {
              const e = await db.evaluations.get(r.id)
              c = e
                ? { ...evaluationRecord(e), baseVersion }
                : { kind: 'evaluation', op: 'delete', baseVersion, id: r.id }
            } else if (r.kind === 'action') {
              const a = await db.actions.get(r.id)
              if (a) c = { ...actionRecord(a), baseVersion }
            }
            if (c) changes.push(c)
            covers.push({ key: r.key, stamp: r.stamp })
          }
          if (changes.length === 0) {
            await db.outbox.bulkDelete(covers.map((c) => c.key))
            return null
          }
          const seq = ((await get('syncSeq')) ?? 0) + 1
          const push: InflightPush = { seq, changes, covers }
          await set('syncSeq', seq)
          await set('syncInflight', push)
          return push
        },
      )
    },

    /** The server answered `push`: acknowledged rows leave the outbox, disputed ones are marked. */
    settlePush(push: InflightPush, results: readonly ChangeResult[]): Promise<void> {
      return db.transaction('rw', [db.meta, db.outbox, db.syncVersions], async () => {
        const stampOf = new Map(push.covers.map((c) => [c.key, c.stamp]))
        for (const r of results) {
          const key = outboxKey(r.kind, r.id)
          const stamp = stampOf.get(key)
          stampOf.delete(key)
          if (stamp === undefined) continue
          if (r.outcome === 'applied' || r.outcome === 'same') {
            const row = await db.outbox.get(key)
            if (row?.stamp === stamp) await db.outbox.delete(key)
            if (typeof r.version === 'number')
              await db.syncVersions.put({ key, version: r.version })
          } else {
            const row = await db.outbox.get(key)
            if (row?.stamp === stamp)
              await db.outbox.update(key, {
                problem: { code: r.outcome, message: r.outcome, server: r.server },
              })
            if (typeof r.version === 'number')
              await db.syncVersions.put({ key, version: r.version })
          }
        }
        // Rows the push covered with nothing to send (a record gone before it was read).
        for (const [key, stamp] of stampOf) {
          const row = await db.outbox.get(key)
          if (row?.stamp === stamp) await db.outbox.delete(key)
        }
        await db.meta.delete('syncInflight')
      })
    },

    /** The whole push was refused: every row it covers is marked, nothing is lost. */
    refusePush(push: InflightPush, code: string, message: string): Promise<void> {
      return db.transaction('rw', [db.meta, db.outbox], async () => {
        for (const c of push.covers) {
          const row = await db.outbox.get(c.key)
          if (row) await db.outbox.update(c.key, { problem: { code, message } })
        }
        await db.meta.delete('syncInflight')
      })
    },

    /** Drops the push in flight without touching the outbox (it will be rebuilt). */
    async dropInflight(lastSeq?: number): Promise<void> {
      await db.transaction('rw', db.meta, async () => {
        await db.meta.delete('syncInflight')
        if (lastSeq !== undefined) {
          const seq = (await get('syncSeq')) ?? 0
          await set('syncSeq', Math.max(seq, lastSeq))
        }
      })
    },

    /**
     * Writes one page of pulled records and the new cursor in one transaction. A record with a
     * change of this device still waiting in the outbox is left as it is (the push settles it).
     */
    applyPulled(records: readonly PulledRecordData[], cursor: number): Promise<number> {
      return db.transaction(
        'rw',
        [
          db.meta,
          db.outbox,
          db.syncVersions,
          db.evaluations,
          db.results,
          db.actions,
          db.stores,
          db.photos,
        ],
        async () => {
          let applied = 0
          const locked: EvaluationRow[] = []
          const wanted = (await get('syncWantedPhotos')) ?? []
          for (const r of records) {
            const key = outboxKey(r.kind, r.id)
            if (r.kind !== 'evaluation' && r.kind !== 'action' && r.kind !== 'store') continue
            await db.syncVersions.put({ key, version: r.version })
            if (await db.outbox.get(key)) continue
            applied++
            if (r.kind === 'evaluation') {
              const local = await db.evaluations.get(r.id)
              if (r.deleted || !r.data) {
                if (local) await db.evaluations.delete(r.id)
                continue
              }
              const row = {
                ...(r.data as EvaluationRow),
                // Open forms on this device notice the change (their editSeq is stale).
                editSeq: (local?.editSeq ?? 0) + 1,
              }
              await db.evaluations.put(row)
              if (row.status !== 'draft') locked.push(row)
              for (const a of Object.values(row.answers))
                for (const p of a.photoIds ?? [])
                  if (SHA.test(p) && !wanted.some((w) => w.id === p) && !(await db.photos.get(p)))
                    wanted.push({ id: p, evaluationId: row.id, itemId: a.itemId })
            } else if (r.kind === 'action') {
              if (r.deleted || !r.data) await db.actions.delete(r.id)
              else await db.actions.put(r.data as CorrectiveAction)
            } else if (r.kind === 'store') {
              if (r.deleted || !r.data) await db.stores.delete(r.id)
              else await db.stores.put(r.data as Store)
            }
          }
          if (locked.length) await syncResults(db, locked)
          await set('syncWantedPhotos', wanted)
          await set('syncCursor', cursor)
          return applied
        },
      )
    },

    /** Stores a photo fetched from the server (the bytes serve as their own thumbnail). */
    storeFetchedPhoto(w: WantedPhoto, bytes: ArrayBuffer | null, mime: string): Promise<void> {
      return db.transaction('rw', [db.meta, db.photos], async () => {
        if (bytes && !(await db.photos.get(w.id)))
          await db.photos.add({
            id: w.id,
            evaluationId: w.evaluationId,
            itemId: w.itemId,
            bytes,
            mime,
            width: 0,
            height: 0,
            thumbBytes: bytes,
            thumbMime: mime,
            capturedAt: '',
          })
        const wanted = (await get('syncWantedPhotos')) ?? []
        await set(
          'syncWantedPhotos',
          wanted.filter((x) => x.id !== w.id),
        )
      })
    },

    /** Photos waiting to upload, oldest first. */
    async photosToUpload(): Promise<OutboxRow[]> {
      return (await outbox.list()).filter((r) => r.kind === 'photo' && !r.problem)
    },

    /**
     * Sign-out: the account's data leaves the device (records, photos, the outbox, the sync
     * state). The device's identity (its id, key and push sequence) stays: the server expects
     * its sequence to keep increasing.
     */
    removeAccountData(): Promise<void> {
      const tables = [
        db.stores,
        db.evaluations,
        db.photos,
        db.actions,
        db.certification,
        db.results,
        db.rankingPacks,
        db.outbox,
        db.syncVersions,
      ]
      return db.transaction('rw', [...tables, db.meta], async () => {
        for (const t of tables) await t.clear()
        const keys: MetaKey[] = [
          'serverSession',
          'syncCursor',
          'syncInflight',
          'syncWantedPhotos',
          'exportedEvaluations',
          'demoLoaded',
          'importedRubrics',
        ]
        await db.meta.bulkDelete(keys)
      })
    },
  }
}

export type SyncRepo = ReturnType<typeof createSyncRepo>

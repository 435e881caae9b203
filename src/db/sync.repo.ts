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
import { visitPlan, type VisitPlan } from '@/protocol/visits'
import { canonical } from '@/domain/merge'
import type { CertificationEntry, CorrectiveAction, Evaluation } from '@/domain/records'
import type { Store } from '@/domain/types'
import type {
  AppDatabase,
  EvaluationRow,
  InflightPush,
  MetaKey,
  MetaValues,
  ServerFile,
  ServerSession,
  WantedPhoto,
} from './rows'
import { createOutboxRepo, enqueue, outboxKey } from './outbox.repo'
import { newId, systemClock, type Clock } from './util'
import { setAsideFor } from '@/domain/forks'
import type { OutboxRow } from './rows'
import { syncResults } from './results'

export type { InflightPush, ServerFile, ServerSession, WantedPhoto } from './rows'

const RECORD_KINDS = new Set(['evaluation', 'action', 'store', 'certification'])
/** Outcomes where the server kept its own copy of a record (it comes back with the answer). */
const DISPUTED = new Set(['conflict', 'older', 'locked'])

/** A change the server refused, and why (its own words, e.g. outside the account's units). */
export interface Refusal {
  key: string
  kind: string
  id: string
  code: string
  message: string
  storeCode: string | null
  period: string | null
  /** A photo's evaluation. */
  evaluationId: string | null
}

/** A record the server disputes: this device's copy beside the server's (null: deleted there). */
export type Dispute =
  | {
      kind: 'evaluation'
      id: string
      key: string
      code: string
      local?: EvaluationRow
      server: Evaluation | null
      /** The server has another revision of the same base (`server`, another id). */
      fork?: boolean
      /** The store's name, for the conflict screen. */
      storeName?: string
    }
  | {
      kind: 'action'
      id: string
      key: string
      code: string
      local?: CorrectiveAction
      server: CorrectiveAction | null
    }

const SHA = /^[0-9a-f]{64}$/

/** Set by the server on every write; not a change of the evaluation itself. */
const SERVER_STAMPS = new Set(['updatedAt', 'editSeq', 'result', 'submittedAt'])

/** Whether a pulled evaluation says nothing this device's copy does not already say. */
function sameAsLocal(local: EvaluationRow, incoming: EvaluationRow): boolean {
  const a = local as unknown as Record<string, unknown>
  const b = incoming as unknown as Record<string, unknown>
  if (local.status !== incoming.status) return false
  // The server sends signatures only when there are some: a local one it lacks is a change.
  if (canonical(local.signatures ?? {}) !== canonical(incoming.signatures ?? {})) return false
  return Object.keys(b).every((k) => SERVER_STAMPS.has(k) || canonical(a[k]) === canonical(b[k]))
}

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
      ...(e.originDevice !== undefined ? { originDevice: e.originDevice } : {}),
      ...(e.signatures && Object.keys(e.signatures).length > 0 ? { signatures: e.signatures } : {}),
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

export function createSyncRepo(db: AppDatabase, clock: Clock = systemClock) {
  const at = () => clock().toISOString()
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
    /** The rubric and policy files the server sent, in the order it published them. */
    /** The visit plans pulled from the server (issue 13), as the server sent them. */
    visits: async () => (await get('serverVisits')) ?? [],
    serverFiles: async () =>
      ((await get('serverFiles')) ?? []).slice().sort((a, b) => a.version - b.version),

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
            // The server's copy and version travel with the mark; the base version stays what
            // this device last saw, so a later local edit is disputed again, never silently
            // pushed over the other device's change (resolveDispute takes the version).
            const row = await db.outbox.get(key)
            if (row?.stamp === stamp)
              await db.outbox.update(key, {
                problem: {
                  code: r.outcome,
                  message: r.reason ?? r.outcome,
                  server: r.server,
                  ...(typeof r.version === 'number' ? { version: r.version } : {}),
                },
              })
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
          db.certification,
        ],
        async () => {
          let applied = 0
          const locked: EvaluationRow[] = []
          const wanted = (await get('syncWantedPhotos')) ?? []
          let files: ServerFile[] | null = null
          let visits: Map<string, VisitPlan> | null = null
          for (const r of records) {
            const key = outboxKey(r.kind, r.id)
            if (r.kind === 'rubric' || r.kind === 'policy') {
              files ??= (await get('serverFiles')) ?? []
              files = files.filter((f) => !(f.kind === r.kind && f.id === r.id))
              const d = r.data as { text?: unknown; unit?: unknown } | null
              if (!r.deleted && d && typeof d.text === 'string')
                files.push({
                  id: r.id,
                  kind: r.kind,
                  unit: typeof r.unit === 'string' ? r.unit : 'group',
                  text: d.text,
                  version: r.version,
                })
              applied++
              continue
            }
            if (r.kind === 'visit') {
              visits ??= new Map(((await get('serverVisits')) ?? []).map((v) => [v.id, v]))
              const v = r.deleted ? null : visitPlan.safeParse(r.data)
              if (v?.success) visits.set(r.id, v.data)
              else visits.delete(r.id)
              applied++
              continue
            }
            if (!RECORD_KINDS.has(r.kind)) continue
            await db.syncVersions.put({ key, version: r.version })
            if (await db.outbox.get(key)) continue
            applied++
            if (r.kind === 'evaluation') {
              const local = await db.evaluations.get(r.id)
              if (r.deleted || !r.data) {
                if (local) await db.evaluations.delete(r.id)
                continue
              }
              const incoming = r.data as EvaluationRow
              // This device's own change coming back (only the server's stamps differ): an
              // open form keeps its editSeq, so its next save is not refused as stale.
              if (local && sameAsLocal(local, incoming)) {
                applied--
                continue
              }
              const row = {
                // Fields this device keeps that the server does not carry stay.
                ...local,
                ...incoming,
                // Open forms on this device notice the change (their editSeq is stale).
                editSeq: (local?.editSeq ?? 0) + 1,
              }
              // The server carries signatures: none in its copy means none (removed there).
              if (!incoming.signatures) delete row.signatures
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
            } else if (r.kind === 'certification') {
              if (r.deleted || !r.data) await db.certification.delete(r.id)
              else await db.certification.put(r.data as CertificationEntry)
            }
          }
          if (files) await set('serverFiles', files)
          if (visits) await set('serverVisits', [...visits.values()])
          if (locked.length) await syncResults(db, locked)
          await set('syncWantedPhotos', wanted)
          await set('syncCursor', cursor)
          return applied
        },
      )
    },

    /**
     * Records the server disputes (the same evaluation or action changed elsewhere), each with
     * this device's copy and the server's, for the side-by-side screen.
     */
    async disputes(): Promise<Dispute[]> {
      const out: Dispute[] = []
      for (const row of await db.outbox.orderBy('order').toArray()) {
        const p = row.problem
        if (!p || !DISPUTED.has(p.code)) continue
        if (row.kind === 'evaluation') {
          const local = await db.evaluations.get(row.id)
          const server = (p.server ?? null) as Evaluation | null
          const code = local?.storeCode ?? server?.storeCode
          const store = code ? await db.stores.get(code) : undefined
          out.push({
            kind: 'evaluation',
            id: row.id,
            key: row.key,
            code: p.code,
            local,
            server,
            ...(p.message === 'forked' && server && server.id !== row.id ? { fork: true } : {}),
            ...(store ? { storeName: store.name } : {}),
          })
        } else if (row.kind === 'action') {
          const local = await db.actions.get(row.id)
          out.push({
            kind: 'action',
            id: row.id,
            key: row.key,
            code: p.code,
            local,
            server: (p.server ?? null) as CorrectiveAction | null,
          })
        }
      }
      return out
    },

    /** Records the server refused, with its reason; they stay on the device. */
    async refusals(): Promise<Refusal[]> {
      const out: Refusal[] = []
      for (const row of await db.outbox.orderBy('order').toArray()) {
        const p = row.problem
        if (!p || p.code === 'held' || DISPUTED.has(p.code)) continue
        const rec =
          row.kind === 'evaluation'
            ? await db.evaluations.get(row.id)
            : row.kind === 'action'
              ? await db.actions.get(row.id)
              : undefined
        const photo = row.kind === 'photo' ? await db.photos.get(row.id) : undefined
        out.push({
          key: row.key,
          kind: row.kind,
          id: row.id,
          code: p.code,
          message: p.message,
          storeCode: rec?.storeCode ?? null,
          period: rec && 'period' in rec ? rec.period : null,
          evaluationId: photo?.evaluationId ?? null,
        })
      }
      return out
    },

    /**
     * The user's choice for a disputed record, in one transaction. `server`: the server's copy
     * replaces this device's (or its deletion removes it) and nothing is sent. `local`: this
     * device's copy is sent again as a change of the server's version, so the server keeps it.
     * A locked record (submitted on the server) can only take the server's copy.
     */
    resolveDispute(key: string, choice: 'local' | 'server'): Promise<void> {
      return db.transaction(
        'rw',
        [db.outbox, db.syncVersions, db.evaluations, db.results, db.actions],
        async () => {
          const row = await db.outbox.get(key)
          const p = row?.problem
          if (!row || !p || !DISPUTED.has(p.code)) return
          const server = p.server as EvaluationRow | null | undefined
          if (
            row.kind === 'evaluation' &&
            p.message === 'forked' &&
            server &&
            server.id !== row.id
          ) {
            // A second revision of a base the server has a revision of: only the server's can
            // stand. This device's revision is kept, set aside for it (history, not counted,
            // not sent); the server's comes as it is (domain/forks.ts).
            const local = await db.evaluations.get(row.id)
            const rows: EvaluationRow[] = []
            if (local)
              rows.push({ ...setAsideFor(local, server.id, at()), editSeq: local.editSeq + 1 })
            if (!(await db.evaluations.get(server.id))) rows.push({ ...server, editSeq: 0 })
            await db.evaluations.bulkPut(rows)
            await syncResults(db, rows)
            await db.outbox.delete(key)
            return
          }
          if (choice === 'local' && p.code !== 'locked') {
            if (typeof p.version === 'number')
              await db.syncVersions.put({ key, version: p.version })
            await db.outbox.update(key, { problem: undefined, stamp: newId() })
            return
          }
          if (typeof p.version === 'number') await db.syncVersions.put({ key, version: p.version })
          if (row.kind === 'evaluation') {
            const local = await db.evaluations.get(row.id)
            if (!server) await db.evaluations.delete(row.id)
            else {
              const next = { ...server, editSeq: (local?.editSeq ?? 0) + 1 }
              await db.evaluations.put(next)
              await syncResults(db, [next])
            }
          } else if (row.kind === 'action') {
            const server = p.server as CorrectiveAction | null | undefined
            if (!server) await db.actions.delete(row.id)
            else await db.actions.put(server)
          }
          await db.outbox.delete(key)
        },
      )
    },

    /**
     * At connection: every evaluation and corrective action the server has never seen (made
     * before the device was connected) is held in the outbox, with its photos, until the user
     * chooses to upload it. Returns how many records are held.
     */
    holdLocal(): Promise<number> {
      return db.transaction(
        'rw',
        [db.outbox, db.syncVersions, db.evaluations, db.actions, db.photos],
        async () => {
          let n = 0
          const held = { code: 'held', message: 'held' }
          const hold = async (kind: 'evaluation' | 'action' | 'photo', id: string) => {
            const key = outboxKey(kind, id)
            if (await db.syncVersions.get(key)) return false
            if (!(await db.outbox.get(key))) await enqueue(db, kind, id)
            await db.outbox.update(key, { problem: held })
            return true
          }
          for (const e of await db.evaluations.toArray()) {
            if (!(await hold('evaluation', e.id))) continue
            n++
            for (const ph of await db.photos.where('evaluationId').equals(e.id).toArray())
              if (SHA.test(ph.id)) await hold('photo', ph.id)
          }
          for (const a of await db.actions.toArray()) if (await hold('action', a.id)) n++
          return n
        },
      )
    },

    /** The user chose to upload what was held: it joins the next push. */
    async releaseHeld(): Promise<void> {
      await db.outbox.toCollection().modify((r: OutboxRow) => {
        if (r.problem?.code === 'held') delete r.problem
      })
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
          'serverFiles',
          'serverVisits',
        ]
        await db.meta.bulkDelete(keys)
      })
    },
  }
}

export type SyncRepo = ReturnType<typeof createSyncRepo>

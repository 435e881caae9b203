/**
 * Corrective actions: raised from items that lost points, shown on the store's page while
 * open, checked off with evidence at a later visit.
 */
import type { CorrectiveAction } from '@/domain/records'
import type { AppDatabase } from './rows'
import { guardQuota, NotFoundError } from './errors'
import type { EncodedPhoto } from './photos.repo'
import { enqueue } from './outbox.repo'
import { newId, plain, systemClock, type Clock } from './util'

export interface NewAction {
  itemId: string
  what: string
  who: string
  /** `YYYY-MM-DD` */
  due: string
}

export interface CheckOff {
  note: string
  photos?: EncodedPhoto[]
  /** The visit (evaluation) at which it was checked, if any. */
  evaluationId?: string
}

const DATE = /^\d{4}-\d{2}-\d{2}$/

export function createActionsRepo(db: AppDatabase, clock: Clock = systemClock) {
  const now = () => clock().toISOString()

  return {
    get(id: string): Promise<CorrectiveAction | undefined> {
      return db.actions.get(id)
    },

    /**
     * One action per chosen item of a submitted evaluation. An item must have lost points
     * in the stored result (checklists, which have no result, accept any item of the answers).
     */
    createFromLostItems(
      evaluationId: string,
      items: readonly NewAction[],
    ): Promise<CorrectiveAction[]> {
      return guardQuota(() =>
        db.transaction('rw', db.evaluations, db.actions, db.outbox, async () => {
          const ev = await db.evaluations.get(evaluationId)
          if (!ev) throw new NotFoundError('evaluation', evaluationId)
          const lost = ev.result
            ? new Set(ev.result.lost.map((l) => l.itemId))
            : new Set(Object.keys(ev.answers))
          const at = now()
          const rows = items.map((it): CorrectiveAction => {
            if (!lost.has(it.itemId))
              throw new Error(`item ${it.itemId} did not lose points in ${evaluationId}`)
            if (!DATE.test(it.due)) throw new Error(`due date ${it.due} is not YYYY-MM-DD`)
            if (!it.what.trim()) throw new Error(`action for ${it.itemId} needs a description`)
            return {
              id: newId(),
              storeCode: ev.storeCode,
              evaluationId,
              itemId: it.itemId,
              what: it.what,
              who: it.who,
              due: it.due,
              status: 'open',
              createdAt: at,
              doneAt: null,
              doneEvaluationId: null,
              evidenceNote: null,
              evidencePhotoIds: [],
            }
          })
          await db.actions.bulkAdd(rows)
          for (const r of rows) await enqueue(db, 'action', r.id)
          return rows
        }),
      )
    },

    /** Open actions of a store, soonest due first. */
    countOpen(): Promise<number> {
      return db.actions.where('status').equals('open').count()
    },

    listOpenByStore(storeCode: string): Promise<CorrectiveAction[]> {
      return db.actions.where('[storeCode+status]').equals([storeCode, 'open']).sortBy('due')
    },

    listByStore(storeCode: string): Promise<CorrectiveAction[]> {
      return db.actions.where('storeCode').equals(storeCode).sortBy('due')
    },

    listByEvaluation(evaluationId: string): Promise<CorrectiveAction[]> {
      return db.actions.where('evaluationId').equals(evaluationId).toArray()
    },

    /** Marks an action done with its evidence (a note, and photos if taken), in one transaction. */
    checkOff(id: string, done: CheckOff): Promise<CorrectiveAction> {
      if (!done.note.trim() && !done.photos?.length)
        return Promise.reject(new Error('checking off needs evidence: a note or a photo'))
      return guardQuota(() =>
        db.transaction('rw', db.actions, db.photos, db.outbox, async () => {
          const action = await db.actions.get(id)
          if (!action) throw new NotFoundError('action', id)
          const photos = (done.photos ?? []).map((p) => ({
            id: newId(),
            evaluationId: done.evaluationId ?? `action:${id}`,
            itemId: action.itemId,
            ...plain(p),
          }))
          if (photos.length) await db.photos.bulkAdd(photos)
          const changes = {
            status: 'done' as const,
            doneAt: now(),
            doneEvaluationId: done.evaluationId ?? null,
            evidenceNote: done.note.trim() || null,
            evidencePhotoIds: [...action.evidencePhotoIds, ...photos.map((p) => p.id)],
          }
          await db.actions.update(id, changes)
          await enqueue(db, 'action', id)
          return { ...action, ...changes }
        }),
      )
    },

    /** Puts a checked-off action back to open (checked off by mistake); its evidence stays. */
    reopen(id: string): Promise<void> {
      return db.transaction('rw', db.actions, db.outbox, async () => {
        const n = await db.actions.update(id, {
          status: 'open',
          doneAt: null,
          doneEvaluationId: null,
        })
        if (n === 0) throw new NotFoundError('action', id)
        await enqueue(db, 'action', id)
      })
    },
  }
}

export type ActionsRepo = ReturnType<typeof createActionsRepo>

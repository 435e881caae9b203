/**
 * Evaluations: drafts saved one answer at a time, submit (locks and stores the engine's score),
 * reopen as a new revision (the old one stays as history), send-back by a reviewing level.
 *
 * Concurrency: every write bumps `editSeq` and must name the editSeq it last saw. Two tabs on the
 * same draft would otherwise silently overwrite each other's answers; the loser gets a
 * ConcurrentEditError with the fresher copy and the UI decides what to show.
 */
import type { Rubric } from '@/domain/rubric-schema'
import { signatureProblem, type Signature, type SignatureRole } from '@/domain/records'
import type { Answer, Period, Reviewer } from '@/domain/types'
import type { AppDatabase, EvaluationRow } from './rows'
import type { Policy } from '@/domain/policy'
import type { SubmitProblem } from '@/domain/submit-check'
import { cleanText } from '@/domain/text-clean'
import { ConcurrentEditError, guardQuota, LockedError, NotFoundError } from './errors'
import { benchSkipsOutbox, enqueue, outboxEntry, outboxKey } from './outbox.repo'
import { createMetaRepo } from './meta.repo'
import { syncResults } from './results'
import { newId, plainAnswer, systemClock, type Clock } from './util'

export interface NewEvaluation {
  storeCode: string
  period: Period
  reviewer: Reviewer
  evaluatorName: string
  rubricId: string
  rubricVersion: string
}

/** What a successful write tells the caller so it can name the right editSeq next time. */
export interface Saved {
  editSeq: number
  updatedAt: string
}

export type SubmitOutcome =
  { ok: true; evaluation: EvaluationRow } | { ok: false; problems: SubmitProblem[] }

/** The draft a write may change: it exists, nobody changed it since `expectedSeq`, not submitted. */
function checkWritable(
  row: EvaluationRow | undefined,
  id: string,
  expectedSeq: number,
): EvaluationRow {
  if (!row) throw new NotFoundError('evaluation', id)
  if (row.editSeq !== expectedSeq) throw new ConcurrentEditError(row, expectedSeq)
  if (row.status !== 'draft') throw new LockedError(id)
  return row
}

export function createEvaluationsRepo(db: AppDatabase, clock: Clock = systemClock) {
  const now = () => clock().toISOString()
  const meta = createMetaRepo(db)

  /** Loads a draft inside a transaction and checks it may be written at `expectedSeq`. */
  async function writableDraft(id: string, expectedSeq: number): Promise<EvaluationRow> {
    return checkWritable(await db.evaluations.get(id), id, expectedSeq)
  }

  const repo = {
    get(id: string): Promise<EvaluationRow | undefined> {
      return db.evaluations.get(id)
    },

    async create(input: NewEvaluation): Promise<EvaluationRow> {
      const originDevice = await meta.deviceId()
      const at = now()
      const row: EvaluationRow = {
        id: newId(),
        storeCode: input.storeCode,
        period: input.period,
        reviewer: input.reviewer,
        evaluatorName: cleanText(input.evaluatorName).text,
        rubricId: input.rubricId,
        rubricVersion: input.rubricVersion,
        status: 'draft',
        answers: {},
        revision: 1,
        revisionOf: null,
        createdAt: at,
        updatedAt: at,
        submittedAt: null,
        result: null,
        editSeq: 0,
        originDevice,
      }
      await guardQuota(() =>
        db.transaction('rw', db.evaluations, db.outbox, async () => {
          await db.evaluations.add(row)
          await enqueue(db, 'evaluation', row.id)
        }),
      )
      return row
    },

    /** Every evaluation of a store, newest first. */
    async listByStore(storeCode: string): Promise<EvaluationRow[]> {
      const rows = await db.evaluations.where('storeCode').equals(storeCode).toArray()
      return rows.sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    },

    listByStorePeriod(storeCode: string, period: Period): Promise<EvaluationRow[]> {
      return db.evaluations
        .where('[storeCode+period]')
        .equals([storeCode, period])
        .sortBy('createdAt')
    },

    listByPeriod(period: Period): Promise<EvaluationRow[]> {
      return db.evaluations.where('period').equals(period).toArray()
    },

    count(): Promise<number> {
      return db.evaluations.count()
    },

    /** Drafts to resume, most recently touched first. */
    async listDrafts(): Promise<EvaluationRow[]> {
      const rows = await db.evaluations.where('status').equals('draft').toArray()
      return rows.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
    },

    /** The chain of revisions ending at `id`, oldest first. */
    async history(id: string): Promise<EvaluationRow[]> {
      const chain: EvaluationRow[] = []
      let cur = await db.evaluations.get(id)
      while (cur) {
        chain.unshift(cur)
        cur = cur.revisionOf ? await db.evaluations.get(cur.revisionOf) : undefined
      }
      return chain
    },

    /** Revisions made from `id` (normally at most one). */
    revisionsOf(id: string): Promise<EvaluationRow[]> {
      return db.evaluations.where('revisionOf').equals(id).toArray()
    },

    /**
     * Saves one answer (or clears it with null) atomically. Only that answer's key path is
     * written, so a save never resends the whole form.
     */
    saveAnswer(
      id: string,
      itemId: string,
      answer: Answer | null,
      expectedSeq: number,
    ): Promise<Saved> {
      if (answer && answer.itemId !== itemId) {
        return Promise.reject(new Error(`answer for ${answer.itemId} saved under ${itemId}`))
      }
      return guardQuota(() =>
        db.transaction('rw', db.evaluations, db.outbox, async () => {
          // The most frequent write of the app: two round trips (both reads, then both writes)
          // where reading and updating one by one took five.
          const skip = benchSkipsOutbox()
          const [found, queued] = await Promise.all([
            db.evaluations.get(id),
            skip ? undefined : db.outbox.get(outboxKey('evaluation', id)),
          ])
          const row = checkWritable(found, id, expectedSeq)
          const saved: Saved = { editSeq: expectedSeq + 1, updatedAt: now() }
          const answers = { ...row.answers }
          if (answer) answers[itemId] = plainAnswer(answer)
          else delete answers[itemId]
          await Promise.all([
            db.evaluations.put({ ...row, answers, ...saved }),
            skip ? undefined : db.outbox.put(outboxEntry(queued, 'evaluation', id)),
          ])
          return saved
        }),
      )
    },

    /** Stores (or with null, removes) one signature on a draft. */
    setSignature(
      id: string,
      role: SignatureRole,
      signature: Signature | null,
      expectedSeq: number,
    ): Promise<Saved> {
      const problem = signature && signatureProblem(signature)
      if (problem === 'name')
        return Promise.reject(
          new Error('a signature needs the signer’s name (at most 100 characters)'),
        )
      if (problem === 'png')
        return Promise.reject(new Error('a signature must be a PNG of at most 150 kB'))
      return guardQuota(() =>
        db.transaction('rw', db.evaluations, db.outbox, async () => {
          const row = await writableDraft(id, expectedSeq)
          const saved: Saved = { editSeq: expectedSeq + 1, updatedAt: now() }
          const signatures = { ...(row.signatures ?? {}) }
          if (signature)
            signatures[role] = { name: signature.name.trim(), at: signature.at, png: signature.png }
          else delete signatures[role]
          await db.evaluations.update(id, { signatures, ...saved })
          await enqueue(db, 'evaluation', id)
          return saved
        }),
      )
    },

    /**
     * Records (or with null, clears) the evaluation-level answer "this store has a cross-border
     * zone" (002:L134) on a draft; it travels with the evaluation like its answers.
     */
    setCrossBorderZone(id: string, value: boolean | null, expectedSeq: number): Promise<Saved> {
      return guardQuota(() =>
        db.transaction('rw', db.evaluations, db.outbox, async () => {
          const row = await writableDraft(id, expectedSeq)
          const saved: Saved = { editSeq: expectedSeq + 1, updatedAt: now() }
          const next: EvaluationRow = { ...row, ...saved }
          if (value === null) delete next.crossBorderZone
          else next.crossBorderZone = value
          await db.evaluations.put(next)
          await enqueue(db, 'evaluation', id)
          return saved
        }),
      )
    },

    /** Changes the evaluator's name on a draft. */
    setEvaluatorName(id: string, evaluatorName: string, expectedSeq: number): Promise<Saved> {
      return guardQuota(() =>
        db.transaction('rw', db.evaluations, db.outbox, async () => {
          await writableDraft(id, expectedSeq)
          const saved: Saved = { editSeq: expectedSeq + 1, updatedAt: now() }
          await db.evaluations.update(id, { evaluatorName, ...saved })
          await enqueue(db, 'evaluation', id)
          return saved
        }),
      )
    },

    /**
     * Locks the evaluation and stores the engine's score (which names the rubric id and version).
     * Refused, with every reason, while items are unanswered, evidence is missing, answers are
     * invalid, the rubric is not the one the evaluation was started with, or it is not a draft.
     * With `expectedSeq`, also refused (ConcurrentEditError) if another tab saved since.
     */
    async submit(
      id: string,
      rubric: Rubric,
      expectedSeq?: number,
      policy?: Policy,
    ): Promise<SubmitOutcome> {
      // The engine loads with the first submit (outside the transaction, which an unrelated
      // promise would end), not with every page that lists evaluations.
      const { checkForSubmit } = await import('@/domain/submit-check')
      return guardQuota(() =>
        db.transaction(
          'rw',
          db.evaluations,
          db.results,
          db.outbox,
          async (): Promise<SubmitOutcome> => {
            const row = await db.evaluations.get(id)
            if (!row) throw new NotFoundError('evaluation', id)
            if (expectedSeq !== undefined && row.editSeq !== expectedSeq)
              throw new ConcurrentEditError(row, expectedSeq)
            if (row.status !== 'draft')
              return { ok: false, problems: [{ code: 'locked', status: row.status }] }
            if (rubric.id !== row.rubricId || rubric.version !== row.rubricVersion) {
              return {
                ok: false,
                problems: [
                  {
                    code: 'rubric-mismatch',
                    expected: `${row.rubricId}@${row.rubricVersion}`,
                    got: `${rubric.id}@${rubric.version}`,
                  },
                ],
              }
            }
            const check = checkForSubmit(
              rubric,
              row.answers,
              { crossBorderZone: row.crossBorderZone },
              policy,
            )
            if (!check.ok) return check
            const at = now()
            const changes = {
              status: 'submitted' as const,
              result: check.result,
              submittedAt: at,
              updatedAt: at,
              editSeq: row.editSeq + 1,
            }
            await db.evaluations.update(id, changes)
            const evaluation = { ...row, ...changes }
            await syncResults(db, [evaluation])
            await enqueue(db, 'evaluation', id)
            return { ok: true, evaluation }
          },
        ),
      )
    },

    /**
     * Opens a locked evaluation for change as a new draft revision: same store, period, reviewer
     * and rubric, answers (and their photo references) copied. The old one stays as it was.
     * If a draft revision of it already exists, that one is returned instead of a second.
     */
    async reopen(id: string, evaluatorName?: string): Promise<EvaluationRow> {
      const originDevice = await meta.deviceId()
      return guardQuota(() =>
        db.transaction('rw', db.evaluations, db.outbox, async () => {
          const old = await db.evaluations.get(id)
          if (!old) throw new NotFoundError('evaluation', id)
          if (old.status === 'draft')
            throw new Error(`evaluation ${id} is a draft: edit it, no revision needed`)
          const existing = await db.evaluations.where('revisionOf').equals(id).toArray()
          const draft = existing.find((e) => e.status === 'draft')
          if (draft) return draft
          const at = now()
          const row: EvaluationRow = {
            ...structuredClone(old),
            id: newId(),
            evaluatorName: evaluatorName ?? old.evaluatorName,
            status: 'draft',
            revision: old.revision + 1,
            revisionOf: old.id,
            createdAt: at,
            updatedAt: at,
            submittedAt: null,
            result: null,
            editSeq: 0,
            // The new revision is this device's, whoever made the one it revises.
            originDevice,
          }
          delete row.returnedReason
          delete row.setAside
          await db.evaluations.add(row)
          await enqueue(db, 'evaluation', row.id)
          return row
        }),
      )
    },

    /**
     * A reviewing level sends a submitted evaluation back (re-inspect), with a required reason.
     * Recorded in the certification log in the same transaction.
     */
    sendBack(
      id: string,
      reason: string,
      by: { actor: string; unit: string; step: string },
    ): Promise<EvaluationRow> {
      if (!reason.trim()) return Promise.reject(new Error('a send-back needs a reason'))
      return guardQuota(() =>
        db.transaction('rw', db.evaluations, db.certification, db.results, async () => {
          const row = await db.evaluations.get(id)
          if (!row) throw new NotFoundError('evaluation', id)
          if (row.status !== 'submitted')
            throw new Error(`only a submitted evaluation can be sent back (is ${row.status})`)
          const at = now()
          const changes = {
            status: 'returned' as const,
            returnedReason: reason,
            updatedAt: at,
            editSeq: row.editSeq + 1,
          }
          await db.evaluations.update(id, changes)
          // The summary stays, marked returned: it holds the store out of the rankings.
          await syncResults(db, [{ ...row, ...changes }])
          await db.certification.add({
            id: newId(),
            kind: 'sendback',
            period: row.period,
            unit: by.unit,
            step: by.step,
            actor: by.actor,
            at,
            storeCode: row.storeCode,
            payload: { evaluationId: id, reason },
          })
          return { ...row, ...changes }
        }),
      )
    },

    /** Deletes a draft and the photos it owns. Locked evaluations are history and stay. */
    deleteDraft(id: string): Promise<void> {
      return db.transaction('rw', db.evaluations, db.photos, db.outbox, async () => {
        const row = await db.evaluations.get(id)
        if (!row) return
        if (row.status !== 'draft') throw new LockedError(id)
        const photoIds = await db.photos.where('evaluationId').equals(id).primaryKeys()
        await db.photos.where('evaluationId').equals(id).delete()
        await db.outbox.bulkDelete(photoIds.map((p) => outboxKey('photo', p)))
        await db.evaluations.delete(id)
        await enqueue(db, 'evaluation', id, 'delete')
      })
    },
  }
  return repo
}

export type EvaluationsRepo = ReturnType<typeof createEvaluationsRepo>

/**
 * The store manager's daily self-check (a rubric with `purpose: daily-check`). A check is kept as
 * an ordinary evaluation (reviewer `self`, not scored, so it never counts towards a grade), which
 * carries it in bundles and backups and lets a failed item raise a corrective action like any
 * evaluation. Unlike an inspection it is answered on one screen and written once, already
 * submitted, with its photos in the same transaction: a check is either recorded whole or not.
 */
import type { EncodedPhoto, Photo } from '@/domain/records'
import type { Rubric } from '@/domain/rubric-schema'
import type { Answers, Period } from '@/domain/types'
import type { AppDatabase, EvaluationRow } from './rows'
import type { SubmitProblem } from '@/domain/submit-check'
import { guardQuota } from './errors'
import { syncResults } from './results'
import { newId, plain, plainAnswer, systemClock, type Clock } from './util'

export interface DailyCheckInput {
  storeCode: string
  period: Period
  evaluatorName: string
  rubric: Rubric
  /** Answers without photo ids; the photos of each item come in `photos`. */
  answers: Answers
  photos?: Record<string, EncodedPhoto[]>
}

export type DailyCheckOutcome =
  { ok: true; evaluation: EvaluationRow } | { ok: false; problems: SubmitProblem[] }

export function createDailyChecksRepo(db: AppDatabase, clock: Clock = systemClock) {
  return {
    /** Validates the answers as a submit does, then writes the check and its photos at once. */
    async record(input: DailyCheckInput): Promise<DailyCheckOutcome> {
      if (input.rubric.purpose !== 'daily-check')
        return Promise.reject(new Error(`${input.rubric.id} is not a daily-check rubric`))
      if (!input.evaluatorName.trim())
        return Promise.reject(new Error('a daily check needs the name of who did it'))
      const id = newId()
      const photos: Photo[] = []
      const answers: Answers = {}
      for (const [itemId, a] of Object.entries(input.answers)) {
        const own = (input.photos?.[itemId] ?? []).map((p): Photo => ({
          ...plain(p),
          id: newId(),
          evaluationId: id,
          itemId,
        }))
        photos.push(...own)
        const answer = plainAnswer({ ...a, itemId })
        if (own.length) answer.photoIds = own.map((p) => p.id)
        answers[itemId] = answer
      }
      // The engine loads with the first check recorded, not with every page (no transaction yet).
      const { checkForSubmit } = await import('@/domain/submit-check')
      const check = checkForSubmit(input.rubric, answers)
      if (!check.ok) return Promise.resolve(check)
      const at = clock().toISOString()
      const row: EvaluationRow = {
        id,
        storeCode: input.storeCode,
        period: input.period,
        reviewer: 'self',
        evaluatorName: input.evaluatorName.trim(),
        rubricId: input.rubric.id,
        rubricVersion: input.rubric.version,
        status: 'submitted',
        answers,
        revision: 1,
        revisionOf: null,
        createdAt: at,
        updatedAt: at,
        submittedAt: at,
        result: check.result,
        editSeq: 1,
      }
      return guardQuota(() =>
        db.transaction('rw', db.evaluations, db.photos, db.results, async () => {
          await db.evaluations.add(row)
          if (photos.length) await db.photos.bulkAdd(photos)
          await syncResults(db, [row])
          return { ok: true as const, evaluation: row }
        }),
      )
    },

    /** A store's checks made with any of the given (daily-check) rubrics, newest first. */
    async listByStore(storeCode: string, rubricIds: readonly string[]): Promise<EvaluationRow[]> {
      const ids = new Set(rubricIds)
      const rows = await db.evaluations
        .where('storeCode')
        .equals(storeCode)
        .filter((e) => ids.has(e.rubricId))
        .toArray()
      return rows.sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    },
  }
}

export type DailyChecksRepo = ReturnType<typeof createDailyChecksRepo>

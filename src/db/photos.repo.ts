/**
 * Photos as bytes plus MIME type (Blob storage in IndexedDB fails on some Safari versions).
 * A photo is owned by the evaluation it was taken in; a reopened revision references its
 * predecessor's photos through the copied answers instead of duplicating the bytes.
 */
import type { EncodedPhoto, Photo } from '@/domain/records'
import type { AppDatabase, EvaluationRow } from './rows'
import { ConcurrentEditError, guardQuota, LockedError, NotFoundError } from './errors'
import type { Saved } from './evaluations.repo'
import { sha256Hex } from '@/io/bundle/hash'
import { enqueue, outboxKey } from './outbox.repo'
import { newId, plainAnswer, systemClock, type Clock } from './util'

export type { EncodedPhoto }

function photoIdsOf(e: EvaluationRow): string[] {
  return Object.values(e.answers).flatMap((a) => a.photoIds ?? [])
}

export function createPhotosRepo(db: AppDatabase, clock: Clock = systemClock) {
  const now = () => clock().toISOString()

  return {
    get(id: string): Promise<Photo | undefined> {
      return db.photos.get(id)
    },

    /**
     * Stores a photo and attaches it to the item's answer, both in one transaction with the
     * same editSeq check as an answer save.
     */
    async add(
      evaluationId: string,
      itemId: string,
      encoded: EncodedPhoto,
      expectedSeq: number,
    ): Promise<{ photo: Photo } & Saved> {
      // A photo is named by the SHA-256 of its bytes: the server stores photos under their hash,
      // so another device finds the bytes of an answer's photoIds there (PUT/GET /api/photos/…).
      const id = await sha256Hex(new Uint8Array(encoded.bytes))
      const photo: Photo = { id, evaluationId, itemId, ...encoded }
      return guardQuota(() =>
        db.transaction('rw', db.evaluations, db.photos, db.outbox, async () => {
          const row = await db.evaluations.get(evaluationId)
          if (!row) throw new NotFoundError('evaluation', evaluationId)
          if (row.editSeq !== expectedSeq) throw new ConcurrentEditError(row, expectedSeq)
          if (row.status !== 'draft') throw new LockedError(evaluationId)
          const prev = row.answers[itemId] ? plainAnswer(row.answers[itemId]) : { itemId }
          const had = prev.photoIds ?? []
          const answer = { ...prev, photoIds: had.includes(id) ? had : [...had, id] }
          const saved: Saved = { editSeq: expectedSeq + 1, updatedAt: now() }
          // The same picture taken twice is stored once (it may belong to an earlier revision).
          const existing = await db.photos.get(id)
          if (!existing) {
            await db.photos.add(photo)
            await enqueue(db, 'photo', id)
          }
          await db.evaluations.update(evaluationId, {
            answers: { ...row.answers, [itemId]: answer },
            ...saved,
          })
          await enqueue(db, 'evaluation', evaluationId)
          return { photo: existing ?? photo, ...saved }
        }),
      )
    },

    /** Detaches a photo from the item's answer; deletes its bytes if this draft owns it. */
    remove(
      evaluationId: string,
      itemId: string,
      photoId: string,
      expectedSeq: number,
    ): Promise<Saved> {
      return db.transaction('rw', db.evaluations, db.photos, db.outbox, async () => {
        const row = await db.evaluations.get(evaluationId)
        if (!row) throw new NotFoundError('evaluation', evaluationId)
        if (row.editSeq !== expectedSeq) throw new ConcurrentEditError(row, expectedSeq)
        if (row.status !== 'draft') throw new LockedError(evaluationId)
        const prev = row.answers[itemId]
        const answers = { ...row.answers }
        if (prev)
          answers[itemId] = {
            ...plainAnswer(prev),
            photoIds: (prev.photoIds ?? []).filter((p) => p !== photoId),
          }
        const saved: Saved = { editSeq: expectedSeq + 1, updatedAt: now() }
        await db.evaluations.update(evaluationId, { answers, ...saved })
        await enqueue(db, 'evaluation', evaluationId)
        const photo = await db.photos.get(photoId)
        const stillUsed = Object.values(answers).some((a) => a.photoIds?.includes(photoId))
        if (photo?.evaluationId === evaluationId && !stillUsed) {
          await db.photos.delete(photoId)
          await db.outbox.delete(outboxKey('photo', photoId))
        }
        return saved
      })
    },

    /** Every photo an evaluation shows: its own and those its answers reference (earlier revisions). */
    async listForEvaluation(evaluationId: string): Promise<Photo[]> {
      return db.transaction('r', db.evaluations, db.photos, async () => {
        const row = await db.evaluations.get(evaluationId)
        if (!row) return []
        const own = await db.photos.where('evaluationId').equals(evaluationId).toArray()
        const ownIds = new Set(own.map((p) => p.id))
        const refs = photoIdsOf(row).filter((id) => !ownIds.has(id))
        const referenced = (await db.photos.bulkGet(refs)).filter(
          (p): p is Photo => p !== undefined,
        )
        return [...own, ...referenced]
      })
    },

    /** Photos not tied to an evaluation's answers (e.g. evidence for a corrective action). */
    async addLoose(owner: string, itemId: string, encoded: EncodedPhoto): Promise<Photo> {
      const photo: Photo = { id: newId(), evaluationId: owner, itemId, ...encoded }
      await guardQuota(() => db.photos.add(photo))
      return photo
    },

    bulkGet(ids: readonly string[]): Promise<(Photo | undefined)[]> {
      return db.photos.bulkGet([...ids])
    },
  }
}

export type PhotosRepo = ReturnType<typeof createPhotosRepo>

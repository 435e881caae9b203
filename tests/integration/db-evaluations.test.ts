import { afterEach, describe, expect, it, vi } from 'vitest'
import { openDatabase, type AppDatabase } from '../../src/db/database'
import { ConcurrentEditError, LockedError, StorageFullError } from '../../src/db/errors'
import type { NewEvaluation } from '../../src/db/evaluations.repo'
import { createRepos, type Repos } from '../../src/db/repos'
import { scoreEvaluation } from '../../src/domain/scoring'
import type { Answers } from '../../src/domain/types'
import {
  groupRubric,
  jpegLike,
  smallRubric,
  steppingClock,
  uniqueName,
} from '../helpers/db-fixtures'

const opened: AppDatabase[] = []
afterEach(async () => {
  const dbs = opened.splice(0)
  for (const db of dbs) db.close()
  for (const db of dbs) await db.delete()
})

function setup(name = uniqueName()): { db: AppDatabase; repos: Repos; name: string } {
  const db = openDatabase(name)
  opened.push(db)
  return { db, repos: createRepos(db, steppingClock()), name }
}

const NEW: NewEvaluation = {
  storeCode: 'JSNJ001',
  period: '2026-Q4',
  reviewer: 'city',
  evaluatorName: '王伟',
  rubricId: smallRubric.id,
  rubricVersion: smallRubric.version,
}

const photo = {
  bytes: jpegLike(2048),
  mime: 'image/jpeg',
  width: 1600,
  height: 1200,
  thumbBytes: jpegLike(64, 3),
  thumbMime: 'image/jpeg',
  capturedAt: '2026-11-02T08:59:00.000Z',
}

describe('evaluations: drafts', () => {
  it('saves one answer at a time and finds it after reopening the database', async () => {
    const { db, repos, name } = setup()
    const ev = await repos.evaluations.create(NEW)
    expect(ev).toMatchObject({
      status: 'draft',
      revision: 1,
      revisionOf: null,
      editSeq: 0,
      answers: {},
    })
    const s1 = await repos.evaluations.saveAnswer(
      ev.id,
      'greet',
      { itemId: 'greet', value: false, note: '无人问候' },
      0,
    )
    const s2 = await repos.evaluations.saveAnswer(
      ev.id,
      'clean',
      { itemId: 'clean', value: 1 },
      s1.editSeq,
    )
    expect(s2.editSeq).toBe(2)
    db.close()

    const again = openDatabase(name)
    opened.push(again)
    const row = await again.evaluations.get(ev.id)
    expect(row?.answers).toEqual({
      greet: { itemId: 'greet', value: false, note: '无人问候' },
      clean: { itemId: 'clean', value: 1 },
    })
    expect(row?.editSeq).toBe(2)
  })

  it('clears an answer with null, and handles item ids containing dots', async () => {
    const { repos } = setup()
    const ev = await repos.evaluations.create(NEW)
    let seq = (await repos.evaluations.saveAnswer(ev.id, 'a.b', { itemId: 'a.b', value: true }, 0))
      .editSeq
    seq = (
      await repos.evaluations.saveAnswer(ev.id, 'greet', { itemId: 'greet', value: true }, seq)
    ).editSeq
    expect(Object.keys((await repos.evaluations.get(ev.id))!.answers).sort()).toEqual([
      'a.b',
      'greet',
    ])
    seq = (await repos.evaluations.saveAnswer(ev.id, 'greet', null, seq)).editSeq
    await repos.evaluations.saveAnswer(ev.id, 'a.b', null, seq)
    expect((await repos.evaluations.get(ev.id))!.answers).toEqual({})
  })

  it('rejects a save from a tab that has not seen the latest write, with the fresher copy', async () => {
    const { repos, name } = setup()
    const other = createRepos(openDatabase(name))
    opened.push(other.db)
    const ev = await repos.evaluations.create(NEW)
    // Both tabs loaded editSeq 0; the other tab saves first.
    await other.evaluations.saveAnswer(ev.id, 'greet', { itemId: 'greet', value: true }, 0)
    const err = await repos.evaluations
      .saveAnswer(ev.id, 'wait', { itemId: 'wait', value: 30 }, 0)
      .catch((e) => e)
    expect(err).toBeInstanceOf(ConcurrentEditError)
    expect(err.fresher.editSeq).toBe(1)
    expect(err.fresher.answers.greet).toEqual({ itemId: 'greet', value: true })
    // The refused answer was not written.
    expect((await repos.evaluations.get(ev.id))!.answers.wait).toBeUndefined()
  })

  it('turns a quota failure into StorageFullError and leaves nothing half-written', async () => {
    const { db, repos } = setup()
    const ev = await repos.evaluations.create(NEW)
    // The photo row is written first, then the answer update hits the quota.
    const spy = vi
      .spyOn(db.evaluations, 'update')
      .mockRejectedValueOnce(new DOMException('The quota has been exceeded.', 'QuotaExceededError'))
    const err = await repos.photos.add(ev.id, 'wait', photo, 0).catch((e) => e)
    spy.mockRestore()
    expect(err).toBeInstanceOf(StorageFullError)
    expect(await db.photos.count()).toBe(0)
    expect((await repos.evaluations.get(ev.id))!.editSeq).toBe(0)
  })
})

describe('evaluations: submit and revisions', () => {
  const complete: Answers = {
    greet: { itemId: 'greet', value: false, note: '无人问候' },
    wait: { itemId: 'wait', value: 30 },
    clean: { itemId: 'clean', na: true },
  }

  async function draftWith(repos: Repos, answers: Answers): Promise<{ id: string; seq: number }> {
    const ev = await repos.evaluations.create(NEW)
    let seq = 0
    for (const a of Object.values(answers))
      seq = (await repos.evaluations.saveAnswer(ev.id, a.itemId, a, seq)).editSeq
    return { id: ev.id, seq }
  }

  it('refuses an incomplete evaluation or missing evidence, saying which items', async () => {
    const { repos } = setup()
    const { id, seq } = await draftWith(repos, {
      greet: { itemId: 'greet', value: false },
      wait: { itemId: 'wait', value: 10 },
    })
    const out = await repos.evaluations.submit(id, smallRubric, seq)
    expect(out.ok).toBe(false)
    if (out.ok) return
    expect(out.problems).toEqual([
      { code: 'unanswered', itemIds: ['clean'] },
      { code: 'missing-evidence', itemIds: ['greet', 'wait'] },
    ])
    expect((await repos.evaluations.get(id))!.status).toBe('draft')
  })

  it('refuses a different rubric version than the evaluation was started with', async () => {
    const { repos } = setup()
    const { id } = await draftWith(repos, complete)
    const out = await repos.evaluations.submit(id, { ...smallRubric, version: '1.3.0' })
    expect(out).toEqual({
      ok: false,
      problems: [{ code: 'rubric-mismatch', expected: 'small@1.2.0', got: 'small@1.3.0' }],
    })
  })

  it('stores the engine score with the rubric id and version and locks the evaluation', async () => {
    const { repos } = setup()
    const { id, seq } = await draftWith(repos, complete)
    const out = await repos.evaluations.submit(id, smallRubric, seq)
    expect(out.ok).toBe(true)
    const row = (await repos.evaluations.get(id))!
    const expected = scoreEvaluation(smallRubric, complete)
    if (!expected.ok) throw new Error('fixture answers should score')
    expect(row.status).toBe('submitted')
    expect(row.submittedAt).not.toBeNull()
    expect(row.result).toEqual(expected.score)
    expect(row.result).toMatchObject({ rubricId: 'small', rubricVersion: '1.2.0', complete: true })
    // greet lost all 40 of section a's 70: 60 × 30/70 = 25.71; section b all N/A → its 40 re-spread.
    expect(row.result!.final).toBe(expected.score.final)
    await expect(
      repos.evaluations.saveAnswer(id, 'wait', { itemId: 'wait', value: 0 }, row.editSeq),
    ).rejects.toBeInstanceOf(LockedError)
    const again = await repos.evaluations.submit(id, smallRubric)
    expect(again).toEqual({ ok: false, problems: [{ code: 'locked', status: 'submitted' }] })
  })

  it('reopens as a new revision; the submitted one and its score stay as history', async () => {
    const { repos } = setup()
    const { id, seq } = await draftWith(repos, complete)
    await repos.evaluations.submit(id, smallRubric, seq)
    const before = (await repos.evaluations.get(id))!

    const rev = await repos.evaluations.reopen(id, '李娜')
    expect(rev).toMatchObject({
      status: 'draft',
      revision: 2,
      revisionOf: id,
      result: null,
      editSeq: 0,
      evaluatorName: '李娜',
    })
    expect(rev.id).not.toBe(id)
    expect(rev.answers).toEqual(before.answers)
    // Asking again gives the same open revision, not a second one.
    expect((await repos.evaluations.reopen(id)).id).toBe(rev.id)

    await repos.evaluations.saveAnswer(rev.id, 'greet', { itemId: 'greet', value: true }, 0)
    expect(await repos.evaluations.get(id)).toEqual(before)
    expect((await repos.evaluations.history(rev.id)).map((e) => [e.revision, e.status])).toEqual([
      [1, 'submitted'],
      [2, 'draft'],
    ])
    expect((await repos.evaluations.listByStore('JSNJ001')).length).toBe(2)
  })

  it('sends a submitted evaluation back with a reason, recorded in the certification log', async () => {
    const { repos } = setup()
    const { id, seq } = await draftWith(repos, complete)
    await repos.evaluations.submit(id, smallRubric, seq)
    await expect(
      repos.evaluations.sendBack(id, '  ', { actor: 'x', unit: '江苏', step: 'province-review' }),
    ).rejects.toThrow()
    const row = await repos.evaluations.sendBack(id, '照片不清', {
      actor: '省公司张敏',
      unit: '江苏',
      step: 'province-review',
    })
    expect(row).toMatchObject({ status: 'returned', returnedReason: '照片不清' })
    const log = await repos.certification.list('2026-Q4', '江苏')
    expect(log).toHaveLength(1)
    expect(log[0]).toMatchObject({
      kind: 'sendback',
      storeCode: 'JSNJ001',
      actor: '省公司张敏',
      payload: { evaluationId: id, reason: '照片不清' },
    })
    expect((await repos.evaluations.reopen(id)).revision).toBe(2)
  })

  it('scores a full evaluation of the group rubric', async () => {
    const { repos } = setup()
    const rubric = groupRubric()
    const ev = await repos.evaluations.create({
      ...NEW,
      rubricId: rubric.id,
      rubricVersion: rubric.version,
    })
    let seq = 0
    const answers: Answers = {}
    for (const item of rubric.sections.flatMap((s) => s.items)) {
      const value =
        item.kind === 'yesno'
          ? true
          : item.kind === 'count'
            ? 0
            : item.kind === 'scale'
              ? item.max
              : item.better === 'lower'
                ? 0
                : 1e6
      answers[item.id] = { itemId: item.id, value }
      seq = (await repos.evaluations.saveAnswer(ev.id, item.id, answers[item.id]!, seq)).editSeq
    }
    const out = await repos.evaluations.submit(ev.id, rubric, seq)
    expect(out.ok).toBe(true)
    const row = (await repos.evaluations.get(ev.id))!
    expect(row.result!.base).toBe(10000)
    expect(row.result!.rubricId).toBe('ct-store-service')
  })
})

describe('photos', () => {
  it('stores bytes and MIME type, attaches the photo to the answer, and detaches it', async () => {
    const { repos } = setup()
    const ev = await repos.evaluations.create(NEW)
    const added = await repos.photos.add(ev.id, 'wait', photo, 0)
    expect(added.editSeq).toBe(1)
    const stored = (await repos.photos.get(added.photo.id))!
    expect(stored.mime).toBe('image/jpeg')
    expect(stored.bytes).toBeInstanceOf(ArrayBuffer)
    expect(new Uint8Array(stored.bytes)).toEqual(new Uint8Array(jpegLike(2048)))
    expect(stored.thumbBytes.byteLength).toBe(64)
    expect((await repos.evaluations.get(ev.id))!.answers.wait).toEqual({
      itemId: 'wait',
      photoIds: [added.photo.id],
    })
    expect((await repos.photos.listForEvaluation(ev.id)).map((p) => p.id)).toEqual([added.photo.id])

    await repos.photos.remove(ev.id, 'wait', added.photo.id, added.editSeq)
    expect(await repos.photos.get(added.photo.id)).toBeUndefined()
    expect((await repos.evaluations.get(ev.id))!.answers.wait!.photoIds).toEqual([])
  })

  it('lets a revision show its predecessor photos without duplicating or deleting them', async () => {
    const { db, repos } = setup()
    const ev = await repos.evaluations.create(NEW)
    const { photo: p, editSeq } = await repos.photos.add(ev.id, 'wait', photo, 0)
    let seq = (
      await repos.evaluations.saveAnswer(
        ev.id,
        'wait',
        { itemId: 'wait', value: 10, photoIds: [p.id] },
        editSeq,
      )
    ).editSeq
    seq = (
      await repos.evaluations.saveAnswer(ev.id, 'greet', { itemId: 'greet', value: true }, seq)
    ).editSeq
    seq = (await repos.evaluations.saveAnswer(ev.id, 'clean', { itemId: 'clean', value: 0 }, seq))
      .editSeq
    expect((await repos.evaluations.submit(ev.id, smallRubric, seq)).ok).toBe(true)
    const rev = await repos.evaluations.reopen(ev.id)
    expect((await repos.photos.listForEvaluation(rev.id)).map((x) => x.id)).toEqual([p.id])
    await repos.photos.remove(rev.id, 'wait', p.id, 0)
    expect(await db.photos.count()).toBe(1)
    expect(await repos.photos.listForEvaluation(rev.id)).toEqual([])
    expect((await repos.photos.listForEvaluation(ev.id)).map((x) => x.id)).toEqual([p.id])
  })
})

describe('corrective actions', () => {
  it('raises actions from lost items, lists the open ones and checks them off with evidence', async () => {
    const { repos } = setup()
    const ev = await repos.evaluations.create(NEW)
    let seq = 0
    for (const a of [
      { itemId: 'greet', value: false, note: '无人问候' },
      { itemId: 'wait', value: 30 },
      { itemId: 'clean', value: 2 },
    ])
      seq = (await repos.evaluations.saveAnswer(ev.id, a.itemId, a, seq)).editSeq
    expect((await repos.evaluations.submit(ev.id, smallRubric, seq)).ok).toBe(true)

    await expect(
      repos.actions.createFromLostItems(ev.id, [
        { itemId: 'wait', what: 'x', who: 'y', due: '2026-12-01' },
      ]),
    ).rejects.toThrow(/did not lose points/)
    const created = await repos.actions.createFromLostItems(ev.id, [
      { itemId: 'greet', what: '培训迎宾', who: '厅经理', due: '2026-12-01' },
      { itemId: 'clean', what: '清理台面', who: '值班长', due: '2026-11-20' },
    ])
    expect(created.map((a) => a.status)).toEqual(['open', 'open'])
    expect(await repos.actions.countOpen()).toBe(2)
    expect((await repos.actions.listOpenByStore('JSNJ001')).map((a) => a.itemId)).toEqual([
      'clean',
      'greet',
    ])

    await expect(repos.actions.checkOff(created[0]!.id, { note: ' ' })).rejects.toThrow(/evidence/)
    const done = await repos.actions.checkOff(created[0]!.id, { note: '已培训', photos: [photo] })
    expect(done).toMatchObject({ status: 'done', evidenceNote: '已培训' })
    expect(done.evidencePhotoIds).toHaveLength(1)
    expect((await repos.photos.get(done.evidencePhotoIds[0]!))!.mime).toBe('image/jpeg')
    expect((await repos.actions.listOpenByStore('JSNJ001')).map((a) => a.itemId)).toEqual(['clean'])
    expect(await repos.actions.listByStore('JSNJ001')).toHaveLength(2)
    expect(await repos.actions.countOpen()).toBe(1)
  })
})

/**
 * The outbox (schema v4): every local change to an evaluation, its photos and corrective actions
 * is queued in the same transaction as the change; a failed change queues nothing; an
 * acknowledgement of an older push never removes a newer change.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { AppDatabase } from '../../src/db/database'
import type { Repos } from '../../src/db/repos'
import { freshDb, jpegLike, smallRubric } from '../helpers/db-fixtures'

let db: AppDatabase
let repos: Repos
afterEach(async () => {
  await db?.delete()
})

const photo = {
  bytes: jpegLike(2000, 3),
  mime: 'image/jpeg',
  width: 800,
  height: 600,
  thumbBytes: jpegLike(100, 1),
  thumbMime: 'image/jpeg',
  capturedAt: '2026-11-02T08:00:00.000Z',
}

async function draft() {
  return repos.evaluations.create({
    storeCode: 'S001',
    period: '2026-Q4',
    reviewer: 'city',
    evaluatorName: '王伟',
    rubricId: smallRubric.id,
    rubricVersion: smallRubric.version,
  })
}

describe('outbox', () => {
  it('queues a created draft, each answer (coalesced to one row) and the submit', async () => {
    ;({ db, repos } = freshDb())
    const ev = await draft()
    expect((await repos.outbox.list()).map((r) => r.key)).toEqual([`evaluation:${ev.id}`])
    const first = (await repos.outbox.list())[0]!
    await repos.evaluations.saveAnswer(ev.id, 'greet', { itemId: 'greet', value: true }, 0)
    const rows = await repos.outbox.list()
    expect(rows).toHaveLength(1)
    expect(rows[0]!.stamp).not.toBe(first.stamp)
    expect(rows[0]!.order).toBe(first.order)
  })

  it('queues nothing when the change is refused (stale editSeq)', async () => {
    ;({ db, repos } = freshDb())
    const ev = await draft()
    await repos.outbox.acknowledge([
      { key: `evaluation:${ev.id}`, stamp: (await repos.outbox.list())[0]!.stamp, version: 7 },
    ])
    expect(await repos.outbox.count()).toBe(0)
    const err = await repos.evaluations
      .saveAnswer(ev.id, 'greet', { itemId: 'greet', value: true }, 5)
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(Error)
    expect(await repos.outbox.count()).toBe(0)
    expect(await repos.outbox.versionOf('evaluation', ev.id)).toBe(7)
  })

  it('an acknowledgement of an older push leaves a newer change queued', async () => {
    ;({ db, repos } = freshDb())
    const ev = await draft()
    const sent = (await repos.outbox.list())[0]!
    await repos.evaluations.saveAnswer(ev.id, 'greet', { itemId: 'greet', value: false }, 0)
    await repos.outbox.acknowledge([{ key: sent.key, stamp: sent.stamp, version: 1 }])
    expect(await repos.outbox.count()).toBe(1)
    const now = (await repos.outbox.list())[0]!
    await repos.outbox.acknowledge([{ key: now.key, stamp: now.stamp, version: 2 }])
    expect(await repos.outbox.count()).toBe(0)
  })

  it('a photo is named by its SHA-256 and queued with its evaluation; removing it unqueues it', async () => {
    ;({ db, repos } = freshDb())
    const ev = await draft()
    const { photo: p, editSeq } = await repos.photos.add(ev.id, 'wait', photo, 0)
    expect(p.id).toMatch(/^[0-9a-f]{64}$/)
    const keys = (await repos.outbox.list()).map((r) => r.key).sort()
    expect(keys).toEqual([`evaluation:${ev.id}`, `photo:${p.id}`].sort())
    await repos.photos.remove(ev.id, 'wait', p.id, editSeq)
    expect((await repos.outbox.list()).map((r) => r.key)).toEqual([`evaluation:${ev.id}`])
  })

  it('deleting a never-sent draft queues its delete and drops its photos from the outbox', async () => {
    ;({ db, repos } = freshDb())
    const ev = await draft()
    await repos.photos.add(ev.id, 'wait', photo, 0)
    await repos.evaluations.deleteDraft(ev.id)
    const rows = await repos.outbox.list()
    expect(rows.map((r) => [r.key, r.op])).toEqual([[`evaluation:${ev.id}`, 'delete']])
  })
})

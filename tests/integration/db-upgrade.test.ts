/**
 * A database written by an earlier schema version opens with the current one and keeps every
 * record. The old database is made from the frozen copy of the shipped declarations
 * (src/db/schema-history.ts), not from today's SCHEMA_VERSIONS, so editing a shipped version in
 * schema.ts cannot change both sides of the test.
 */
import { Dexie } from 'dexie'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type AppDatabase } from '../../src/db/database'
import { createRankingsRepo } from '../../src/db/rankings.repo'
import { createRepos } from '../../src/db/repos'
import { summaryOf } from '../../src/db/results'
import { LATEST_VERSION, SCHEMA_VERSIONS } from '../../src/db/schema'
import { declareShipped } from '../../src/db/schema-history'
import { scoreEvaluation } from '../../src/domain/scoring'
import { jpegLike, smallRubric, steppingClock, store, uniqueName } from '../helpers/db-fixtures'

let current: AppDatabase | undefined
afterEach(async () => {
  await current?.delete()
})

/** Rows as release 1 wrote them: evaluations had no revision, editSeq or result yet. */
function v1Rows() {
  const stores = Array.from({ length: 25 }, (_, i) =>
    store(`S${String(i).padStart(3, '0')}`, {
      city: i % 2 ? '南京' : '苏州',
      level: ((i % 4) + 1) as 1 | 2 | 3 | 4,
    }),
  )
  const evaluations = Array.from({ length: 12 }, (_, i) => ({
    id: `ev-${i}`,
    storeCode: stores[i]!.code,
    period: '2026-Q3',
    reviewer: i % 3 === 0 ? 'self' : 'city',
    evaluatorName: '王伟',
    rubricId: smallRubric.id,
    rubricVersion: smallRubric.version,
    status: i < 4 ? 'submitted' : 'draft',
    answers: { greet: { itemId: 'greet', value: i % 2 === 0, note: i % 2 ? '未问候' : undefined } },
    createdAt: `2026-08-0${(i % 9) + 1}T09:00:00.000Z`,
    ...(i % 5 === 0 ? {} : { updatedAt: `2026-08-1${i % 9}T09:00:00.000Z` }),
  }))
  const photos = [
    {
      id: 'ph-1',
      evaluationId: 'ev-1',
      itemId: 'greet',
      bytes: jpegLike(1000, 9),
      mime: 'image/jpeg',
      width: 800,
      height: 600,
      thumbBytes: jpegLike(50, 1),
      thumbMime: 'image/jpeg',
      capturedAt: '2026-08-02T08:00:00.000Z',
    },
  ]
  const certification = [
    {
      id: 'c-1',
      kind: 'step',
      period: '2026-Q3',
      unit: '南京',
      step: 'city-certify',
      actor: '李娜',
      at: '2026-09-01T00:00:00.000Z',
      payload: { n: 3 },
    },
  ]
  const meta = [
    { key: 'deviceId', value: 'device-abc' },
    { key: 'demoLoaded', value: { at: '2026-08-01T00:00:00.000Z' } },
  ]
  return { stores, evaluations, photos, certification, meta }
}

describe('schema upgrade', () => {
  it('declares versions in increasing order, the latest being current', () => {
    const versions = SCHEMA_VERSIONS.map((v) => v.version)
    expect(versions).toEqual([...versions].sort((a, b) => a - b))
    expect(LATEST_VERSION).toBe(4)
  })

  it('opens a v1 database with the current schema and keeps every record', async () => {
    const name = uniqueName('upgrade')
    const old = new Dexie(name)
    declareShipped(old, 1)
    const rows = v1Rows()
    await old.transaction(
      'rw',
      ['stores', 'evaluations', 'photos', 'certification', 'meta'],
      async () => {
        await old.table('stores').bulkAdd(rows.stores)
        await old.table('evaluations').bulkAdd(rows.evaluations)
        await old.table('photos').bulkAdd(rows.photos)
        await old.table('certification').bulkAdd(rows.certification)
        await old.table('meta').bulkAdd(rows.meta)
      },
    )
    expect(old.verno).toBe(1)
    expect(old.tables.map((t) => t.name)).not.toContain('actions')
    old.close()

    current = openDatabase(name)
    await current.open()
    expect(current.verno).toBe(LATEST_VERSION)

    // Everything v1 wrote is still there, field for field.
    expect(await current.stores.orderBy('code').toArray()).toEqual(rows.stores)
    expect(await current.certification.toArray()).toEqual(rows.certification)
    expect(await current.meta.orderBy('key').toArray()).toEqual(
      [...rows.meta].sort((a, b) => a.key.localeCompare(b.key)),
    )
    const photo = (await current.photos.get('ph-1'))!
    expect(new Uint8Array(photo.bytes)).toEqual(new Uint8Array(jpegLike(1000, 9)))
    expect(photo).toMatchObject({ mime: 'image/jpeg', evaluationId: 'ev-1' })

    const evaluations = await current.evaluations.orderBy('id').toArray()
    expect(evaluations).toHaveLength(rows.evaluations.length)
    for (const ev of evaluations) {
      const before = rows.evaluations.find((r) => r.id === ev.id)!
      // Old fields unchanged, new fields backfilled.
      expect(ev).toMatchObject({ ...before, answers: structuredClone(before.answers) })
      expect(ev).toMatchObject({
        revision: 1,
        revisionOf: null,
        editSeq: 0,
        result: null,
        submittedAt: null,
      })
      expect(ev.updatedAt).toBe(before.updatedAt ?? before.createdAt)
    }

    // The new indexes and table work on the upgraded data.
    expect(await current.evaluations.where('revisionOf').equals('ev-1').count()).toBe(0)
    expect(
      (await current.photos.where('[evaluationId+itemId]').equals(['ev-1', 'greet']).toArray()).map(
        (p) => p.id,
      ),
    ).toEqual(['ph-1'])
    expect(await current.actions.count()).toBe(0)

    // And the repositories carry on with an upgraded draft.
    const repos = createRepos(current, steppingClock())
    const saved = await repos.evaluations.saveAnswer(
      'ev-5',
      'wait',
      { itemId: 'wait', value: 20 },
      0,
    )
    expect(saved.editSeq).toBe(1)
    expect((await repos.evaluations.get('ev-5'))!.answers.greet).toEqual(
      rows.evaluations[5]!.answers.greet,
    )
    const rev = await repos.evaluations.reopen('ev-2')
    expect(rev).toMatchObject({ revision: 2, revisionOf: 'ev-2' })
  })

  it('opens a v2 database with the current schema, backfills results from locked evaluations and keeps every record', async () => {
    const name = uniqueName('upgrade-v2')
    const old = new Dexie(name)
    declareShipped(old, 2)
    const scored = scoreEvaluation(smallRubric, {
      greet: { itemId: 'greet', value: false, note: '无人问候' },
      wait: { itemId: 'wait', value: 30 },
      clean: { itemId: 'clean', na: true },
    })
    if (!scored.ok) throw new Error('fixture answers should score')
    const stores = [store('S001'), store('S002'), store('S003')]
    // As release 2 wrote them: full rows with answers and the stored score.
    const base = {
      period: '2026-Q4',
      evaluatorName: '王伟',
      rubricId: smallRubric.id,
      rubricVersion: smallRubric.version,
      answers: { greet: { itemId: 'greet', value: false, note: '无人问候' } },
      revision: 1,
      revisionOf: null,
      createdAt: '2026-11-01T09:00:00.000Z',
      editSeq: 3,
    }
    const evaluations = [
      {
        ...base,
        id: 'sub-1',
        storeCode: 'S001',
        reviewer: 'city',
        status: 'submitted',
        updatedAt: '2026-11-02T09:00:00.000Z',
        submittedAt: '2026-11-02T09:00:00.000Z',
        result: scored.score,
      },
      {
        ...base,
        id: 'ret-1',
        storeCode: 'S002',
        reviewer: 'city',
        status: 'returned',
        returnedReason: '照片不清',
        updatedAt: '2026-11-05T09:00:00.000Z',
        submittedAt: '2026-11-03T09:00:00.000Z',
        result: { ...scored.score, final: 8000 },
      },
      {
        ...base,
        id: 'self-2',
        storeCode: 'S002',
        reviewer: 'self',
        status: 'submitted',
        updatedAt: '2026-11-01T09:00:00.000Z',
        submittedAt: '2026-11-01T09:00:00.000Z',
        result: { ...scored.score, final: 9900 },
      },
      {
        ...base,
        id: 'draft-3',
        storeCode: 'S003',
        reviewer: 'city',
        status: 'draft',
        updatedAt: '2026-11-04T09:00:00.000Z',
        submittedAt: null,
        result: null,
      },
    ]
    const actions = [
      {
        id: 'a-1',
        storeCode: 'S001',
        evaluationId: 'sub-1',
        itemId: 'greet',
        status: 'open',
        createdAt: '2026-11-02T09:00:00.000Z',
      },
    ]
    await old.transaction('rw', ['stores', 'evaluations', 'actions'], async () => {
      await old.table('stores').bulkAdd(stores)
      await old.table('evaluations').bulkAdd(evaluations)
      await old.table('actions').bulkAdd(actions)
    })
    expect(old.verno).toBe(2)
    expect(old.tables.map((t) => t.name)).not.toContain('results')
    old.close()

    current = openDatabase(name)
    await current.open()
    expect(current.verno).toBe(LATEST_VERSION)

    // Every record as v2 wrote it.
    expect(await current.stores.orderBy('code').toArray()).toEqual(stores)
    expect(await current.evaluations.orderBy('id').toArray()).toEqual(
      [...evaluations].sort((a, b) => a.id.localeCompare(b.id)),
    )
    expect(await current.actions.toArray()).toEqual(actions)

    // One summary per locked evaluation (submitted or returned), none for the draft.
    const results = await current.results.orderBy('evaluationId').toArray()
    expect(results.map((r) => r.evaluationId)).toEqual(['ret-1', 'self-2', 'sub-1'])
    expect(results.find((r) => r.evaluationId === 'sub-1')).toEqual(
      summaryOf(evaluations[0] as never),
    )
    expect(results.find((r) => r.evaluationId === 'sub-1')).toMatchObject({
      storeCode: 'S001',
      status: 'submitted',
      score: {
        final: scored.score.final,
        sections: {
          ids: scored.score.sections.map((x) => x.sectionId),
          scores: scored.score.sections.map((x) => (x.applicable ? x.score : null)),
          weights: scored.score.sections.map((x) => x.effectiveWeight),
        },
      },
    })
    expect(results.find((r) => r.evaluationId === 'ret-1')).toMatchObject({
      status: 'returned',
      returnedAt: '2026-11-05T09:00:00.000Z',
      returnedReason: '照片不清',
    })
    expect(
      (await current.results.where('[storeCode+period]').equals(['S002', '2026-Q4']).toArray())
        .map((r) => r.evaluationId)
        .sort(),
    ).toEqual(['ret-1', 'self-2'])

    // The rankings read the backfilled table: S002 is held out (sent back, not answered).
    const src = await createRankingsRepo(current).load('2026-Q4')
    expect(src.records.map((r) => [r.id, r.final])).toEqual([['sub-1', scored.score.final]])
    expect(src.pending.get('S002')).toBe('照片不清')
  })
})

/**
 * A database written by the previous schema version opens with the current one and keeps every
 * record. The old database is made with the real v1 declaration (declareVersions(db, 1)), not
 * a copy of it, so the test breaks if a shipped version is edited.
 */
import { Dexie } from 'dexie'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type AppDatabase } from '../../src/db/database'
import { createRepos } from '../../src/db/repos'
import { declareVersions, LATEST_VERSION, SCHEMA_VERSIONS } from '../../src/db/schema'
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
    expect(LATEST_VERSION).toBe(2)
  })

  it('opens a v1 database with the current schema and keeps every record', async () => {
    const name = uniqueName('upgrade')
    const old = new Dexie(name)
    declareVersions(old, 1)
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
})

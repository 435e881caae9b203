import { afterEach, describe, expect, it } from 'vitest'
import type { AppDatabase } from '../../src/db/database'
import { loadDemo } from '../../src/db/demo'
import { generateDemo } from '../../src/demo/generate'
import { scoreEvaluation } from '../../src/domain/scoring'
import { freshDb, groupRubric } from '../helpers/db-fixtures'

let db: AppDatabase | undefined
afterEach(async () => {
  await db?.delete()
})

describe('loadDemo', () => {
  it('writes the demo province with engine scores on submitted evaluations, and marks it loaded', async () => {
    const f = freshDb()
    db = f.db
    const rubric = groupRubric()
    const summary = await loadDemo(db, rubric, {}, () => new Date('2026-12-31T00:00:00Z'))
    const demo = generateDemo(rubric)
    expect(summary).toEqual({
      stores: demo.stores.length,
      evaluations: demo.evaluations.length,
      photos: demo.photos.length,
      actions: demo.actions.length,
    })
    expect(await db.stores.count()).toBeGreaterThanOrEqual(55)
    expect(await f.repos.stores.cities('江苏')).toHaveLength(5)
    expect(await f.repos.meta.get('demoLoaded')).toEqual({
      at: '2026-12-31T00:00:00.000Z',
      seed: null,
    })

    const submitted = await db.evaluations.where('status').equals('submitted').toArray()
    expect(submitted.length).toBeGreaterThan(40)
    for (const ev of submitted) {
      const out = scoreEvaluation(rubric, ev.answers)
      expect(out.ok && ev.result).toEqual(out.ok && out.score)
    }
    const drafts = await f.repos.evaluations.listDrafts()
    expect(drafts.every((d) => d.result === null)).toBe(true)
    // Photos referenced from answers are stored.
    const ev = submitted.find((e) => Object.values(e.answers).some((a) => a.photoIds?.length))!
    const photos = await f.repos.photos.listForEvaluation(ev.id)
    expect(photos.length).toBeGreaterThan(0)
    expect(photos[0]!.bytes.byteLength).toBeGreaterThan(0)

    // Loading again does not duplicate anything.
    await loadDemo(db, rubric)
    expect(await db.evaluations.count()).toBe(summary.evaluations)
    expect(await db.stores.count()).toBe(summary.stores)
  })
})

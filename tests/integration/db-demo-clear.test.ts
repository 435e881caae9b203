import { afterEach, describe, expect, it } from 'vitest'
import type { AppDatabase } from '../../src/db/database'
import { clearDemo, loadDemo } from '../../src/db/demo'
import { freshDb, groupRubric } from '../helpers/db-fixtures'

let db: AppDatabase | undefined
afterEach(async () => {
  await db?.delete()
})

describe('clearDemo', () => {
  it('removes the demo stores and all recorded about them, keeping the user’s own stores', async () => {
    const f = freshDb()
    db = f.db
    const rubric = groupRubric()
    await loadDemo(db, rubric)
    const own = {
      code: 'ZJHZ900',
      name: '杭州自有营业厅',
      province: '浙江',
      city: '杭州',
      level: 2 as const,
      type: 'self' as const,
    }
    await f.repos.stores.bulkPut([own])
    const mine = await f.repos.evaluations.create({
      storeCode: own.code,
      period: '2026-Q4',
      reviewer: 'city',
      evaluatorName: '王伟',
      rubricId: rubric.id,
      rubricVersion: rubric.version,
    })
    // A new evaluation of a demo store made on this device goes with the demo.
    const demoStore = (await db.stores.toArray()).find((s) => s.code !== own.code)!
    await f.repos.evaluations.create({
      storeCode: demoStore.code,
      period: '2026-Q4',
      reviewer: 'city',
      evaluatorName: '王伟',
      rubricId: rubric.id,
      rubricVersion: rubric.version,
    })
    expect(await db.photos.count()).toBeGreaterThan(0)
    expect(await db.actions.count()).toBeGreaterThan(0)

    const out = await clearDemo(db, rubric)
    expect(out.stores).toBeGreaterThanOrEqual(55)
    expect((await db.stores.toArray()).map((s) => s.code)).toEqual([own.code])
    expect((await db.evaluations.toArray()).map((e) => e.id)).toEqual([mine.id])
    expect(await db.photos.count()).toBe(0)
    expect(await db.actions.count()).toBe(0)
    expect(await db.results.count()).toBe(0)
    expect(await f.repos.meta.get('demoLoaded')).toBeUndefined()
  })
})

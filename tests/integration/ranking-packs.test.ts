/**
 * Ranking packs (src/db/ranking-packs.ts): the rankings read a period's register and results
 * from one cached record when nothing has been written since it was built, and never serve a
 * pack after any write to the stores or results, from this connection or another one.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, type AppDatabase } from '@/db/database'
import { loadDemo } from '@/db/demo'
import { createEvaluationsRepo } from '@/db/evaluations.repo'
import { currentDataStamp } from '@/db/ranking-packs'
import { createRankingsRepo, type RankingSource } from '@/db/rankings.repo'
import { TEST_RUBRIC } from '../fixtures/exchange'
import { store, uniqueName } from '../helpers/db-fixtures'
import { installLocalStorage } from '../helpers/memory-storage'

const PERIOD = '2026-Q4'
const opened: AppDatabase[] = []
let uninstall: () => void = () => {}

/** A repo that packs every read and lets the test wait for the pack to be written. */
function packingRepo(db: AppDatabase) {
  const writes: Promise<unknown>[] = []
  const repo = createRankingsRepo(db, { packFrom: 0, later: (task) => writes.push(task()) })
  return {
    async load(): Promise<RankingSource> {
      const src = await repo.load(PERIOD)
      await Promise.all(writes.splice(0))
      return src
    },
    periods: () => repo.periods(),
  }
}

async function demoDb(): Promise<AppDatabase> {
  const db = openDatabase(uniqueName('packs'))
  opened.push(db)
  await loadDemo(db, TEST_RUBRIC, { seed: 3 })
  return db
}

/** Replaces the current pack's register with one marker store: if a load returns it, it came from the pack. */
async function forgeCurrentPack(db: AppDatabase): Promise<void> {
  const stamp = currentDataStamp(db)!
  const pack = (await db.rankingPacks.get([PERIOD, stamp]))!
  expect(pack, 'a pack under the current stamp').toBeDefined()
  await db.rankingPacks.put({ ...pack, stores: [store('FORGED')] })
}

const codes = (src: RankingSource) => src.stores.map((s) => s.code)

beforeEach(() => {
  uninstall = installLocalStorage()
})
afterEach(async () => {
  uninstall()
  for (const db of opened.splice(0)) {
    db.close()
    await db.delete()
  }
})

describe('ranking packs', () => {
  it('builds a pack on the first read and serves the same source from it', async () => {
    const db = await demoDb()
    const repo = packingRepo(db)
    expect(await db.rankingPacks.count()).toBe(0)
    const fromTables = await repo.load()
    expect(await db.rankingPacks.count()).toBe(1)
    const fromPack = await repo.load()
    expect(fromPack).toEqual(fromTables)
    expect(fromPack.records.length).toBeGreaterThan(10)

    await forgeCurrentPack(db)
    expect(codes(await repo.load())).toEqual(['FORGED']) // proof the second path reads the pack
  })

  const writes: [string, (db: AppDatabase) => Promise<unknown>][] = [
    ['stores.put', (db) => db.stores.put(store('NEW1'))],
    ['stores.bulkPut', (db) => db.stores.bulkPut([store('NEW1'), store('NEW2')])],
    [
      'stores.update',
      (db) => db.stores.toCollection().first((s) => db.stores.update(s!.code, { name: '改名' })),
    ],
    ['stores.where().modify', (db) => db.stores.where('level').equals(2).modify({ name: '改名' })],
    ['stores.delete', (db) => db.stores.toCollection().first((s) => db.stores.delete(s!.code))],
    ['stores.clear', (db) => db.stores.clear()],
    ['results.clear', (db) => db.results.clear()],
    [
      'an evaluation sent back (results row updated in the same transaction)',
      async (db) => {
        const row = (await db.results.toArray()).find((r) => r.status === 'submitted')!
        await createEvaluationsRepo(db).sendBack(row.evaluationId, '复核', {
          actor: '王伟',
          unit: '江苏',
          step: 'province-review',
        })
      },
    ],
  ]
  for (const [what, write] of writes)
    it(`reads the tables again after ${what}`, async () => {
      const db = await demoDb()
      const repo = packingRepo(db)
      await repo.load()
      await forgeCurrentPack(db)
      await write(db)
      const after = await repo.load()
      expect(codes(after)).not.toContain('FORGED')
      expect(codes(after)).toEqual((await db.stores.toArray()).map((s) => s.code))
      // The rebuilt pack replaced the stale one: one pack per period, under the new stamp.
      const keys = await db.rankingPacks.toCollection().primaryKeys()
      expect(keys).toEqual([[PERIOD, currentDataStamp(db)]])
    })

  it('reads the tables again after a write through another connection (another tab)', async () => {
    const db = await demoDb()
    const repo = packingRepo(db)
    await repo.load()
    await forgeCurrentPack(db)
    const other = openDatabase(db.name)
    opened.push(other)
    await other.stores.put(store('OTHER-TAB'))
    const after = await repo.load()
    expect(codes(after)).toContain('OTHER-TAB')
    expect(codes(after)).not.toContain('FORGED')
  })

  it('keeps no pack where there is no localStorage to carry the stamp between tabs', async () => {
    uninstall()
    uninstall = () => {}
    const db = await demoDb()
    const repo = packingRepo(db)
    const first = await repo.load()
    expect(await db.rankingPacks.count()).toBe(0)
    expect(await repo.load()).toEqual(first)
  })

  it('skips small registers unless told otherwise, and lists periods newest first', async () => {
    const db = await demoDb()
    const repo = createRankingsRepo(db, { later: (task) => void task() })
    await repo.load(PERIOD)
    expect(await db.rankingPacks.count()).toBe(0) // the demo is far below the default threshold
    expect(await repo.periods()).toEqual([PERIOD, '2026-Q3'])
  })
})

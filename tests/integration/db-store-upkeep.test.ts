import { afterEach, describe, expect, it } from 'vitest'
import type { AppDatabase } from '../../src/db/database'
import { StoreInUseError } from '../../src/db/stores.repo'
import { freshDb, groupRubric } from '../helpers/db-fixtures'

let db: AppDatabase | undefined
afterEach(async () => {
  await db?.delete()
})

const store = (code: string) => ({
  code,
  name: `厅 ${code}`,
  province: '浙江',
  city: '杭州',
  level: 2 as const,
  type: 'self' as const,
})

describe('store upkeep', () => {
  it('deletes a store without evaluations and refuses one with', async () => {
    const f = freshDb()
    db = f.db
    await f.repos.stores.bulkPut([store('ZJ1'), store('ZJ2')])
    const rubric = groupRubric()
    await f.repos.evaluations.create({
      storeCode: 'ZJ2',
      period: '2026-Q4',
      reviewer: 'city',
      evaluatorName: '王伟',
      rubricId: rubric.id,
      rubricVersion: rubric.version,
    })
    await f.repos.stores.deleteUnused('ZJ1')
    expect(await f.repos.stores.get('ZJ1')).toBeUndefined()
    const err = await f.repos.stores.deleteUnused('ZJ2').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(StoreInUseError)
    expect(err).toMatchObject({ evaluations: 1, actions: 0 })
    expect(await f.repos.stores.get('ZJ2')).toBeDefined()
  })

  it('closes a store from a day and opens it again', async () => {
    const f = freshDb()
    db = f.db
    await f.repos.stores.bulkPut([store('ZJ1')])
    expect((await f.repos.stores.setClosed('ZJ1', '2026-10-01')).closedOn).toBe('2026-10-01')
    expect((await f.repos.stores.get('ZJ1'))!.closedOn).toBe('2026-10-01')
    await f.repos.stores.setClosed('ZJ1', null)
    expect(await f.repos.stores.get('ZJ1')).not.toHaveProperty('closedOn')
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import type { AppDatabase } from '../../src/db/database'
import { InvalidStoresError } from '../../src/db/stores.repo'
import type { Store } from '../../src/domain/types'
import { freshDb, store } from '../helpers/db-fixtures'

let db: AppDatabase | undefined
afterEach(async () => {
  await db?.delete()
})

function setup() {
  const f = freshDb()
  db = f.db
  return f.repos
}

describe('stores repository', () => {
  it('imports a batch and lists it by province and city', async () => {
    const r = setup()
    await r.stores.bulkPut([
      store('NJ1'),
      store('NJ2', { name: '南京河西营业厅' }),
      store('SZ1', { city: '苏州' }),
      store('HZ1', { province: '浙江', city: '杭州' }),
    ])
    expect(await r.stores.count()).toBe(4)
    expect(await r.stores.provinces()).toEqual(['江苏', '浙江'])
    expect(await r.stores.cities('江苏')).toEqual(['南京', '苏州'])
    expect((await r.stores.listByCity('江苏', '南京')).map((s) => s.code)).toEqual(['NJ1', 'NJ2'])
    expect((await r.stores.listByProvince('江苏')).map((s) => s.code)).toEqual([
      'NJ1',
      'NJ2',
      'SZ1',
    ])
  })

  it('refuses a batch with one invalid row and writes none of it', async () => {
    const r = setup()
    await r.stores.bulkPut([store('OLD', { name: '原有' })])
    const batch = [store('A1'), store('A2', { level: 7 as never }), store('A3')]
    await expect(r.stores.bulkPut(batch)).rejects.toBeInstanceOf(InvalidStoresError)
    expect((await r.stores.all()).map((s) => s.code)).toEqual(['OLD'])
  })

  it('refuses duplicate codes within a batch', async () => {
    const r = setup()
    const err = await r.stores
      .bulkPut([store('D1'), store('D1', { name: 'again' })])
      .catch((e) => e)
    expect(err).toBeInstanceOf(InvalidStoresError)
    expect(err.problems).toEqual([{ index: 1, field: 'code', message: 'duplicate code D1' }])
    expect(await r.stores.count()).toBe(0)
  })

  it('rolls back the whole batch when the database rejects a row part-way', async () => {
    const r = setup()
    await r.stores.bulkPut([store('KEEP', { name: '保留' })])
    // Passes the integrity check, but IndexedDB cannot clone a function: the write fails mid-batch.
    const poisoned = { ...store('P3'), extra: () => 1 } as unknown as Store
    const batch = [store('P1'), store('KEEP', { name: '被改' }), poisoned, store('P4')]
    await expect(r.stores.bulkPut(batch)).rejects.toThrow()
    expect((await r.stores.all()).map((s) => [s.code, s.name])).toEqual([['KEEP', '保留']])
  })

  it('searches by code prefix first, then by name', async () => {
    const r = setup()
    await r.stores.bulkPut([
      store('JSNJ001', { name: '南京新街口营业厅' }),
      store('JSNJ002', { name: '南京河西营业厅' }),
      store('JSSZ001', { name: '苏州观前街营业厅', city: '苏州' }),
      store('X9', { name: 'JSNJ 合作厅' }),
    ])
    expect((await r.stores.search('jsnj')).map((s) => s.code)).toEqual(['JSNJ001', 'JSNJ002', 'X9'])
    expect((await r.stores.search('观前')).map((s) => s.code)).toEqual(['JSSZ001'])
    expect(await r.stores.search('  ')).toEqual([])
    expect(await r.stores.search('JS', 2)).toHaveLength(2)
  })
})

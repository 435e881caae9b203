/**
 * The frozen schema history (src/db/schema-history.ts) against today's declarations, and a
 * database written by a newer release than this one.
 */
import { Dexie } from 'dexie'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, openProblem, setDatabase, type AppDatabase } from '../../src/db/database'
import { LATEST_VERSION, SCHEMA_VERSIONS } from '../../src/db/schema'
import { SHIPPED_VERSIONS, shippedTables } from '../../src/db/schema-history'
import { useDatabaseStore } from '../../src/stores/database'
import { uniqueName } from '../helpers/db-fixtures'

let current: AppDatabase | undefined
const names: string[] = []
afterEach(async () => {
  current?.close()
  current = undefined
  setDatabase(null)
  for (const n of names.splice(0)) await Dexie.delete(n)
})

describe('the frozen schema history', () => {
  it('every shipped version is declared in schema.ts exactly as it shipped', () => {
    expect(SHIPPED_VERSIONS.length).toBeGreaterThan(0)
    for (const shipped of SHIPPED_VERSIONS) {
      const today = SCHEMA_VERSIONS.find((v) => v.version === shipped.version)
      expect(today, `version ${shipped.version} is gone from schema.ts`).toBeDefined()
      expect(today!.stores, `version ${shipped.version} was edited after it shipped`).toEqual(
        shipped.stores,
      )
    }
  })

  it('is contiguous from 1, and schema.ts is at most one unshipped version ahead of it', () => {
    const shipped = SHIPPED_VERSIONS.map((v) => v.version)
    expect(shipped).toEqual(shipped.map((_, i) => i + 1))
    expect(LATEST_VERSION - shipped.at(-1)!).toBeGreaterThanOrEqual(0)
    expect(LATEST_VERSION - shipped.at(-1)!).toBeLessThanOrEqual(1)
  })

  it('a database made from the history has the tables today’s app opens it with', async () => {
    const name = uniqueName('history')
    names.push(name)
    const old = new Dexie(name)
    for (const v of SHIPPED_VERSIONS) old.version(v.version).stores({ ...v.stores })
    await old.open()
    expect(old.tables.map((t) => t.name).sort()).toEqual(shippedTables(LATEST_VERSION))
    old.close()
    current = openDatabase(name)
    await current.open()
    expect(current.tables.map((t) => t.name).sort()).toEqual(shippedTables(LATEST_VERSION))
  })
})

describe('a database written by a newer release', () => {
  /** What a newer release leaves: the same name at a higher IndexedDB version, with data. */
  async function newerDatabase(): Promise<string> {
    const name = uniqueName('newer')
    names.push(name)
    const newer = new Dexie(name)
    for (const v of SHIPPED_VERSIONS) newer.version(v.version).stores({ ...v.stores })
    newer.version(LATEST_VERSION + 1).stores({ somethingNew: 'id' })
    await newer.open()
    await newer.table('stores').add({ code: 'S001', name: '新版本写的厅' })
    newer.close()
    return name
  }

  it('is reported as newer-version before it is opened, and its data is left alone', async () => {
    const name = await newerDatabase()
    expect(await openProblem(name)).toBe('newer-version')

    const again = new Dexie(name)
    await again.open() // no version declared: opens whatever is there
    expect(again.verno).toBe(LATEST_VERSION + 1)
    expect(again.tables.map((t) => t.name)).toContain('somethingNew')
    expect(await again.table('stores').toArray()).toEqual([{ code: 'S001', name: '新版本写的厅' }])
    again.close()
  })

  it('the database store says so for the screen; a current database has no problem', async () => {
    setActivePinia(createPinia())
    const name = await newerDatabase()
    current = openDatabase(name)
    setDatabase(current) // not opened: the check reads the version without opening it
    const store = useDatabaseStore()
    await store.check()
    expect(store).toMatchObject({ problem: 'newer-version', checked: true })

    // The same release's database (opened and upgraded by this app) and a missing one are fine.
    const fine = uniqueName('fine')
    names.push(fine)
    current = openDatabase(fine)
    await current.open()
    setDatabase(current)
    await store.check()
    expect(store.problem).toBeNull()
    expect(await openProblem(uniqueName('missing'))).toBeNull()
  })
})

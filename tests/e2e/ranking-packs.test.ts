import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedLargeRegister } from '../helpers/large-register'
import { openSession, removeProfile, type Session } from './support/browser'
import { DB_NAME, readTable } from './support/faults'

/**
 * Ranking packs in real Chromium (src/db/ranking-packs.ts): a large register's rankings are
 * cached as one record after the first read and served from it, and a write in another tab
 * (here: renaming a store through the edit screen) makes the next open read the tables again.
 * Real localStorage and IndexedDB shared by two tabs, which fake-indexeddb cannot show.
 */
describe('ranking packs across tabs', () => {
  let s: Session
  const STORES = 6_000 // above the 5,000 records from which the app packs a period

  /** Runs in the page: the packs' keys, or (with `rename`) renames a store inside every pack. */
  const packs = (page: Session['page'], rename?: { code: string; name: string }) =>
    page.evaluate(
      async ({ db: name, rename }) => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const r = indexedDB.open(name)
          r.onsuccess = () => resolve(r.result)
          r.onerror = () => reject(r.error)
        })
        const tx = db.transaction('rankingPacks', 'readwrite')
        const os = tx.objectStore('rankingPacks')
        const all = await new Promise<{ stores: { code: string; name: string }[] }[]>((res) => {
          const r = os.getAll()
          r.onsuccess = () => res(r.result)
        })
        if (rename)
          for (const p of all) {
            for (const st of p.stores) if (st.code === rename.code) st.name = rename.name
            os.put(p)
          }
        const keys = await new Promise<IDBValidKey[]>((res) => {
          const r = os.getAllKeys()
          r.onsuccess = () => res(r.result)
        })
        await new Promise((res) => (tx.oncomplete = res))
        db.close()
        return keys.map((k) => JSON.stringify(k))
      },
      { db: DB_NAME, rename },
    )

  const shownNames = async (page: Session['page'], query: string) => {
    await page.goto('/rankings')
    await expect.poll(() => page.getByTestId('rank-row').count()).toBeGreaterThan(0)
    await page.getByTestId('filter-search').fill(query)
    return page.getByTestId('rank-row').allInnerTexts()
  }

  beforeAll(async () => {
    s = await openSession()
    await s.context.addInitScript({ content: 'globalThis.__name = (f) => f' })
    await s.page.goto('/rankings')
    await s.page.locator('.alert-info').first().waitFor()
    await s.page.evaluate(seedLargeRegister, STORES)
  })
  afterAll(async () => {
    await s.close()
    removeProfile(s.profileDir)
  })

  it('serves the rankings from the pack, and reads the tables again after another tab writes', async () => {
    const { page } = s
    const graded = (await readTable(page, 'results'))[0]!.storeCode as string

    // First open: read from the tables, then the period's pack is written.
    expect((await shownNames(page, graded)).join('\n')).toContain(graded)
    await expect.poll(() => packs(page)).toHaveLength(1)
    const [built] = await packs(page)

    // The pack is what the next open shows: a name changed only inside the pack appears.
    await packs(page, { code: graded, name: '只在缓存里的名字' })
    expect((await shownNames(page, graded)).join('\n')).toContain('只在缓存里的名字')

    // Another tab renames the store through the edit screen.
    const other = await s.context.newPage()
    await other.goto(`/stores/${graded}/edit`)
    await other.getByTestId('field-name').fill('另一个标签页改的名字')
    await other.getByTestId('store-save').click()
    await other.waitForURL(`**/stores/${graded}?saved=1`)
    await other.close()

    // This tab's next open does not trust the pack: the tables' name, and a new pack.
    const after = (await shownNames(page, graded)).join('\n')
    expect(after).toContain('另一个标签页改的名字')
    expect(after).not.toContain('只在缓存里的名字')
    await expect.poll(() => packs(page)).toHaveLength(1)
    expect((await packs(page))[0]).not.toBe(built)
  })
})

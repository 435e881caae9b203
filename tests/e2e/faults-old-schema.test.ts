/**
 * Fault: the app is updated on a tablet whose database was written by the previous release
 * (schema version LATEST − 1). In real Chromium, the app must upgrade it keeping every record,
 * and show the old data.
 *
 * How the old database is made (the simplest way that is faithful to what the previous release
 * leaves on a device):
 * - the records are real app data: the demo province loaded from the home page plus an
 *   inspection started, answered and photographed through the form, read back raw from a first
 *   profile. Only the tables that existed in the previous version are kept (so `results`, new in
 *   v3, is left out: it is derived and must be rebuilt by the upgrade). This assumes the record
 *   shapes of the kept tables did not change in the latest version (a version that changes them
 *   needs an upgrade() of its own, and then this fixture must be made by that release);
 * - the database is created in a second, fresh profile, on the app's origin but on a blank page
 *   (a routed URL, so the app's code does not run), by the real Dexie (node_modules/dexie, the
 *   copy the app bundles) with exactly the previous release's declarations (up to LATEST − 1,
 *   from the frozen copy in src/db/schema-history.ts, not from today's schema.ts). This gives
 *   the same object stores, key paths, indexes and IndexedDB version (Dexie version × 10) the
 *   previous release created, without a second build of an old commit.
 */
import { afterAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { LATEST_VERSION } from '../../src/db/schema'
import { SHIPPED_VERSIONS, shippedTables } from '../../src/db/schema-history'
import { baseURL, openSession, removeProfile, type Session } from './support/browser'
import {
  cardsShown,
  DB_NAME,
  dbShape,
  loadDemo,
  readTable,
  startInspection,
  waitSaved,
} from './support/faults'
import { makePng } from './support/png'

type Row = Record<string, unknown>

const PREVIOUS = LATEST_VERSION - 1
const previousDeclarations = SHIPPED_VERSIONS.filter((v) => v.version <= PREVIOUS).map((v) => ({
  version: v.version,
  stores: { ...v.stores },
}))
/** The tables the previous release had. */
const previousTables = shippedTables(PREVIOUS)

async function dumpAll(page: Page, tables: readonly string[]): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {}
  for (const t of tables) out[t] = await readTable(page, t)
  return out
}

const keyOf = (table: string, row: Row): string =>
  String(
    table === 'stores'
      ? row.code
      : table === 'meta'
        ? row.key
        : table === 'results'
          ? row.evaluationId
          : row.id,
  )

const byKey = (table: string, rows: Row[]) =>
  [...rows].sort((a, b) => keyOf(table, a).localeCompare(keyOf(table, b)))

describe('a database written by the previous schema version', () => {
  const sessions: Session[] = []
  afterAll(async () => {
    for (const s of sessions) {
      await s.close().catch(() => undefined)
      removeProfile(s.profileDir)
    }
  })

  it(`is upgraded from v${PREVIOUS} to v${LATEST_VERSION} with every record kept, and the app shows it`, async () => {
    expect(PREVIOUS).toBeGreaterThanOrEqual(1)

    // 1. Real app data, made through the UI.
    const maker = await openSession({ autoAdvance: false })
    sessions.push(maker)
    let page = maker.page
    await loadDemo(page)
    const draftId = await startInspection(page)
    const yesno = page.locator('[data-testid=item-card][data-kind=yesno]')
    for (let i = 0; i < (await yesno.count()); i++)
      await yesno
        .nth(i)
        .getByTestId(i % 3 ? 'answer-yes' : 'answer-no')
        .click()
    await yesno.nth(0).getByTestId('item-note').fill('旧版本写下的备注')
    await yesno
      .nth(0)
      .getByTestId('photo-file')
      .setInputFiles({ name: 'old.png', mimeType: 'image/png', buffer: makePng() })
    await expect
      .poll(() => yesno.nth(0).getByTestId('photo-thumb').count(), { timeout: 20_000 })
      .toBe(1)
    await waitSaved(page)
    const draftStep = page.url()
    const draftShown = await cardsShown(page)
    const tablesNow = (await dbShape(page))!.stores
    const data = await dumpAll(page, tablesNow)
    await maker.close()

    const old: Record<string, Row[]> = Object.fromEntries(
      previousTables.map((t) => [t, data[t] ?? []]),
    )
    const evaluations = old.evaluations!
    const locked = evaluations.filter((e) => e.status === 'submitted' || e.status === 'returned')
    // The fixture covers what it should: drafts and locked evaluations, photos, actions, stores.
    expect(evaluations.some((e) => e.status === 'draft')).toBe(true)
    expect(locked.length).toBeGreaterThan(10)
    expect(old.photos!.length).toBeGreaterThan(1)
    expect(old.stores!.length).toBe(58)
    if (previousTables.includes('actions')) expect(old.actions!.length).toBeGreaterThan(0)
    const dropped = tablesNow.filter((t) => !previousTables.includes(t))
    // v4's tables: the sync outbox and the server versions seen (both empty until a device
    // connects to a server).
    expect(dropped).toEqual(['outbox', 'syncVersions'])

    // 2. The previous release's database, in a fresh profile, on the app's origin.
    const device = await openSession({ autoAdvance: false })
    sessions.push(device)
    page = device.page
    const blank = `${baseURL()}/__previous-release`
    await page.route(blank, (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>v-1</title>' }),
    )
    await page.goto(blank)
    await page.addScriptTag({ path: 'node_modules/dexie/dist/dexie.js' })
    await page.evaluate(
      async ({ name, declarations, rows }) => {
        const restore = (v: unknown): unknown => {
          if (Array.isArray(v)) return v.map(restore)
          if (v && typeof v === 'object') {
            const o = v as { $bytes?: number[]; $view?: string; $date?: string }
            if (o.$bytes) {
              const bytes = new Uint8Array(o.$bytes)
              if (!o.$view) return bytes.buffer
              if (o.$view === 'Uint8Array') return bytes
              throw new Error(`unexpected ${o.$view}`)
            }
            if (o.$date) return new Date(o.$date)
            return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, restore(x)]))
          }
          return v
        }
        type DexieLike = {
          version(n: number): { stores(s: Record<string, string | null>): unknown }
          open(): Promise<unknown>
          table(t: string): { bulkAdd(rows: unknown[]): Promise<unknown> }
          close(): void
        }
        const Dexie = (window as unknown as { Dexie: new (n: string) => DexieLike }).Dexie
        const db = new Dexie(name)
        for (const d of declarations) db.version(d.version).stores(d.stores)
        await db.open()
        for (const [table, list] of Object.entries(rows))
          await db.table(table).bulkAdd(list.map(restore))
        db.close()
      },
      { name: DB_NAME, declarations: previousDeclarations, rows: old },
    )
    expect(await dbShape(page)).toEqual({ version: PREVIOUS * 10, stores: previousTables })
    for (const t of previousTables)
      expect(byKey(t, await readTable(page, t))).toEqual(byKey(t, old[t]!))

    // 3. The app opens it.
    await page.unroute(blank)
    await page.goto('/stores')
    await expect.poll(() => page.getByTestId('store-row').count()).toBeGreaterThan(0)
    await expect
      .poll(() => dbShape(page))
      .toEqual({
        version: LATEST_VERSION * 10,
        stores: tablesNow,
      })
    // Every record of the old tables, field for field.
    for (const t of previousTables)
      expect(byKey(t, await readTable(page, t)), `table ${t}`).toEqual(byKey(t, old[t]!))
    // The new table is rebuilt from the old data: the same summaries the app writes itself.
    const results = await readTable(page, 'results')
    expect(results).toHaveLength(locked.length)
    expect(byKey('results', results)).toEqual(byKey('results', data.results!))

    // 4. And shows it: the register, the draft with its answers and photo, a locked result.
    expect(await page.getByTestId('store-count').innerText()).toMatch(/58\D+58/)
    await page.goto(draftStep)
    await expect.poll(() => page.getByTestId('item-card').count()).toBeGreaterThan(0)
    await expect.poll(() => cardsShown(page)).toEqual(draftShown)
    const thumb = page.getByTestId('photo-thumb').first().locator('img')
    await expect
      .poll(() => thumb.evaluate((img) => (img as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0)
    expect(page.url()).toContain(draftId)
    const scored = locked.find((e) => e.result !== null && e.status === 'submitted')!
    await page.goto(`/evaluations/${String(scored.id)}/result`)
    const final = (scored.result as { final: number }).final
    await expect
      .poll(() => page.getByTestId('final-score').innerText())
      .toBe((final / 100).toFixed(2))
    console.info(
      `old schema: v${PREVIOUS} → v${LATEST_VERSION}; ` +
        previousTables.map((t) => `${t} ${old[t]!.length}`).join(', ') +
        `; results rebuilt ${results.length}`,
    )
  })
})

describe('a database written by a newer release', () => {
  let session: Session | undefined
  afterAll(async () => {
    await session?.close().catch(() => undefined)
    if (session) removeProfile(session.profileDir)
  })

  it('gets a plain message instead of the screens, and is left as it was', async () => {
    session = await openSession()
    const page = session.page
    const blank = `${baseURL()}/__newer-release`
    await page.route(blank, (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>v+1</title>' }),
    )
    await page.goto(blank)
    const newer = (LATEST_VERSION + 1) * 10
    // What a newer release leaves: the app's database at a higher version, with its own table.
    await page.evaluate(
      ({ name, version }) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open(name, version)
          open.onupgradeneeded = () => {
            open.result.createObjectStore('stores', { keyPath: 'code' })
            open.result.createObjectStore('somethingNew', { keyPath: 'id' })
            open.result.createObjectStore('meta', { keyPath: 'key' })
          }
          open.onerror = () => reject(open.error)
          open.onsuccess = () => {
            const tx = open.result.transaction('stores', 'readwrite')
            tx.objectStore('stores').put({ code: 'S001', name: '新版本写的厅' })
            tx.oncomplete = () => {
              open.result.close()
              resolve()
            }
          }
        }),
      { name: DB_NAME, version: newer },
    )
    const before = await dbShape(page)
    await page.unroute(blank)

    await page.goto('/')
    const message = page.getByTestId('db-problem')
    await expect.poll(() => message.isVisible(), { timeout: 20_000 }).toBe(true)
    expect(await message.innerText()).toContain('较新版本')
    expect(await page.getByTestId('store-row').count()).toBe(0)
    await page.goto('/stores')
    await expect.poll(() => message.isVisible(), { timeout: 20_000 }).toBe(true)
    // Untouched: same version, same tables, same record.
    expect(await dbShape(page)).toEqual(before)
    expect(before).toEqual({ version: newer, stores: ['meta', 'somethingNew', 'stores'] })
    expect(await readTable(page, 'stores')).toEqual([{ code: 'S001', name: '新版本写的厅' }])
  })
})

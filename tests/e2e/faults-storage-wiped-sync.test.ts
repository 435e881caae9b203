/**
 * Fault: the browser removes the database of a device connected to a sync server (issue 15).
 * A real server process (tests/e2e/support/sync-server.ts, PGlite with its demo accounts); the
 * inspector signs in, the city comes down, an inspection started on the device is uploaded.
 * Then CDP Storage.clearDataForOrigin removes IndexedDB (the session went with it). On reload the
 * notice names the server and the account and offers to sign in again and sync; doing so brings
 * the stores, the evaluations and the device's own inspection back from the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { openSession, removeProfile, screenshot, type Session } from './support/browser'
import { readTable, waitSaved } from './support/faults'
import { startSyncServer, type SyncServer } from './support/sync-server'

let srv: SyncServer
let s: Session
beforeAll(async () => {
  srv = await startSyncServer()
}, 180_000)
afterAll(async () => {
  await s?.close()
  if (s) removeProfile(s.profileDir)
  await srv?.stop()
})

async function signIn(page: Page): Promise<void> {
  await page.getByTestId('server-username').fill('demo-inspector')
  await page.getByTestId('server-password').fill('demo-inspector-2026')
  await page.getByTestId('sign-in').click()
  await expect.poll(() => page.getByTestId('account-name').count(), { timeout: 30_000 }).toBe(1)
}

const synced = (page: Page) =>
  expect
    .poll(
      async () =>
        (await page.getByTestId('sync-status').getAttribute('data-error')) === '' &&
        Number(await page.getByTestId('sync-status').getAttribute('data-waiting')) === 0 &&
        /已同步|Synced/.test(await page.getByTestId('sync-status').innerText()),
      { timeout: 60_000 },
    )
    .toBe(true)

describe('the browser removes the database of a connected device', () => {
  it('the notice offers to sync again, and syncing brings the data back', async () => {
    s = await openSession({ baseURL: srv.appURL, autoAdvance: false })
    const page = s.page
    await page.goto('/settings')
    await signIn(page)
    await synced(page)
    const stores = await readTable(page, 'stores')
    expect(stores.length).toBeGreaterThan(0)

    // An inspection made on this device, uploaded.
    const store = stores.find((x) => x.level === 2 && x.type === 'self') ?? stores[0]!
    await page.goto(`/evaluations/new?store=${String(store.code)}`)
    await expect.poll(() => page.getByTestId('rubric').innerText()).toMatch(/\d+\.\d+\.\d+/)
    await page.getByTestId('create-evaluation').click()
    await page.waitForURL(/\/evaluations\/[0-9a-f-]{36}/)
    const evaluationId = page.url().split('?')[0]!.split('/').pop()!
    await page
      .locator('[data-testid=item-card][data-kind=yesno]')
      .first()
      .getByTestId('answer-yes')
      .click()
    await waitSaved(page)
    // Uploaded: the server's version of the evaluation is recorded and nothing waits to go.
    await expect
      .poll(
        async () =>
          (await readTable(page, 'syncVersions')).some(
            (r) => r.key === `evaluation:${evaluationId}`,
          ) && (await readTable(page, 'outbox')).length === 0,
        { timeout: 60_000 },
      )
      .toBe(true)
    await synced(page)
    const before = {
      stores: (await readTable(page, 'stores')).map((x) => x.code).sort(),
      evaluations: (await readTable(page, 'evaluations')).map((x) => x.id).sort(),
    }
    expect(before.evaluations).toContain(evaluationId)
    // The marker follows the writes shortly after they land.
    await expect
      .poll(() =>
        page.evaluate(() => localStorage.getItem('storageMarker:store-service-eval') !== null),
      )
      .toBe(true)

    await page.goto('/')
    const cdp = await s.context.newCDPSession(page)
    await cdp.send('Storage.clearDataForOrigin', { origin: srv.appURL, storageTypes: 'indexeddb' })
    await cdp.detach()
    await page.reload()

    const notice = page.getByTestId('storage-lost')
    await notice.waitFor({ timeout: 30_000 })
    expect(await notice.getAttribute('data-kind')).toBe('wiped')
    const server = await page.getByTestId('storage-lost-server').innerText()
    expect(server).toContain(srv.appURL)
    expect(server).toContain('演示检查员')
    expect(await page.getByTestId('load-demo').count()).toBe(0)
    await screenshot(page, 'faults-storage-wiped-connected')

    // The primary action is to sign in again and sync.
    const sync = page.getByTestId('storage-lost-sync')
    expect(await sync.innerText()).toContain('重新登录并同步')
    await sync.click()
    await page.waitForURL('**/settings')
    await signIn(page)
    await synced(page)
    await expect
      .poll(async () => (await readTable(page, 'stores')).map((x) => x.code).sort(), {
        timeout: 60_000,
      })
      .toEqual(before.stores)
    await expect
      .poll(async () => (await readTable(page, 'evaluations')).map((x) => x.id).sort(), {
        timeout: 60_000,
      })
      .toEqual(before.evaluations)
    const back = (await readTable(page, 'evaluations')).find((e) => e.id === evaluationId)!
    expect(Object.keys(back.answers as object).length).toBeGreaterThan(0)

    // The data back is a new database, not the one the marker knew: the notice says so and
    // waits for the user to go on, then goes.
    await expect.poll(() => notice.getAttribute('data-kind')).toBe('replaced')
    await page.getByTestId('storage-lost-go-on').click()
    await page.getByTestId('storage-lost-go-on-confirm').click()
    await expect.poll(() => notice.count()).toBe(0)
    await page.reload()
    await page.getByTestId('sync-status').waitFor()
    expect(await notice.count()).toBe(0)
  }, 300_000)
})

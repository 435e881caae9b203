/**
 * Fault: the browser removes the database of a device connected to a sync server (issue 15).
 * A real server process (tests/e2e/support/sync-server.ts, PGlite with its demo accounts); the
 * inspector signs in, the city comes down, an inspection started on the device is uploaded.
 * Then CDP Storage.clearDataForOrigin removes IndexedDB (the session went with it). On reload the
 * notice names the server and the account and offers to sign in again and sync; doing so brings
 * the stores, the evaluations and the device's own inspection back from the server.
 */
import { describe, expect, it } from 'vitest'
import { screenshot } from './support/browser'
import { readTable, waitSaved } from './support/faults'
import { newDraft, signIn, synced, useSyncServer } from './support/sync-app'

const fx = useSyncServer('pglite')
const INSPECTOR = ['demo-inspector', 'demo-inspector-2026'] as const

describe('the browser removes the database of a connected device', () => {
  it('the notice offers to sync again, and syncing brings the data back', async () => {
    const s = await fx.session({ autoAdvance: false })
    const page = s.page
    await signIn(page, ...INSPECTOR)
    await synced(page)
    const stores = await readTable(page, 'stores')
    expect(stores.length).toBeGreaterThan(0)

    // An inspection made on this device, uploaded.
    const evaluationId = await newDraft(page)
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
    await cdp.send('Storage.clearDataForOrigin', {
      origin: fx.srv.appURL,
      storageTypes: 'indexeddb',
    })
    await cdp.detach()
    await page.reload()

    const notice = page.getByTestId('storage-lost')
    await notice.waitFor({ timeout: 30_000 })
    expect(await notice.getAttribute('data-kind')).toBe('wiped')
    const server = await page.getByTestId('storage-lost-server').innerText()
    expect(server).toContain(fx.srv.appURL)
    expect(server).toContain('演示检查员')
    expect(await page.getByTestId('load-demo').count()).toBe(0)
    await screenshot(page, 'faults-storage-wiped-connected')

    // The primary action is to sign in again and sync.
    const sync = page.getByTestId('storage-lost-sync')
    expect(await sync.innerText()).toContain('重新登录并同步')
    await sync.click()
    await page.waitForURL('**/settings')
    await signIn(page, ...INSPECTOR, { onSettings: true })
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

/**
 * Fault: the browser removes the app's IndexedDB (storage pressure, a damaged database, a
 * "clear site data" limited to databases). Simulated with CDP Storage.clearDataForOrigin
 * (storageTypes indexeddb), which removes the origin's databases and closes their open
 * connections, as Chromium's own eviction does. The app must say plainly that the data was
 * removed and what is lost, never offer the demo as if the device were new, let the user
 * restore a backup, and a form whose record vanished must say so instead of "retry".
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { baseURL, openSession, removeProfile, screenshot, type Session } from './support/browser'
import {
  dbShape,
  loadDemo,
  readTable,
  saveState,
  startInspection,
  waitSaved,
} from './support/faults'

const sessions: Session[] = []
afterAll(async () => {
  for (const s of sessions) {
    await s.close().catch(() => undefined)
    removeProfile(s.profileDir)
  }
})

async function clearIndexedDb(context: BrowserContext, page: Page): Promise<void> {
  const cdp = await context.newCDPSession(page)
  await cdp.send('Storage.clearDataForOrigin', { origin: baseURL(), storageTypes: 'indexeddb' })
  await cdp.detach()
}

const count = async (page: Page, table: string) => (await readTable(page, table)).length

describe('the browser removes the database', () => {
  it('with data and a backup: says what was lost, offers no demo, and the backup brings it back', async () => {
    const s = await openSession({ autoAdvance: false })
    sessions.push(s)
    const page = s.page
    await loadDemo(page)
    const storesBefore = await count(page, 'stores')
    // A backup, then one more inspection started after it: that one is not in the backup.
    await page.goto('/exchange#backup')
    await page.getByTestId('backup-run').click()
    const link = page.getByTestId('backup-download')
    await link.waitFor({ timeout: 60_000 })
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
    const backupPath = join(mkdtempSync(join(tmpdir(), 'sse-wipe-')), 'backup.zip')
    await download.saveAs(backupPath)
    await startInspection(page)
    await page.locator('[data-testid=item-card]').first().getByTestId('answer-yes').click()
    await waitSaved(page)
    // The marker follows the writes shortly after they land.
    await expect
      .poll(() =>
        page.evaluate(() => {
          const m = localStorage.getItem('storageMarker:store-service-eval')
          return m ? (JSON.parse(m) as { changedSinceBackup: number }).changedSinceBackup : -1
        }),
      )
      .toBe(1)
    expect(await page.evaluate(() => navigator.storage.persisted())).toBeTypeOf('boolean')

    await page.goto('/')
    await clearIndexedDb(s.context, page)
    expect((await dbShape(page)) === null || (await count(page, 'stores')) === 0).toBe(true)

    await page.reload()
    const notice = page.getByTestId('storage-lost')
    await notice.waitFor()
    expect(await notice.getAttribute('data-kind')).toBe('wiped')
    expect(await notice.innerText()).toContain('浏览器删除了本应用在这台设备上的数据')
    expect(await page.getByTestId('storage-lost-held').innerText()).toContain(
      `${storesBefore} 个营业厅`,
    )
    expect(await page.getByTestId('storage-lost-backup').innerText()).toMatch(
      /上次备份于 .*此后改动过的 1 份评价不在备份里/,
    )
    // Not offered the demo as if the device were new.
    expect(await page.getByTestId('load-demo').count()).toBe(0)
    expect(await page.getByText('欢迎使用营业厅服务评价').count()).toBe(0)
    await screenshot(page, 'faults-storage-wiped')

    // Still said after another reload: the notice waits for the user's choice.
    await page.reload()
    await notice.waitFor()

    await page.getByTestId('storage-lost-restore').click()
    await page.waitForURL('**/exchange#backup')
    await page.getByTestId('restore-file').setInputFiles(backupPath)
    await page.getByTestId('restore-done').waitFor({ timeout: 60_000 })
    expect(await count(page, 'stores')).toBe(storesBefore)
    // The backup is this database's own: the notice goes by itself.
    await expect.poll(() => notice.count(), { timeout: 15_000 }).toBe(0)
    await page.goto('/')
    await page.getByTestId('home-daily').waitFor()
    expect(await notice.count()).toBe(0)
  }, 240_000)

  it('with a form open: the next change says the record is gone, a reload says so plainly', async () => {
    const s = await openSession({ autoAdvance: false })
    sessions.push(s)
    const page = s.page
    await loadDemo(page)
    await startInspection(page)
    const cards = page.locator('[data-testid=item-card][data-kind=yesno]')
    await cards.nth(0).getByTestId('answer-yes').click()
    await waitSaved(page)
    await expect
      .poll(() => page.evaluate(() => localStorage.getItem('storageMarker:store-service-eval')))
      .not.toBeNull()

    await clearIndexedDb(s.context, page)
    await cards.nth(1).getByTestId('answer-no').click()
    const missing = page.getByTestId('record-missing')
    await missing.waitFor()
    expect(await missing.innerText()).toContain('这份评价的记录已不在这台设备上')
    expect(await missing.innerText()).toContain('重试也不会成功')
    expect(await page.getByText('保存失败').count()).toBe(0)
    expect(await saveState(page)).toBe('error')
    // The answers on screen stay; the form takes no more changes that cannot be saved.
    expect(await cards.nth(1).getByTestId('answer-no').getAttribute('aria-pressed')).toBe('true')
    expect(await cards.nth(2).getByTestId('answer-yes').isDisabled()).toBe(true)
    const notice = page.getByTestId('storage-lost')
    await notice.waitFor()
    expect(await notice.getAttribute('data-kind')).toBe('wiped')
    await screenshot(page, 'faults-storage-wiped-form')

    await page.reload()
    const loadMissing = page.getByTestId('load-missing')
    await loadMissing.waitFor()
    expect(await loadMissing.innerText()).toContain('这份评价不在这台设备上')
    expect(await page.getByText('Error: no evaluation').count()).toBe(0)
    expect(await page.getByTestId('load-error').count()).toBe(0)
    await notice.waitFor()

    // The user goes on without restoring: deliberate (two clicks), then the home page is new.
    await page.goto('/')
    await page.getByTestId('storage-lost-go-on').click()
    await page.getByTestId('storage-lost-go-on-confirm').click()
    await expect.poll(() => notice.count()).toBe(0)
    await page.getByTestId('load-demo').waitFor()
    await page.reload()
    await page.getByTestId('load-demo').waitFor()
    expect(await notice.count()).toBe(0)
  }, 240_000)
})

/**
 * Tablets on a real sync server when things go wrong (issue 13): two devices of one inspector edit
 * the same draft, and the second is shown both copies side by side and decides what the server
 * keeps; the browser is killed while a push is on the wire, and after a restart every change
 * shown as saved is on the server once (the resent push is answered as a replay, nothing is
 * written twice). It runs on PostgreSQL where CI has one (the engine whose locks and replays
 * matter in production), on PGlite otherwise; sync.test.ts runs on both.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { screenshot } from './support/browser'
import { browserPid, liveInGroup, readTable } from './support/faults'
import { newDraft, onServer as serverCopy, signIn, synced, useSyncServer } from './support/sync-app'
import { apiToken, PREFERRED_ENGINE } from './support/sync-server'

describe(`sync when things go wrong (${PREFERRED_ENGINE})`, () => {
  const fx = useSyncServer(PREFERRED_ENGINE)
  const device = (profileDir?: string) =>
    fx.session({ autoAdvance: false, ...(profileDir ? { profileDir } : {}) })
  const onServer = (token: string, id: string) => serverCopy(fx.srv.apiURL, token, id)
  const saved = (page: Page) =>
    expect.poll(() => page.getByTestId('save-state').getAttribute('data-state')).toBe('saved')

  it('two devices edit the same draft: the conflict is shown and the choice is what the server keeps', async () => {
    const one = (await device()).page
    const two = (await device()).page
    await signIn(one, 'demo-inspector', 'demo-inspector-2026')
    await synced(one)
    await signIn(two, 'demo-inspector', 'demo-inspector-2026')
    await synced(two)

    const token = await apiToken(fx.srv.apiURL, 'demo-inspector', 'demo-inspector-2026')
    const id = await newDraft(one)
    await expect.poll(() => onServer(token, id), { timeout: 30_000 }).not.toBeNull()
    await two.getByTestId('sync-status').click()
    await two.getByTestId('sync-now').click()
    await expect
      .poll(async () => (await readTable(two, 'evaluations')).some((e) => e.id === id))
      .toBe(true)
    await two.goto(`/evaluations/${id}`)
    const card = (p: Page) => p.locator('[data-testid=item-card][data-kind=yesno]').first()
    await expect.poll(() => card(two).count()).toBe(1)
    const item = (await card(one).getAttribute('data-item'))!
    expect(await card(two).getAttribute('data-item')).toBe(item)

    // Device two loses the network; device one answers 是 and syncs; two answers 否.
    await two.context().setOffline(true)
    await card(one).getByTestId('answer-yes').click()
    await saved(one)
    await expect
      .poll(async () => (await onServer(token, id))?.data.answers[item]?.value, {
        timeout: 30_000,
      })
      .toBe(true)
    await card(two).getByTestId('answer-no').click()
    await saved(two)
    await two.context().setOffline(false)
    await two.evaluate(() => window.dispatchEvent(new Event('online')))

    // The server refused to overwrite one's answer: two is told, and nothing is lost.
    await expect
      .poll(() => two.getByTestId('sync-status').innerText(), { timeout: 30_000 })
      .toMatch(/拒绝|refused/)
    expect((await onServer(token, id))?.data.answers[item]?.value).toBe(true)
    await two.getByTestId('sync-status').click()
    const conflict = two.getByTestId(`conflict-${id}`)
    await expect.poll(() => conflict.count(), { timeout: 15_000 }).toBe(1)
    // Side by side: this device's 否 against the server's 是, on the import's conflict screen.
    const text = await conflict.innerText()
    expect(text).toMatch(/本设备/)
    expect(text).toMatch(/服务器/)
    await screenshot(two, 'sync-conflict')
    await conflict.getByTestId('keep-local').check()
    await two.getByTestId('apply-disputes').click()
    await synced(two)
    expect((await onServer(token, id))?.data.answers[item]?.value).toBe(false)

    // Device one receives the choice.
    await one.getByTestId('sync-status').click()
    await one.getByTestId('sync-now').click()
    await expect
      .poll(
        async () =>
          (
            (await readTable(one, 'evaluations')).find((e) => e.id === id) as
              { answers: Record<string, { value?: unknown }> } | undefined
          )?.answers[item]?.value,
        { timeout: 20_000 },
      )
      .toBe(false)
  }, 300_000)

  it("the submission status screen shows the server's numbers for the account's city, with a drill-down and a CSV", async () => {
    const page = (await device()).page
    await signIn(page, 'demo-viewer', 'demo-viewer-2026')
    await synced(page)
    await page.goto('/status')
    await expect
      .poll(() => page.getByTestId('status-source').getAttribute('data-source'))
      .toBe('server')
    const token = await apiToken(fx.srv.apiURL, 'demo-viewer', 'demo-viewer-2026')
    const period = await page.getByTestId('status-period').inputValue()
    const res = (await (
      await fetch(`${fx.srv.apiURL}/api/status?period=${period}`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as {
      cities: { province: string; city: string; total: number; counts: Record<string, number> }[]
    }
    expect(res.cities.length).toBeGreaterThan(0)
    for (const c of res.cities) {
      const row = page.getByTestId(`status-city-${c.province}/${c.city}`)
      for (const [state, n] of Object.entries(c.counts))
        await expect.poll(() => row.locator(`[data-state="${state}"]`).innerText()).toBe(String(n))
    }
    const c = res.cities[0]!
    await page.getByTestId(`status-city-${c.province}/${c.city}`).getByRole('button').click()
    await expect
      .poll(() => page.getByTestId('status-stores').locator('tbody tr').count())
      .toBe(c.total)
    await page.getByTestId('status-export').click()
    const download = page.waitForEvent('download')
    await page.getByTestId('status-download').click()
    expect((await download).suggestedFilename()).toMatch(/^status-.*\.csv$/)
    await screenshot(page, 'sync-status-screen')
  }, 180_000)

  it('the browser killed during a push: after a restart every saved change is on the server once', async () => {
    const first = await device()
    const page = first.page
    await signIn(page, 'demo-inspector', 'demo-inspector-2026')
    await synced(page)
    const token = await apiToken(fx.srv.apiURL, 'demo-inspector', 'demo-inspector-2026')
    const id = await newDraft(page)
    await expect.poll(() => onServer(token, id), { timeout: 30_000 }).not.toBeNull()
    await page.context().setOffline(true)
    const cards = page.locator('[data-testid=item-card][data-kind=yesno]')
    const answered: string[] = []
    for (let i = 0; i < Math.min(3, await cards.count()); i++) {
      await cards.nth(i).getByTestId('answer-yes').click()
      await saved(page)
      answered.push((await cards.nth(i).getAttribute('data-item'))!)
    }
    expect(answered.length).toBeGreaterThanOrEqual(2)

    // The push reaches the server and is applied, but its answer never reaches the page.
    let applied: { seq: number; results: { id: string; version: number }[] } | null = null
    await page.context().route('**/api/sync/push', async (route) => {
      const res = await route.fetch()
      applied = (await res.json()) as typeof applied
      await new Promise(() => undefined)
    })
    await page.context().setOffline(false)
    await page.evaluate(() => window.dispatchEvent(new Event('online')))
    await expect.poll(() => applied !== null, { timeout: 30_000 }).toBe(true)
    const pid = browserPid(first.profileDir)
    process.kill(-pid, 'SIGKILL')
    await expect.poll(() => liveInGroup(pid), { timeout: 10_000 }).toEqual([])
    const firstVersion = applied!.results.find((r) => r.id === id)!.version
    expect(firstVersion).toBeGreaterThan(0)

    // Restart on the same profile: the push in flight is resent unchanged and answered as a
    // replay; the outbox empties.
    const again = await device(first.profileDir)
    const replies: { replayed: boolean; seq: number }[] = []
    again.page.on('response', (r) => {
      if (r.url().includes('/api/sync/push'))
        void r.json().then((j: { replayed: boolean; seq: number }) => replies.push(j))
    })
    await again.page.goto('/settings')
    await synced(again.page)
    expect(replies[0]).toEqual(expect.objectContaining({ seq: applied!.seq, replayed: true }))

    const copy = await onServer(token, id)
    // Written once: the version is the first push's, and every answer shown as saved is there.
    expect(copy?.version).toBe(firstVersion)
    for (const item of answered) expect(copy?.data.answers[item]?.value).toBe(true)
    expect(await readTable(again.page, 'outbox')).toEqual([])
  }, 300_000)
})

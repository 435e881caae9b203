/**
 * Accounts on a real sync server (issue 13), in real Chromium: the admin screen of a province
 * admin (the users of the province only; create, reset a password, change roles, disable and
 * enable, with the server's refusals shown); an account disabled while its tablet holds unsent
 * work (the next sync says so, the work stays and leaves as a bundle, then the account's data is
 * removed from the device); signing out with unsent changes (told how many, offered push or
 * export, nothing deleted until the user chooses; after the push, the device holds nothing of
 * the account). PGlite: the user endpoints run on both engines in tests/server/users.test.ts.
 */
import { readFileSync } from 'node:fs'
import { strFromU8, unzipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { screenshot } from './support/browser'
import { readTable } from './support/faults'
import { newDraft, onServer, signIn, synced, useSyncServer, waiting } from './support/sync-app'
import { apiToken } from './support/sync-server'

/** The tables that hold an account's data (all of them but meta and the rubric cache). */
const ACCOUNT_TABLES = [
  'stores',
  'evaluations',
  'photos',
  'actions',
  'certification',
  'results',
  'rankingPacks',
  'outbox',
  'syncVersions',
]
async function accountData(page: Page): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const t of ACCOUNT_TABLES) out[t] = (await readTable(page, t)).length
  const meta = await readTable(page, 'meta')
  out.session = meta.filter((m) => m.key === 'serverSession').length
  return out
}
const EMPTY = Object.fromEntries([...ACCOUNT_TABLES, 'session'].map((t) => [t, 0]))

describe('accounts on the sync server', () => {
  const fx = useSyncServer('pglite')
  let province = ''
  let city = ''
  let admin: Page
  let tablet: Page

  const api = async (token: string, method: string, path: string, body?: object) => {
    const r = await fetch(`${fx.srv.apiURL}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
    return { status: r.status, body: (await r.json().catch(() => null)) as never }
  }
  const canSignIn = async (username: string, password: string) =>
    (
      await fetch(`${fx.srv.apiURL}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      })
    ).status === 200
  const row = (username: string) => admin.getByTestId(`user-${username}`)
  const editor = (username: string) => admin.getByTestId(`user-editor-${username}`)
  async function openEditor(username: string): Promise<void> {
    if ((await editor(username).count()) === 0) await row(username).getByTestId('edit-user').click()
    await expect.poll(() => editor(username).count()).toBe(1)
  }

  it("a province admin's screen: the province's users only; create, reset, change roles", async () => {
    // The group's demo admin makes a province admin for the demo province.
    const group = await apiToken(fx.srv.apiURL, 'demo-admin', 'demo-admin-2026')
    const me = await api(
      await apiToken(fx.srv.apiURL, 'demo-inspector', 'demo-inspector-2026'),
      'GET',
      '/api/me',
    )
    const unit = (me.body as { roles: { unit: string }[] }).roles[0]!.unit
    ;[, province, city] = unit.split('/') as [string, string, string]
    const made = await api(group, 'POST', '/api/users', {
      username: 'prov-admin',
      displayName: '省管理员',
      password: 'prov-admin-password',
      roles: [{ role: 'admin', unit: `group/${province}` }],
    })
    expect(made.status).toBe(201)

    admin = await fx.device()
    await signIn(admin, 'prov-admin', 'prov-admin-password')
    await synced(admin)
    // The menu has the screen for an admin account; the screen is its own chunk.
    await admin.locator('a[href="/admin"]').click()
    await admin.waitForURL(/\/admin$/)
    await expect.poll(() => admin.getByTestId('admin-users').count()).toBe(1)
    await expect.poll(() => row('demo-inspector').count(), { timeout: 15_000 }).toBe(1)
    const listed = await admin
      .locator('[data-testid=admin-users] tbody tr[data-testid^=user-]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')!.slice(5)).sort())
    expect(listed).toEqual(
      ['demo-certifier', 'demo-inspector', 'demo-manager', 'demo-viewer', 'prov-admin'].sort(),
    )
    expect(await row('demo-inspector').getByTestId('user-roles').innerText()).toContain(
      `检查员 · 集团 / ${province} / ${city}`,
    )
    expect(await admin.getByTestId('admin-scope').innerText()).toContain(`集团 / ${province}`)

    // Create an inspector of the city.
    await admin.getByTestId('admin-new').locator('summary').click()
    const form = admin.getByTestId('admin-new')
    await form.getByTestId('new-username').fill('city-inspector')
    await form.getByTestId('new-display-name').fill('市检查员')
    await form.getByTestId('new-password').fill('first-password-1')
    await form.getByTestId('role-add').click()
    await form.getByTestId('role-select').selectOption('inspector')
    // A unit above the admin's own is refused before anything is sent.
    await form.getByTestId('role-unit').fill('group')
    await form.getByTestId('role-unit').press('Tab')
    await form.getByTestId('create-user').click()
    await expect
      .poll(() => form.getByTestId('create-message').innerText())
      .toContain('不在本账号的管理范围内')
    await form.getByTestId('role-unit').fill(`group/${province}/${city}`)
    await form.getByTestId('role-unit').press('Tab')
    await form.getByTestId('create-user').click()
    await expect
      .poll(() => form.getByTestId('create-message').innerText(), { timeout: 15_000 })
      .toContain('已创建用户 city-inspector')
    await expect.poll(() => row('city-inspector').count()).toBe(1)
    expect(await canSignIn('city-inspector', 'first-password-1')).toBe(true)

    // The server's refusal, in the user's language: the name is taken in another case.
    await form.getByTestId('new-username').fill('City-Inspector')
    await form.getByTestId('new-display-name').fill('重名')
    await form.getByTestId('new-password').fill('first-password-1')
    await form.getByTestId('role-add').click()
    await form.getByTestId('role-unit').fill(`group/${province}/${city}`)
    await form.getByTestId('role-unit').press('Tab')
    await form.getByTestId('create-user').click()
    await expect
      .poll(() => form.getByTestId('create-message').innerText(), { timeout: 15_000 })
      .toContain('该用户名已存在')

    // Reset the password and add a certifier role in the city.
    await openEditor('city-inspector')
    const ed = editor('city-inspector')
    await ed.getByTestId('new-password').fill('second-password-2')
    await ed.getByTestId('reset-password').click()
    await expect.poll(() => ed.getByTestId('editor-message').innerText()).toContain('已重设密码')
    expect(await canSignIn('city-inspector', 'first-password-1')).toBe(false)
    expect(await canSignIn('city-inspector', 'second-password-2')).toBe(true)
    await ed.getByTestId('role-add').click()
    await ed.getByTestId('role-select').last().selectOption('certifier')
    await ed.getByTestId('role-unit').last().fill(`group/${province}/${city}`)
    await ed.getByTestId('role-unit').last().press('Tab')
    await ed.getByTestId('save-roles').click()
    await expect
      .poll(() => row('city-inspector').getByTestId('user-roles').innerText())
      .toContain(`认定人 · 集团 / ${province} / ${city}`)
    const listedByServer = await api(
      await apiToken(fx.srv.apiURL, 'prov-admin', 'prov-admin-password'),
      'GET',
      '/api/users',
    )
    const u = (
      listedByServer.body as { users: { username: string; roles: { role: string }[] }[] }
    ).users.find((x) => x.username === 'city-inspector')
    expect(u?.roles.map((r) => r.role).sort()).toEqual(['certifier', 'inspector'])
    expect(JSON.stringify(listedByServer.body)).not.toMatch(/argon2|password/i)
    await screenshot(admin, 'admin-users')

    // English: the same screen, the same data.
    await admin.getByTestId('lang-toggle').click()
    await expect.poll(() => admin.locator('h1').innerText()).toBe('Users')
    expect(await row('demo-inspector').getByTestId('user-roles').innerText()).toContain(
      `Inspector · Group / ${province} / ${city}`,
    )
    await admin.getByTestId('lang-toggle').click()
  }, 240_000)

  it('an account disabled on the admin screen: its tablet says so at the next sync, keeps the unsent change and exports it', async () => {
    tablet = await fx.device()
    await signIn(tablet, 'demo-inspector', 'demo-inspector-2026')
    await synced(tablet)
    // Not an admin: no menu entry, and the screen says why.
    expect(await tablet.locator('a[href="/admin"]').count()).toBe(0)
    await tablet.goto('/admin')
    await expect.poll(() => tablet.getByTestId('admin-not-admin').count()).toBe(1)

    const draft = await newDraft(tablet, { offline: true })
    await expect.poll(() => waiting(tablet), { timeout: 10_000 }).toBeGreaterThanOrEqual(1)

    await openEditor('demo-inspector')
    await editor('demo-inspector').getByTestId('disable-user').click()
    await expect.poll(() => row('demo-inspector').getAttribute('data-disabled')).toBe('true')
    expect(await row('demo-inspector').getByTestId('user-state').innerText()).toBe('已停用')

    await tablet.context().setOffline(false)
    await tablet.evaluate(() => window.dispatchEvent(new Event('online')))
    await expect
      .poll(() => tablet.getByTestId('sync-status').getAttribute('data-error'), {
        timeout: 30_000,
      })
      .toBe('unauthorized')
    const outbox = await readTable(tablet, 'outbox')
    expect(outbox.some((o) => o.kind === 'evaluation' && o.id === draft)).toBe(true)
    expect((await readTable(tablet, 'evaluations')).some((e) => e.id === draft)).toBe(true)

    await tablet.getByTestId('sync-status').click()
    await expect.poll(() => tablet.getByTestId('sync-revoked').count()).toBe(1)
    expect(await tablet.getByTestId('sync-revoked').innerText()).toContain('未上传的更改仍在本设备')
    // Signing out asks first: how many, and export (a push cannot go through now).
    await tablet.getByTestId('sign-out').click()
    const warning = tablet.getByTestId('unsent-warning')
    await expect.poll(() => warning.count()).toBe(1)
    expect(await warning.innerText()).toContain(`还有 ${outbox.length} 项更改未上传`)
    expect(await warning.getByTestId('push-first').count()).toBe(0)
    expect(await accountData(tablet)).toMatchObject({ outbox: outbox.length, session: 1 })
    await warning.getByTestId('export-unsent').click()
    const link = tablet.getByTestId('unsent-download')
    await expect.poll(() => link.count(), { timeout: 20_000 }).toBe(1)
    const download = tablet.waitForEvent('download')
    await link.click()
    const file = await (await download).path()
    const entries = unzipSync(new Uint8Array(readFileSync(file)))
    const text = Object.values(entries)
      .map((b) => strFromU8(b))
      .join('\n')
    expect(text).toContain(draft)
    await screenshot(tablet, 'account-disabled')

    // Exported: the user may now sign out and let the device forget the account.
    await warning.getByTestId('discard-unsent').click()
    await expect.poll(() => tablet.getByTestId('signed-out').count()).toBe(1)
    expect(await accountData(tablet)).toEqual(EMPTY)

    // Enabled again on the admin screen: the account signs in anew.
    await editor('demo-inspector').getByTestId('enable-user').click()
    await expect.poll(() => row('demo-inspector').getAttribute('data-disabled')).toBe('false')
    expect(await canSignIn('demo-inspector', 'demo-inspector-2026')).toBe(true)
  }, 240_000)

  it('signing out with unsent changes tells how many and offers push or export; after the push the account’s data is gone', async () => {
    const page = await fx.device()
    await signIn(page, 'city-inspector', 'second-password-2')
    await synced(page)
    expect((await accountData(page)).stores).toBeGreaterThan(0)
    const draft = await newDraft(page, { offline: true })
    await expect.poll(() => waiting(page), { timeout: 10_000 }).toBeGreaterThanOrEqual(1)

    // Settings, offline, through the header's sync state (the app's own navigation).
    await page.getByTestId('sync-status').click()
    await page.getByTestId('sign-out').click()
    const warning = page.getByTestId('unsent-warning')
    await expect.poll(() => warning.count()).toBe(1)
    const n = (await readTable(page, 'outbox')).length
    expect(await warning.innerText()).toContain(`还有 ${n} 项更改未上传`)
    expect(await warning.getByTestId('push-first').count()).toBe(1)
    expect(await warning.getByTestId('export-unsent').count()).toBe(1)
    // Asking changed nothing: still signed in, everything still on the device.
    expect(await page.getByTestId('account-name').count()).toBe(1)
    expect(await accountData(page)).toMatchObject({ outbox: n, session: 1 })
    expect((await readTable(page, 'evaluations')).some((e) => e.id === draft)).toBe(true)
    await screenshot(page, 'account-sign-out-unsent')

    await page.context().setOffline(false)
    await warning.getByTestId('push-first').click()
    await expect.poll(() => page.getByTestId('signed-out').count(), { timeout: 30_000 }).toBe(1)
    const token = await apiToken(fx.srv.apiURL, 'city-inspector', 'second-password-2')
    expect(await onServer(fx.srv.apiURL, token, draft)).not.toBeNull()
    expect(await accountData(page)).toEqual(EMPTY)
  }, 240_000)
})

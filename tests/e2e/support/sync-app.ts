/**
 * What the sync e2e files share (tests/e2e/sync*.test.ts, account, visits, faults-storage-wiped-sync): a sync server
 * process beside the built app for one describe block, devices (persistent Chromium profiles on
 * the app's origin), signing in through Settings, waiting for the header to say "synced", and
 * reading what the server holds through the account's own pull.
 */
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, expect } from 'vitest'
import type { Page } from 'playwright-core'
import { openSession, type Session } from './browser'
import { readTable } from './faults'
import { startSyncServer, type SyncEngine, type SyncServer } from './sync-server'

export interface SyncFixture {
  readonly srv: SyncServer
  /** A new device (or the same profile again, after a crash). */
  session(opts?: { profileDir?: string; autoAdvance?: boolean }): Promise<Session>
  device(opts?: { autoAdvance?: boolean }): Promise<Page>
}

/** Starts the server before the block's tests and stops it, and every device, after. */
export function useSyncServer(engine: SyncEngine): SyncFixture {
  let srv: SyncServer | undefined
  const sessions: Session[] = []
  beforeAll(async () => {
    srv = await startSyncServer(engine)
  }, 180_000)
  afterAll(async () => {
    // Every browser closed before any profile goes: a profile reopened after a crash belongs to
    // two sessions, and the live one still writes into it.
    for (const s of sessions) await s.close().catch(() => undefined)
    for (const dir of new Set(sessions.map((s) => s.profileDir)))
      rmSync(dir, { recursive: true, force: true, maxRetries: 5 })
    await srv?.stop()
  })
  const fx: SyncFixture = {
    get srv() {
      if (!srv) throw new Error('the sync server has not started')
      return srv
    },
    async session(opts = {}) {
      const s = await openSession({
        baseURL: fx.srv.appURL,
        ...(opts.autoAdvance === undefined ? {} : { autoAdvance: opts.autoAdvance }),
        ...(opts.profileDir ? { profileDir: opts.profileDir } : {}),
      })
      sessions.push(s)
      return s
    },
    async device(opts = {}) {
      return (await fx.session(opts)).page
    },
  }
  return fx
}

/**
 * Signs in the way a user does: Settings → address (the app's own), user name, password.
 * `onSettings`: the app has already taken the page to Settings, so it is not loaded again.
 */
export async function signIn(
  page: Page,
  username: string,
  password: string,
  opts: { onSettings?: boolean } = {},
): Promise<void> {
  if (!opts.onSettings) await page.goto('/settings')
  await page.getByTestId('server-username').fill(username)
  await page.getByTestId('server-password').fill(password)
  await page.getByTestId('sign-in').click()
  await expect.poll(() => page.getByTestId('account-name').count(), { timeout: 30_000 }).toBe(1)
}

/** The header's count of changes waiting for the server. */
export const waiting = (page: Page): Promise<number> =>
  page.getByTestId('sync-status').getAttribute('data-waiting').then(Number)

/** Waits (up to `timeout` ms) until the header says synced: no error, nothing waiting. */
export const synced = (page: Page, timeout = 60_000): Promise<void> =>
  expect
    .poll(
      async () =>
        (await page.getByTestId('sync-status').getAttribute('data-error')) === '' &&
        (await waiting(page)) === 0 &&
        /已同步|Synced/.test(await page.getByTestId('sync-status').innerText()),
      { timeout },
    )
    .toBe(true)

/** The server's copy of an evaluation, as the account's own pull sends it (null: none). */
export async function onServer(
  apiURL: string,
  token: string,
  id: string,
): Promise<{ version: number; data: { answers: Record<string, { value?: unknown }> } } | null> {
  let cursor = 0
  let found = null
  for (;;) {
    const r = await fetch(`${apiURL}/api/sync/pull?cursor=${cursor}&limit=5000`, {
      headers: { authorization: `Bearer ${token}` },
    })
    const page = (await r.json()) as {
      changes: { kind: string; id: string; version: number; data: never }[]
      cursor: number
      more: boolean
    }
    for (const c of page.changes) if (c.kind === 'evaluation' && c.id === id) found = c
    if (!page.more) return found
    cursor = page.cursor
  }
}

/**
 * Takes the page's network away once the service worker controls it: offline, the next
 * screen's chunk comes from the worker's precache (an installed app, as a tablet in a store has).
 */
export async function goOffline(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined))
  const controlled = () => page.evaluate(() => navigator.serviceWorker.controller !== null)
  if (!(await controlled())) await page.reload()
  await expect.poll(controlled, { timeout: 10_000 }).toBe(true)
  await page.context().setOffline(true)
}

/**
 * Starts a draft of a level-2 self-operated store of the account's (the form's own path).
 * `offline`: the network goes once the form is open (under the service worker), so the draft
 * waits in the outbox.
 */
export async function newDraft(page: Page, opts: { offline?: boolean } = {}): Promise<string> {
  const stores = await readTable(page, 'stores')
  const store = stores.find((s) => s.level === 2 && s.type === 'self') ?? stores[0]!
  await page.goto(`/evaluations/new?store=${String(store.code)}`)
  await expect.poll(() => page.getByTestId('rubric').innerText()).toMatch(/\d+\.\d+\.\d+/)
  if (opts.offline) {
    await goOffline(page)
    await expect.poll(() => page.getByTestId('create-evaluation').count()).toBe(1)
  }
  await page.getByTestId('create-evaluation').click()
  await page.waitForURL(/\/evaluations\/[0-9a-f-]{36}/)
  await expect.poll(() => page.getByTestId('item-card').count()).toBeGreaterThan(0)
  return page.url().split('?')[0]!.split('/').pop()!
}

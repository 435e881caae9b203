import { mkdtempSync, mkdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { inject } from 'vitest'
import { CHROMIUM, CHROMIUM_ARGS } from '../../helpers/chromium'

/** A 10-inch tablet in landscape. */
export const TABLET = { width: 1280, height: 800 }
export const TABLET_PORTRAIT = { width: 800, height: 1280 }

export const baseURL = (): string => inject('baseURL')

export interface Session {
  context: BrowserContext
  page: Page
  profileDir: string
  close(): Promise<void>
}

/**
 * A persistent profile (a real user-data-dir), so tests can close and reopen the browser on
 * the same IndexedDB, as a tablet does after a crash or a reboot.
 */
export async function openSession(
  opts: {
    profileDir?: string
    viewport?: { width: number; height: number }
    locale?: string
    args?: string[]
    /** false: the form does not move on after an answer (tests that walk the steps themselves). */
    autoAdvance?: boolean
    /** Another app origin than the shared preview (the sync tests' preview with an /api proxy). */
    baseURL?: string
  } = {},
): Promise<Session> {
  const profileDir = opts.profileDir ?? mkdtempSync(join(tmpdir(), 'sse-profile-'))
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    args: [...CHROMIUM_ARGS, ...(opts.args ?? [])],
    viewport: opts.viewport ?? TABLET,
    locale: opts.locale ?? 'zh-CN',
    hasTouch: true,
    acceptDownloads: true,
    baseURL: opts.baseURL ?? baseURL(),
  })
  if (opts.autoAdvance === false)
    await context.addInitScript(() => localStorage.setItem('autoAdvance', 'off'))
  const page = context.pages()[0] ?? (await context.newPage())
  return {
    context,
    page,
    profileDir,
    async close() {
      await context.close()
    },
  }
}

export function removeProfile(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}

/** Screenshots go to tests/artifacts/ (ignored by git) so a reviewer can look at the screens. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = join('tests', 'artifacts', 'screenshots')
  mkdirSync(dir, { recursive: true })
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true })
}

/**
 * Fault: a new version is published while an inspector has a form open, the cursor in a note.
 * The test serves the app itself from a directory it controls: version A is a copy of the
 * e2e build (dist-e2e), version B a second real build of the same sources with one difference
 * (a marker in index.html, so the service worker's precache manifest, and so sw.js, change).
 * "Publishing" switches the served directory; the update check is the one the app itself does
 * (registration.update()). The page must not reload on its own, the note must survive and be
 * saved, and after the user accepts, version B runs on the same data.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { extname, join, normalize } from 'node:path'
import { build, type Plugin } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openSession, removeProfile, screenshot, type Session } from './support/browser'
import { cardsShown, loadDemo, readTable, startInspection, waitSaved } from './support/faults'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.yaml': 'text/yaml; charset=utf-8',
}

/** A static server for a built app (SPA fallback to index.html), whose root can be swapped. */
function staticServer(): { server: Server; publish(dir: string): void; origin(): string } {
  let root = ''
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname))
    let file = join(root, path)
    if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory())
      file = join(root, 'index.html')
    // No HTTP caching: what is published is what the browser's update check sees.
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
    })
    res.end(readFileSync(file))
  })
  server.listen(0, '127.0.0.1')
  return {
    server,
    publish(dir) {
      root = dir
    },
    origin() {
      const a = server.address()
      if (!a || typeof a === 'string') throw new Error('server not listening')
      return `http://127.0.0.1:${a.port}`
    },
  }
}

/** Version B's one difference: a marker the test can see once B runs. */
const markB = (): Plugin => ({
  name: 'e2e-mark-version-b',
  transformIndexHtml: () => [
    { tag: 'meta', attrs: { name: 'e2e-build', content: 'B' }, injectTo: 'head' },
  ],
})

describe('a service-worker update while a form is open', () => {
  let work = ''
  let versionA = ''
  let versionB = ''
  let http: ReturnType<typeof staticServer>
  let s: Session
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'sse-sw-update-'))
    versionA = join(work, 'a')
    versionB = join(work, 'b')
    cpSync('dist-e2e', versionA, { recursive: true })
    await build({
      configFile: 'vite.config.ts',
      logLevel: 'warn',
      build: { outDir: versionB, emptyOutDir: true },
      plugins: [markB()],
    })
    http = staticServer()
    await new Promise<void>((resolve) => http.server.once('listening', () => resolve()))
    http.publish(versionA)
    s = await openSession({ autoAdvance: false })
  })
  afterAll(async () => {
    await s?.close()
    if (s) removeProfile(s.profileDir)
    await new Promise<void>((resolve) => http?.server.close(() => resolve()))
    if (work) rmSync(work, { recursive: true, force: true })
  })

  it('shows the update without reloading, keeps the focused note, and runs B on the same data after the click', async () => {
    // The two builds really differ where the update check looks.
    expect(readFileSync(join(versionB, 'sw.js'), 'utf8')).not.toBe(
      readFileSync(join(versionA, 'sw.js'), 'utf8'),
    )
    const origin = http.origin()
    const { page } = s
    await page.goto(`${origin}/`)
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined))
    await page.reload()
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null))
      .toBe(true)
    await loadDemo(page, origin)
    const id = await startInspection(page, origin)
    const version = () =>
      page.evaluate(() => document.querySelector('meta[name=e2e-build]')?.getAttribute('content'))
    expect(await version()).toBeUndefined()

    const yesno = page.locator('[data-testid=item-card][data-kind=yesno]')
    await yesno.nth(0).getByTestId('answer-no').click()
    await yesno.nth(1).getByTestId('answer-yes').click()
    await waitSaved(page)
    // The cursor stays in this note from here until the user clicks "update".
    await yesno.nth(2).getByTestId('open-evidence').click()
    const note = yesno.nth(2).getByTestId('item-note')
    await note.click()
    await note.pressSequentially('货架缺货', { delay: 20 })
    await page.evaluate(
      () => ((window as unknown as { __e2eSamePage: boolean }).__e2eSamePage = true),
    )
    const focused = () =>
      page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null)
    expect(await focused()).toBe('item-note')

    // Publish B and let the app's own update check find it.
    http.publish(versionB)
    await page.evaluate(() =>
      navigator.serviceWorker.getRegistration().then((r) => r?.update().then(() => undefined)),
    )
    await page.getByTestId('update-banner').waitFor({ timeout: 30_000 })
    await screenshot(page, 'faults-update-banner')
    // Not reloaded, still version A, the cursor still in the note with what was typed.
    expect(
      await page.evaluate(() => (window as unknown as { __e2eSamePage?: boolean }).__e2eSamePage),
    ).toBe(true)
    expect(await version()).toBeUndefined()
    expect(await focused()).toBe('item-note')
    expect(await note.inputValue()).toBe('货架缺货')
    // Typing goes on in the same field and is saved.
    await note.pressSequentially(',已登记', { delay: 20 })
    await waitSaved(page)
    const itemId = (await yesno.nth(2).getAttribute('data-item'))!
    const stored = () =>
      readTable(page, 'evaluations').then(
        (rows) =>
          (rows.find((r) => r.id === id)!.answers as Record<string, { note?: string }>)[itemId]
            ?.note,
      )
    expect(await stored()).toBe('货架缺货,已登记')
    // A last word typed just before the click: the update waits for it to be written.
    await note.pressSequentially('。')
    const shown = await cardsShown(page)

    await page.getByTestId('update-now').click()
    await expect.poll(() => version(), { timeout: 30_000 }).toBe('B')
    expect(
      await page.evaluate(() => (window as unknown as { __e2eSamePage?: boolean }).__e2eSamePage),
    ).toBeUndefined()
    await expect.poll(() => page.getByTestId('item-card').count()).toBeGreaterThan(0)
    expect(page.url()).toContain(`/evaluations/${id}`)
    expect(await cardsShown(page)).toEqual(shown)
    expect(shown[itemId]!.note).toBe('货架缺货,已登记。')
    expect(await stored()).toBe('货架缺货,已登记。')
    expect(await page.getByTestId('update-banner').count()).toBe(0)
    // B is the worker in charge now, and the data is the same database.
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.state ?? null)).toBe(
      'activated',
    )
  })
})

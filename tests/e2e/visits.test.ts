/**
 * Visit plans and resumable photo upload (issue 13), the built app in real Chromium beside a real
 * sync server process (PGlite, demo accounts). The province certifier plans a visit on the
 * planning screen; it appears on the inspector's home under "today"; the inspector inspects the
 * store with a large photo whose upload is cut off mid-photo (the third piece reaches the server
 * but its answer is lost): the upload resumes from the count the server reports, never from the
 * first byte, the server holds the photo whole, and the visit is shown done once the inspection
 * is submitted. Without a server the home shows no visits.
 */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { screenshot } from './support/browser'
import { noisePng, readTable } from './support/faults'
import { signIn, synced, useSyncServer } from './support/sync-app'
import { apiToken } from './support/sync-server'
import { answerByTaps } from '../helpers/answer-by-taps'

const fx = useSyncServer('pglite')
const device = () => fx.device()
/** How long this file waits for "synced" (longer than the shared 60 s default). */
const SYNCED_MS = 90_000

/** Today in China time, as the plans count days. */
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10)

describe('visit plans on the sync server', () => {
  let inspector: Page
  let code = ''

  it('the province plans a visit; it appears on the inspector’s home under today', async () => {
    inspector = await device()
    await signIn(inspector, 'demo-inspector', 'demo-inspector-2026')
    await synced(inspector, SYNCED_MS)
    // A store with open corrective actions, which the visit lists for the inspector.
    const stores = await readTable(inspector, 'stores')
    const open = (await readTable(inspector, 'actions')).filter((x) => x.status === 'open')
    const withActions = stores.filter(
      (s) => s.type === 'self' && Number(s.level) <= 3 && open.some((x) => x.storeCode === s.code),
    )
    const store = withActions.find((s) => s.level === 2) ?? withActions[0]!
    expect(store, `${open.length} open actions, none at a graded self-run store`).toBeDefined()
    code = String(store.code)
    const actions = open.filter((x) => x.storeCode === code)
    await inspector.goto('/')
    await expect.poll(() => inspector.getByTestId('my-visits-none').count()).toBe(1)

    const office = await device()
    await signIn(office, 'demo-certifier', 'demo-certifier-2026')
    await synced(office, SYNCED_MS)
    await office.goto('/')
    await office.getByTestId('home-plans').click()
    await office.waitForURL(/\/plans$/)
    const select = office.getByTestId('plan-inspector')
    await expect.poll(() => select.locator('option').count()).toBeGreaterThan(1)
    const value = await select
      .locator('option', { hasText: 'demo-inspector' })
      .getAttribute('value')
    await select.selectOption(value!)
    await office.getByTestId('plan-due').fill(today())
    await office.getByTestId('plan-note').fill('复查排队区')
    await office.getByTestId('plan-search').fill(code)
    await office.getByTestId(`plan-store-${code}`).check()
    await office.getByTestId('plan-submit').click()
    await expect.poll(() => office.getByTestId('plan-message').count()).toBe(1)
    await expect.poll(() => office.getByTestId(`planned-${code}`).count()).toBe(1)
    await screenshot(office, 'visits-planned')

    // The inspector's tablet pulls it (focus starts a sync) and lists it under today.
    await inspector.evaluate(() => window.dispatchEvent(new Event('focus')))
    await expect
      .poll(() => inspector.getByTestId('visits-today').getByTestId(`visit-${code}`).count(), {
        timeout: 30_000,
      })
      .toBe(1)
    const visit = inspector.getByTestId(`visit-${code}`)
    expect(await visit.innerText()).toContain('复查排队区')
    // Under it, the store's open corrective actions: their count, then each with its due date.
    const list = visit.getByTestId('visit-actions')
    expect(await list.locator('summary').innerText()).toContain(String(actions.length))
    await list.locator('summary').click()
    const lines = await list.locator('li').allInnerTexts()
    expect(lines.toSorted()).toEqual(
      actions.map((x) => `${String(x.what)}（${String(x.due)} 前）`).toSorted(),
    )
    await screenshot(inspector, 'visits-my-today')
  }, 240_000)

  it('the inspection with a photo cut off mid-upload resumes; the visit becomes done', async () => {
    const page = inspector
    const puts: string[] = []
    let cut: string | null = null
    await page.route('**/api/photos/**', async (route) => {
      const req = route.request()
      if (req.method() !== 'PUT') return route.continue()
      const range = (await req.allHeaders())['content-range'] ?? ''
      puts.push(range)
      if (puts.length === 3 && cut === null) {
        // The piece reaches the server; its answer never reaches the tablet.
        cut = range
        await route.fetch()
        return route.abort('connectionreset')
      }
      return route.continue()
    })

    await page.getByTestId(`visit-${code}`).getByRole('link').first().click()
    await page.waitForURL(/\/evaluations\/new/)
    await page.getByTestId('create-evaluation').click()
    await page.waitForURL(/\/evaluations\/[0-9a-f-]{36}/)
    const evaluationId = page.url().split('?')[0]!.split('/').pop()!
    await expect.poll(() => page.getByTestId('item-card').count()).toBeGreaterThan(0)
    const first = page
      .locator(
        '[data-testid=item-card][data-kind=yesno]:is([data-evidence=photo],[data-evidence=photo-or-note])',
      )
      .first()
    for (let i = 0; i < 12 && (await first.count()) === 0; i++)
      await page.getByTestId('step-next').click()
    await first.getByTestId('answer-no').click()
    await first.locator('summary').click()
    await first
      .getByTestId('photo-file')
      .setInputFiles({ name: 'queue.png', mimeType: 'image/png', buffer: noisePng(1600, 1200) })
    await expect.poll(() => first.getByTestId('photo-thumb').count(), { timeout: 20_000 }).toBe(1)
    await answerByTaps(page)
    await page.getByTestId('step-nav').locator('[data-testid^=step-]').last().click()
    await page.getByTestId('submit').click()
    await page.getByTestId('submit-confirm').click()
    await page.waitForURL(/\/result$/)

    await synced(page, SYNCED_MS)
    const photo = (await readTable(page, 'photos')).find((p) => p.evaluationId === evaluationId)
    const sha = String(photo?.id)
    expect(sha).toMatch(/^[0-9a-f]{64}$/)
    // Several pieces; the one cut off was followed by the next piece, not by the first byte.
    expect(cut).not.toBeNull()
    const start = (r: string) => Number(/^bytes (\d+)-(\d+)\/(\d+)$/.exec(r)![1])
    const end = (r: string) => Number(/^bytes (\d+)-(\d+)\/(\d+)$/.exec(r)![2])
    const total = Number(/\/(\d+)$/.exec(cut!)![1])
    expect(puts.length).toBeGreaterThan(3)
    expect(start(puts[3]!)).toBe(end(cut!) + 1)
    expect(puts.filter((r) => start(r) === 0)).toHaveLength(1)
    expect(end(puts.at(-1)!)).toBe(total - 1)
    console.log(`photo ${total} bytes in ${puts.length} pieces; resumed at ${start(puts[3]!)}`)

    // The server holds the photo whole (its hash is its name).
    const token = await apiToken(fx.srv.apiURL, 'demo-inspector', 'demo-inspector-2026')
    const got = await fetch(`${fx.srv.apiURL}/api/photos/${sha}`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(got.status).toBe(200)
    const bytes = Buffer.from(await got.arrayBuffer())
    expect(bytes.length).toBe(total)
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha)

    // Home: the visit is done, derived from the submitted inspection.
    await page.goto('/')
    await expect
      .poll(() => page.getByTestId('visits-done').getByTestId(`visit-${code}`).count())
      .toBe(1)
    expect(await page.getByTestId('visits-today').count()).toBe(0)
    await screenshot(page, 'visits-done')
  }, 300_000)

  it('a store manager sees when the self-assessment is due; no visits are shown to the store', async () => {
    const c = await device()
    await signIn(c, 'demo-manager', 'demo-manager-2026')
    await synced(c, SYNCED_MS)
    await c.goto('/')
    await expect.poll(() => c.getByTestId('self-due').count()).toBe(1)
    expect(await c.getByTestId('self-due').innerText()).toMatch(/自评/)
    expect(await c.getByTestId('my-visits').count()).toBe(0)
  }, 120_000)
})

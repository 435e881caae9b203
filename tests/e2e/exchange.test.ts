import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canonical } from '../../src/domain/merge'
import { openSession, removeProfile, screenshot, type Session } from './support/browser'
import { readDatabase } from './support/malformed'

const TABLES = ['stores', 'evaluations', 'actions', 'certification', 'photos'] as const

/** Every row of the data tables, read with the raw IndexedDB API (not through the app's code). */
const dump = (page: Page) => readDatabase(page, TABLES)

async function importFile(page: Page, path: string): Promise<void> {
  await page.getByTestId('import-file').setInputFiles(path)
}

describe('exchange bundles between two tablets', () => {
  let a: Session
  let b: Session
  const dir = mkdtempSync(join(tmpdir(), 'sse-bundles-'))
  const bundlePath = join(dir, 'from-a.zip')

  beforeAll(async () => {
    a = await openSession()
    b = await openSession()
    for (const s of [a, b])
      s.page.on(
        'console',
        (m) => m.type() !== 'log' && console.log(`[browser ${m.type()}] ${m.text()}`),
      )
  })
  afterAll(async () => {
    for (const s of [a, b]) {
      await s.close()
      removeProfile(s.profileDir)
    }
  })

  it('demo data exported on A and imported on a fresh B arrives record for record, photo for photo', async () => {
    await a.page.goto('/')
    await a.page.getByTestId('load-demo').click()
    await a.page.waitForURL('**/stores', { timeout: 60_000 })
    await a.page.goto('/exchange')
    await expect.poll(() => a.page.getByTestId('export-province').inputValue()).not.toBe('')
    await a.page.getByTestId('export-run').click()
    const link = a.page.getByTestId('export-download')
    await link.waitFor()
    const [download] = await Promise.all([a.page.waitForEvent('download'), link.click()])
    await download.saveAs(bundlePath)
    expect(download.suggestedFilename()).toMatch(/^bundle-.*\.zip$/)
    await screenshot(a.page, 'exchange-export')

    const source = await dump(a.page)
    expect(source.evaluations!.length).toBeGreaterThan(50)
    expect(source.photos!.length).toBeGreaterThan(5)

    await b.page.goto('/exchange')
    await importFile(b.page, bundlePath)
    await b.page.getByTestId('import-preview').waitFor({ timeout: 60_000 })
    const adds = await b.page
      .getByTestId('preview-evaluation')
      .locator('[data-verdict="add"]')
      .innerText()
    expect(Number(adds)).toBe(source.evaluations!.length)
    // Signed by A's device key, seen here for the first time.
    expect(await b.page.getByTestId('import-signer').getAttribute('data-trust')).toBe('first-seen')
    await screenshot(b.page, 'exchange-preview')
    await b.page.getByTestId('import-apply').click()
    await b.page.getByTestId('import-done').waitFor({ timeout: 60_000 })

    const copy = await dump(b.page)
    for (const t of TABLES) expect(canonical(copy[t]), t).toBe(canonical(source[t]))
  })

  it('importing the same bundle again changes nothing', async () => {
    const before = await dump(b.page)
    await importFile(b.page, bundlePath)
    await b.page.getByTestId('import-nothing').waitFor({ timeout: 60_000 })
    expect(await b.page.getByTestId('import-signer').getAttribute('data-trust')).toBe('known')
    await b.page.getByTestId('import-apply').click()
    await b.page.getByTestId('import-done').waitFor()
    expect(canonical(await dump(b.page))).toBe(canonical(before))
  })

  it('one city is exported alone: the city list is filled and the bundle holds only its stores', async () => {
    const { page } = a
    await page.goto('/exchange')
    await expect.poll(() => page.getByTestId('export-province').inputValue()).not.toBe('')
    const cities = (await page.getByTestId('export-city').locator('option').allInnerTexts()).slice(
      1,
    )
    const all = (await dump(page)).stores as { city: string; province: string }[]
    const province = await page.getByTestId('export-province').inputValue()
    expect(cities.toSorted()).toEqual(
      [...new Set(all.filter((x) => x.province === province).map((x) => x.city))].toSorted(),
    )
    const city = cities[1] ?? cities[0]!
    await page.getByTestId('export-city').selectOption(city)
    await page.getByTestId('export-run').click()
    const link = page.getByTestId('export-download')
    await link.waitFor({ timeout: 60_000 })
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
    const parts = unzipSync(new Uint8Array(readFileSync((await download.path())!)))
    const stores = JSON.parse(strFromU8(parts['stores.json']!)) as { city: string }[]
    expect(stores.length).toBe(all.filter((x) => x.city === city).length)
    expect(new Set(stores.map((x) => x.city))).toEqual(new Set([city]))
  })

  it('a tampered or cut-off bundle is refused with its own message and the database is unchanged', async () => {
    const before = await dump(b.page)
    const files = unzipSync(new Uint8Array(readFileSync(bundlePath)))
    const ev = JSON.parse(strFromU8(files['evaluations.json']!))
    const target = ev.evaluations.find(
      (e: { answers: object }) => Object.keys(e.answers).length > 0,
    )
    const first = Object.values(target.answers)[0] as { value?: unknown }
    first.value = typeof first.value === 'boolean' ? !first.value : 0
    files['evaluations.json'] = strToU8(JSON.stringify(ev))
    const tampered = join(dir, 'tampered.zip')
    writeFileSync(tampered, zipSync(files))

    await b.page.reload()
    await importFile(b.page, tampered)
    const err = b.page.getByTestId('bundle-error')
    await err.waitFor({ timeout: 60_000 })
    expect(await err.getAttribute('data-code')).toBe('tampered')
    expect(await err.innerText()).toContain('evaluations.json')
    await screenshot(b.page, 'exchange-tampered')

    const cut = join(dir, 'cut.zip')
    const full = readFileSync(bundlePath)
    writeFileSync(cut, full.subarray(0, Math.floor(full.length * 0.7)))
    await importFile(b.page, cut)
    await expect
      .poll(() => b.page.getByTestId('bundle-error').getAttribute('data-code'))
      .toBe('truncated')

    expect(canonical(await dump(b.page))).toBe(canonical(before))
  })

  it('a backup restores onto a fresh device only, every record and photo identical', async () => {
    await b.page.getByTestId('backup-run').click()
    const link = b.page.getByTestId('backup-download')
    await link.waitFor({ timeout: 60_000 })
    const [download] = await Promise.all([b.page.waitForEvent('download'), link.click()])
    const path = join(dir, 'backup.zip')
    await download.saveAs(path)
    const before = await dump(b.page)
    await b.page.getByTestId('restore-file').setInputFiles(path)
    await b.page.getByTestId('restore-not-empty').waitFor()
    expect(canonical(await dump(b.page))).toBe(canonical(before))

    const c = await openSession()
    try {
      await c.page.goto('/exchange')
      await c.page.getByTestId('restore-file').setInputFiles(path)
      await c.page.getByTestId('restore-done').waitFor({ timeout: 60_000 })
      const restored = await dump(c.page)
      for (const t of TABLES) expect(canonical(restored[t]), t).toBe(canonical(before[t]))
    } finally {
      await c.close()
      removeProfile(c.profileDir)
    }
  })
})

/**
 * In real Chromium: two forked revisions of one evaluation arrive in bundles from two tablets;
 * the second is shown as a conflict in the user's words (the store's name, the item's label,
 * 是/否, local times) and resolved by the user's choice; then an incremental bundle to the same
 * receiver carries only those changes and its import preview says so.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { strFromU8, unzipSync } from 'fflate'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeBundleToBytes, type BundleInfo } from '../../src/io/bundle'
import type { Evaluation } from '../../src/domain/records'
import type { Store } from '../../src/domain/types'
import { openSession, removeProfile, screenshot, type Session } from './support/browser'

async function rows(page: Page, table: string): Promise<Record<string, unknown>[]> {
  return page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('store-service-eval')
      r.onsuccess = () => resolve(r.result)
      r.onerror = () => reject(r.error)
    })
    const out = await new Promise<Record<string, unknown>[]>((resolve, reject) => {
      const r = db.transaction(name).objectStore(name).getAll()
      r.onsuccess = () => resolve(r.result as Record<string, unknown>[])
      r.onerror = () => reject(r.error)
    })
    db.close()
    return out
  }, table)
}

async function exportTo(page: Page, path: string, receiver: string, mode: string) {
  await page.getByTestId('export-receiver').fill(receiver)
  await page.getByTestId('export-mode').selectOption(mode)
  await page.getByTestId('export-run').click()
  const link = page.getByTestId('export-download')
  await expect.poll(() => link.getAttribute('download')).toMatch(/^bundle-/)
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
  await download.saveAs(path)
}

async function importFile(page: Page, path: string): Promise<void> {
  await page.goto('/exchange')
  await page.getByTestId('import-file').setInputFiles(path)
  await page.getByTestId('import-preview').waitFor({ timeout: 60_000 })
}

describe('forked revisions and incremental bundles', () => {
  let province: Session
  let office: Session
  const dir = mkdtempSync(join(tmpdir(), 'sse-forks-'))
  const full = join(dir, 'full.zip')
  const fromB = join(dir, 'from-b.zip')
  const fromC = join(dir, 'from-c.zip')
  const incremental = join(dir, 'incremental.zip')
  let base: Evaluation
  let revB: Evaluation
  let revC: Evaluation
  let store: Store
  let itemLabel = ''

  beforeAll(async () => {
    province = await openSession()
    office = await openSession()
  })
  afterAll(async () => {
    for (const s of [province, office]) {
      await s.close()
      removeProfile(s.profileDir)
    }
  })

  it('the first bundle to a receiver carries everything', async () => {
    const page = province.page
    await page.goto('/')
    await page.getByTestId('load-demo').click()
    await page.waitForURL('**/stores', { timeout: 60_000 })
    await page.goto('/exchange')
    await expect.poll(() => page.getByTestId('export-province').inputValue()).not.toBe('')
    await page.getByTestId('export-mode').selectOption('sinceLast')
    await page.getByTestId('export-receiver').fill('省公司')
    await expect.poll(() => page.getByTestId('export-last').innerText()).toContain('尚未')
    await exportTo(page, full, '省公司', 'sinceLast')

    // Two tablets each reopened the same submitted city inspection and submitted revision 2.
    const files = unzipSync(new Uint8Array(readFileSync(full)))
    const manifest = JSON.parse(strFromU8(files['manifest.json']!))
    expect(manifest.incremental).toBeUndefined()
    const { evaluations } = JSON.parse(strFromU8(files['evaluations.json']!)) as {
      evaluations: Evaluation[]
    }
    const stores = JSON.parse(strFromU8(files['stores.json']!)) as Store[]
    base = evaluations.find(
      (e) =>
        e.status === 'submitted' &&
        e.reviewer === 'city' &&
        Object.values(e.answers).some((a) => a.value === false),
    )!
    expect(base).toBeDefined()
    store = stores.find((s) => s.code === base.storeCode)!
    const [failedId] = Object.entries(base.answers).find(([, a]) => a.value === false)!
    const rubricPart = Object.keys(files).find((k) => k.startsWith(`rubrics/${base.rubricId}@`))!
    const rubric = JSON.parse(strFromU8(files[rubricPart]!))
    itemLabel = rubric.sections
      .flatMap((s: { items: { id: string; label: { zh: string } }[] }) => s.items)
      .find((i: { id: string }) => i.id === failedId).label.zh
    const revision = (id: string, device: string, answers: Evaluation['answers']) => ({
      ...base,
      id,
      revision: base.revision + 1,
      revisionOf: base.id,
      originDevice: device,
      answers,
      createdAt: '2026-12-05T02:00:00.000Z',
      updatedAt: '2026-12-05T03:00:00.000Z',
      submittedAt: '2026-12-05T03:00:00.000Z',
    })
    revB = revision('rev-from-tablet-b', 'tablet-bbbb-0001', base.answers)
    revC = revision('rev-from-tablet-c', 'tablet-cccc-0001', {
      ...base.answers,
      [failedId]: { itemId: failedId, value: true },
    })
    const write = async (path: string, e: Evaluation, device: string) => {
      const info: BundleInfo = {
        kind: 'exchange',
        exportedAt: '2026-12-05T04:00:00.000Z',
        deviceId: device,
        scope: { province: store.province, period: base.period },
      }
      const content = {
        stores: [store],
        rubrics: [],
        evaluations: [e],
        certification: [],
        actions: [],
        photoIds: [],
        readPhoto: async () => undefined,
      }
      writeFileSync(path, await writeBundleToBytes(content, info))
    }
    await write(fromB, revB, 'tablet-bbbb-0001')
    await write(fromC, revC, 'tablet-cccc-0001')
  })

  it('the second revision of one base is a conflict in the user’s words, resolved by the user’s choice', async () => {
    const page = province.page
    await importFile(page, fromB)
    expect(await page.getByTestId('conflicts').count()).toBe(0)
    await page.getByTestId('import-apply').click()
    await page.getByTestId('import-done').waitFor({ timeout: 60_000 })

    await importFile(page, fromC)
    const card = page.getByTestId(`conflict-${revC.id}`)
    await card.waitFor()
    expect(await card.getAttribute('data-reason')).toBe('fork')
    const text = await card.innerText()
    expect(text).toContain(store.name)
    expect(text).toContain(store.code)
    expect(text).toContain('第 2 版')
    expect(text).toContain(itemLabel)
    // The answers as given, not true/false; times in local form, not UTC ISO; no ids.
    expect(text).toMatch(/否[\s\S]*是/)
    expect(text).not.toMatch(/true|false/)
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}/)
    expect(text).not.toContain('answers.')
    expect(text).not.toContain(base.id)
    expect(text).toContain('2026')
    await screenshot(page, 'exchange-fork-conflict')
    // Nothing written until the user chooses; the user takes tablet C's revision.
    await card.getByTestId('take-incoming').check()
    await page.getByTestId('import-apply').click()
    await page.getByTestId('import-done').waitFor({ timeout: 60_000 })

    const evals = await rows(page, 'evaluations')
    const b = evals.find((e) => e.id === revB.id) as unknown as Evaluation
    const c = evals.find((e) => e.id === revC.id) as unknown as Evaluation
    expect(b.setAside?.for).toBe(revC.id)
    expect(c.setAside).toBeUndefined()
    // The rankings read the results table: C's revision counts, B's does not.
    const results = (await rows(page, 'results')).map((r) => r.evaluationId)
    expect(results).toContain(revC.id)
    expect(results).not.toContain(revB.id)
  })

  it('an incremental bundle to the same receiver carries only the changes; its preview says so', async () => {
    const page = province.page
    await page.goto('/exchange')
    await expect.poll(() => page.getByTestId('export-province').inputValue()).not.toBe('')
    await page.getByTestId('export-mode').selectOption('sinceLast')
    await page.getByTestId('export-receiver').fill('省公司')
    await expect.poll(() => page.getByTestId('export-last').innerText()).toContain('上次发给')
    await exportTo(page, incremental, '省公司', 'sinceLast')
    await expect.poll(() => page.getByTestId('export-incremental').innerText()).toContain('增量')
    const files = unzipSync(new Uint8Array(readFileSync(incremental)))
    const manifest = JSON.parse(strFromU8(files['manifest.json']!))
    expect(manifest.formatVersion).toBe(2)
    expect(manifest.counts.evaluations).toBe(2)
    expect(manifest.incremental.receiver).toBe('省公司')

    // The office had the full bundle; the incremental one brings the two revisions.
    await importFile(office.page, full)
    await office.page.getByTestId('import-apply').click()
    await office.page.getByTestId('import-done').waitFor({ timeout: 60_000 })
    await importFile(office.page, incremental)
    const note = office.page.getByTestId('import-incremental')
    const line = await note.innerText()
    expect(line).toContain(`${manifest.incremental.changes} 项变化`)
    expect(line).toContain('省公司')
    expect(line).not.toMatch(/\d{4}-\d{2}-\d{2}T/)
    await screenshot(office.page, 'exchange-incremental-preview')
    const adds = await office.page
      .getByTestId('preview-evaluation')
      .locator('[data-verdict="add"]')
      .innerText()
    expect(Number(adds)).toBe(2)
    await office.page.getByTestId('import-apply').click()
    await office.page.getByTestId('import-done').waitFor({ timeout: 60_000 })
    const evals = await rows(office.page, 'evaluations')
    expect((evals.find((e) => e.id === revB.id) as unknown as Evaluation).setAside?.for).toBe(
      revC.id,
    )
  })
})

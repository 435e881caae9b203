/**
 * Helpers for the malformed-input e2e tests (tests/e2e/malformed*.test.ts): the whole database
 * read with the raw IndexedDB API (never through the app's code), markup payloads that would
 * set a flag if they ever ran, a bundle exported through the Exchange screen, and a bundle edited
 * the way an attacker would (parts changed, checksums and counts fixed, signature dropped or
 * replaced).
 */
import { readFileSync } from 'node:fs'
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'
import type { Page } from 'playwright-core'
import { expect } from 'vitest'
import { canonical } from '../../../src/domain/merge'
import { sha256Hex, signerFor, type DeviceKey, type Manifest } from '../../../src/io/bundle'
import { DB_NAME } from './faults'

/**
 * Every row of the object stores named (all of them by default), read with the raw IndexedDB
 * API: binary as base64, device keys by their type.
 */
export async function readDatabase(
  page: Page,
  tables?: readonly string[],
): Promise<Record<string, Record<string, unknown>[]>> {
  return page.evaluate(
    async ({ name, only }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open(name)
        r.onsuccess = () => resolve(r.result)
        r.onerror = () => reject(r.error)
      })
      const toB64 = (b: ArrayBuffer) => {
        let s = ''
        for (const x of new Uint8Array(b)) s += String.fromCharCode(x)
        return btoa(s)
      }
      const out: Record<string, Record<string, unknown>[]> = {}
      for (const table of only ?? Array.from(db.objectStoreNames)) {
        const rows = await new Promise<Record<string, unknown>[]>((resolve, reject) => {
          const r = db.transaction(table).objectStore(table).getAll()
          r.onsuccess = () => resolve(r.result as Record<string, unknown>[])
          r.onerror = () => reject(r.error)
        })
        out[table] = rows.map((row) =>
          Object.fromEntries(
            Object.entries(row).map(([k, v]) => [
              k,
              v instanceof ArrayBuffer
                ? `b64:${toB64(v)}`
                : typeof CryptoKey !== 'undefined' && v instanceof CryptoKey
                  ? `key:${v.type}`
                  : v,
            ]),
          ),
        )
      }
      db.close()
      return out
    },
    { name: DB_NAME, only: tables ? [...tables] : null },
  )
}

/** The whole database as canonical JSON: equal strings mean no row changed. */
export async function dump(page: Page): Promise<string> {
  return canonical(await readDatabase(page))
}

/**
 * Waits for the storage marker, which follows the first data's writes a little later and gives
 * the database its id (meta databaseId): dumps after this compare a settled database.
 */
export async function waitSettled(page: Page): Promise<void> {
  await page.waitForFunction(
    (name) => localStorage.getItem(`storageMarker:${name}`) !== null,
    DB_NAME,
    { timeout: 30_000 },
  )
}

/** Loads the demo province from the home page, then waits for the database to settle. */
export async function loadDemoSettled(page: Page): Promise<void> {
  await page.goto('/')
  await page.getByTestId('load-demo').click()
  await page.waitForURL('**/stores', { timeout: 60_000 })
  await waitSettled(page)
}

/**
 * The database is as `before` (a `dump`): on failure, the tables that differ and the rows
 * added or gone in each, rather than two screens of JSON.
 */
export async function expectUnchanged(page: Page, before: string, label?: string): Promise<void> {
  const after = await dump(page)
  if (after === before) return
  const a = JSON.parse(before) as Record<string, unknown[]>
  const b = JSON.parse(after) as Record<string, unknown[]>
  const diff: Record<string, { gone: string[]; added: string[] }> = {}
  for (const t of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const was = new Set((a[t] ?? []).map((r) => JSON.stringify(r).slice(0, 300)))
    const now = new Set((b[t] ?? []).map((r) => JSON.stringify(r).slice(0, 300)))
    const gone = [...was].filter((r) => !now.has(r))
    const added = [...now].filter((r) => !was.has(r))
    if (gone.length || added.length) diff[t] = { gone, added }
  }
  expect(diff, label).toEqual({})
  // The same rows in another order, or a difference past the 300 characters shown.
  expect(after === before, label).toBe(true)
}

/** Markup that would run if it were ever parsed as HTML: it sets a flag the test reads. */
export const IMG = '<img src=x onerror="window.__xss=(window.__xss||0)+1" data-xss="img">'
export const SCRIPT = '<script data-xss="script">window.__xss=(window.__xss||0)+1</script>'
export const SVG = '<svg data-xss="svg" onload="window.__xss=(window.__xss||0)+1"></svg>'

/** Nothing injected: no element from the payloads exists, no script ran, no dialog opened. */
export async function expectInert(page: Page, dialogs: string[]): Promise<void> {
  expect(await page.locator('[data-xss]').count()).toBe(0)
  expect(await page.locator('img[src="x"]').count()).toBe(0)
  expect(await page.evaluate(() => (window as { __xss?: number }).__xss ?? 0)).toBe(0)
  expect(dialogs).toEqual([])
}

/** A bundle of the whole demo province, exported through the Exchange screen (signed by the device). */
export async function exportedBundle(page: Page): Promise<Uint8Array> {
  await page.goto('/exchange')
  // Works in a hook too (expect.poll does not): the province is chosen once the stores load.
  await page.waitForFunction(
    () =>
      (document.querySelector('[data-testid=export-province]') as HTMLSelectElement | null)?.value,
    undefined,
    { timeout: 30_000 },
  )
  await page.getByTestId('export-run').click()
  const link = page.getByTestId('export-download')
  await link.waitFor({ timeout: 60_000 })
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
  return new Uint8Array(readFileSync((await download.path())!))
}

/** A full backup made through the Exchange screen's backup card. */
export async function exportedBackup(page: Page): Promise<Uint8Array> {
  await page.goto('/exchange')
  await page.getByTestId('backup-run').click()
  const link = page.getByTestId('backup-download')
  await link.waitFor({ timeout: 60_000 })
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()])
  return new Uint8Array(readFileSync((await download.path())!))
}

export const readJson = <T>(files: Record<string, Uint8Array>, part: string): T =>
  JSON.parse(strFromU8(files[part]!)) as T

export const writeJson = (files: Record<string, Uint8Array>, part: string, value: unknown) => {
  files[part] = strToU8(JSON.stringify(value))
}

/**
 * The bundle (or backup) with `edit` applied to its parts, as a forger would: every part's
 * SHA-256 and size fixed in the manifest, the counts recounted, and the signature dropped
 * (`sign: null`) or made again with another key (`sign: key`).
 */
export async function forged(
  bundle: Uint8Array,
  edit: (files: Record<string, Uint8Array>) => void,
  opts: { sign: DeviceKey | null },
): Promise<Uint8Array> {
  const files = unzipSync(bundle)
  edit(files)
  // Each photo's listed SHA-256 follows its bytes, as the manifest's does.
  const photos = readJson<{ file: string; sha256: string }[]>(files, 'photos.json')
  for (const p of photos) if (files[p.file]) p.sha256 = await sha256Hex(files[p.file]!)
  writeJson(files, 'photos.json', photos)
  const m = readJson<Manifest>(files, 'manifest.json')
  m.parts = {}
  for (const [name, bytes] of Object.entries(files))
    if (name !== 'manifest.json')
      m.parts[name] = { sha256: await sha256Hex(bytes), size: bytes.length }
  const ev = readJson<{ evaluations: unknown[]; certification: unknown[] }>(
    files,
    'evaluations.json',
  )
  m.counts = {
    stores: readJson<unknown[]>(files, 'stores.json').length,
    evaluations: ev.evaluations.length,
    certification: ev.certification.length,
    actions: readJson<unknown[]>(files, 'actions.json').length,
    photos: readJson<unknown[]>(files, 'photos.json').length,
    rubrics: Object.keys(files).filter((n) => n.startsWith('rubrics/')).length,
  }
  delete m.signature
  if (opts.sign) m.signature = await signerFor(opts.sign)(m)
  writeJson(files, 'manifest.json', m)
  return zipSync(files)
}

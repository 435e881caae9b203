/**
 * Helpers for the fault tests (tests/e2e/faults-*.test.ts): starting an inspection the way a
 * user does, reading IndexedDB raw (to verify only, never to drive the app), and finding the
 * Chromium process of a persistent profile so a test can kill it hard.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { deflateSync } from 'node:zlib'
import { expect } from 'vitest'
import type { Page } from 'playwright-core'

export const DB_NAME = 'store-service-eval'

/** Every record of one object store, as IndexedDB holds it (ArrayBuffers become byte arrays). */
export function readTable(page: Page, table: string): Promise<Record<string, unknown>[]> {
  return page.evaluate(
    ([name, table]) =>
      new Promise<Record<string, unknown>[]>((resolve, reject) => {
        const open = indexedDB.open(name!)
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const db = open.result
          if (!db.objectStoreNames.contains(table!)) {
            db.close()
            resolve([])
            return
          }
          const all = db.transaction(table!).objectStore(table!).getAll()
          all.onerror = () => reject(all.error)
          all.onsuccess = () => {
            db.close()
            // Bytes survive the trip to Node as plain arrays; everything else is JSON already.
            // (tests/e2e/faults-old-schema.test.ts writes them back the same way)
            const plain = (v: unknown): unknown => {
              if (v instanceof ArrayBuffer) return { $bytes: [...new Uint8Array(v)] }
              if (ArrayBuffer.isView(v))
                return {
                  $bytes: [...new Uint8Array(v.buffer, v.byteOffset, v.byteLength)],
                  $view: v.constructor.name,
                }
              if (v instanceof Date) return { $date: v.toISOString() }
              if (v instanceof Blob) throw new Error('Blob values are not read by this helper')
              if (Array.isArray(v)) return v.map(plain)
              if (v && typeof v === 'object')
                return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]))
              return v
            }
            resolve((all.result as unknown[]).map(plain) as Record<string, unknown>[])
          }
        }
      }),
    [DB_NAME, table],
  )
}

/** The IndexedDB version and object store names of the app's database (without opening a new one). */
export function dbShape(page: Page): Promise<{ version: number; stores: string[] } | null> {
  return page.evaluate(async (name) => {
    const dbs = await indexedDB.databases()
    if (!dbs.some((d) => d.name === name)) return null
    return new Promise((resolve, reject) => {
      const open = indexedDB.open(name)
      open.onerror = () => reject(open.error)
      open.onsuccess = () => {
        const db = open.result
        const shape = { version: db.version, stores: [...db.objectStoreNames].sort() }
        db.close()
        resolve(shape)
      }
    })
  }, DB_NAME)
}

/**
 * Loads the demo province from the home page, as a first-time user does. `origin` is for tests
 * that serve the app themselves; by default the context's baseURL.
 */
export async function loadDemo(page: Page, origin = ''): Promise<void> {
  await page.goto(`${origin}/`)
  await page.getByTestId('load-demo').click()
  await page.waitForURL('**/stores', { timeout: 30_000 })
}

/** Starts a city inspection of a graded (level 2, self-operated) demo store; returns its id. */
export async function startInspection(page: Page, origin = ''): Promise<string> {
  const stores = await readTable(page, 'stores')
  const store = stores.find((s) => s.level === 2 && s.type === 'self')
  if (!store) throw new Error('no level-2 self-operated store in the demo')
  await page.goto(`${origin}/evaluations/new?store=${String(store.code)}`)
  await expect.poll(() => page.getByTestId('rubric').innerText()).toMatch(/第 \d+\.\d+\.\d+ 版/)
  await page.getByTestId('reviewer-city').check()
  await page.getByTestId('evaluator-name').fill('王检查')
  await page.getByTestId('create-evaluation').click()
  await page.waitForURL(/\/evaluations\/[0-9a-f-]{36}(\?.*)?$/)
  await expect.poll(() => page.getByTestId('item-card').count()).toBeGreaterThan(0)
  return page.url().split('?')[0]!.split('/').pop()!
}

export const saveState = (page: Page): Promise<string | null> =>
  page.getByTestId('save-state').getAttribute('data-state')

export const waitSaved = (page: Page): Promise<void> =>
  expect.poll(() => saveState(page), { timeout: 15_000 }).toBe('saved')

/** What the user sees of each item card on the current step: pressed buttons, note, photo count. */
export function cardsShown(
  page: Page,
): Promise<Record<string, { pressed: string[]; note: string; photos: number }>> {
  return page.$$eval('[data-testid=item-card]', (cards) =>
    Object.fromEntries(
      cards.map((c) => [
        c.getAttribute('data-item')!,
        {
          pressed: [...c.querySelectorAll('[aria-pressed=true]')].map(
            (b) => b.getAttribute('data-testid') ?? '',
          ),
          note: (c.querySelector('textarea') as HTMLTextAreaElement | null)?.value ?? '',
          photos: c.querySelectorAll('[data-testid=photo-thumb]').length,
        },
      ]),
    ),
  )
}

/**
 * The pid of the browser (main) process running on `profileDir`: the one process whose command
 * line names that user-data-dir and is not a child (renderer, GPU, utility: those carry --type=).
 */
export function browserPid(profileDir: string): number {
  const found: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let cmd: string[]
    try {
      cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0')
    } catch {
      continue
    }
    if (cmd.includes(`--user-data-dir=${profileDir}`) && !cmd.some((a) => a.startsWith('--type=')))
      found.push(Number(entry))
  }
  if (found.length !== 1) throw new Error(`expected one browser process, found ${found.length}`)
  return found[0]!
}

/** Processes still alive (not zombies) in the process group `pgid`. */
export function liveInGroup(pgid: number): number[] {
  const alive: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces, so split after ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (Number(pgrp) === pgid && state !== 'Z') alive.push(Number(entry))
    } catch {
      continue
    }
  }
  return alive
}

/**
 * A PNG of random pixels: JPEG cannot compress noise, so the re-encoded photo stays large
 * (hundreds of kB), which fills a small quota in a few photos.
 */
export function noisePng(width = 1200, height = 900): Buffer {
  const stride = width * 3 + 1
  const raw = Buffer.alloc(stride * height)
  const noise = randomBytes(width * 3 * height)
  for (let y = 0; y < height; y++)
    noise.copy(raw, y * stride + 1, y * width * 3, (y + 1) * width * 3)
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 2 // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ])
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const sum = Buffer.alloc(4)
  sum.writeUInt32BE(crc32(body))
  return Buffer.concat([len, body, sum])
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(buf: Buffer): number {
  let c = 0xffffffff
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

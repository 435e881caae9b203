/**
 * Resumable photo upload (issue 13), the tablet's own client (src/io/server-api.ts uploadPhoto)
 * against the real server app: a connection dropped mid-photo resumes from the count the server
 * reports instead of starting again; the server refuses a non-image at its first piece, and a
 * finished upload whose bytes are not the photo (hash) leaves no partial behind.
 */
import { createHash } from 'node:crypto'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiError, createServerApi } from '@/io/server-api'
import { auth, ENGINES, openHarness, signIn, type Harness } from '../server/harness'

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
/** A JPEG-looking photo of `n` bytes, distinct per seed. */
const jpeg = (n: number, seed: number) => {
  const b = Buffer.alloc(n)
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed * 7) & 0xff
  b.set([0xff, 0xd8, 0xff, 0xe0], 0)
  return b
}
const buf = (b: Buffer) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer

interface Seen {
  method: string
  range: string | undefined
}

/** `fetch` answered by the app in-process; `dropAt` cuts the n-th PUT off after it reached the server. */
function injectFetch(h: Harness, seen: Seen[], dropAt?: { n: number; before: boolean }) {
  let puts = 0
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input))
    const headers = { ...((init?.headers ?? {}) as Record<string, string>) }
    const method = init?.method ?? 'GET'
    seen.push({ method, range: headers['content-range'] })
    const body = init?.body
    const isPut = method === 'PUT' && ++puts === dropAt?.n
    if (isPut && dropAt?.before) throw new TypeError('Failed to fetch')
    const r = await h.app.inject({
      method: method as 'GET',
      url: url.pathname + url.search,
      headers,
      ...(body instanceof Uint8Array ? { payload: Buffer.from(body) } : {}),
    })
    // The answer never reaches the tablet (the network went away after the server wrote it).
    if (isPut) throw new TypeError('Failed to fetch')
    const hs = new Headers()
    for (const [k, v] of Object.entries(r.headers)) if (typeof v === 'string') hs.set(k, v)
    return new Response(r.statusCode === 204 ? null : new Uint8Array(r.rawPayload), {
      status: r.statusCode,
      headers: hs,
    })
  }) as typeof fetch
}

describe.each(ENGINES)('resumable photo upload on %s', (engine) => {
  let h: Harness
  let token: string
  const CHUNK = 16 * 1024

  beforeAll(async () => {
    h = await openHarness(engine)
    token = await signIn(h, 'nj-inspector')
  }, 120_000)
  afterAll(() => h?.close())

  it('a connection dropped mid-photo resumes where the server stopped, and the bytes are whole', async () => {
    const photo = jpeg(5 * CHUNK + 123, 1)
    const hash = sha(photo)
    const seen: Seen[] = []
    // The third piece reaches the server, its answer is lost.
    const first = createServerApi(
      'http://srv',
      token,
      injectFetch(h, seen, { n: 3, before: false }),
    )
    await expect(first.uploadPhoto(hash, buf(photo), 'image/jpeg', CHUNK)).rejects.toMatchObject({
      kind: 'offline',
    })
    const state = await h.app.inject({ url: `/api/photos/${hash}/upload`, headers: auth(token) })
    expect(state.json()).toMatchObject({ complete: false, received: 3 * CHUNK })

    const again: Seen[] = []
    const second = createServerApi('http://srv', token, injectFetch(h, again))
    const r = await second.uploadPhoto(hash, buf(photo), 'image/jpeg', CHUNK)
    // Only what the server lacked went again: from byte 3 × CHUNK, never from 0.
    expect(r).toEqual({ resumedAt: 3 * CHUNK, sent: photo.length - 3 * CHUNK })
    expect(again.filter((s) => s.method === 'PUT').map((s) => s.range)).toEqual([
      `bytes ${3 * CHUNK}-${4 * CHUNK - 1}/${photo.length}`,
      `bytes ${4 * CHUNK}-${5 * CHUNK - 1}/${photo.length}`,
      `bytes ${5 * CHUNK}-${photo.length - 1}/${photo.length}`,
    ])
    const got = await h.app.inject({ url: `/api/photos/${hash}`, headers: auth(token) })
    expect(got.statusCode).toBe(200)
    expect(got.rawPayload.equals(photo)).toBe(true)
    // Asked again: the server has it, nothing is sent.
    const third: Seen[] = []
    expect(
      await createServerApi('http://srv', token, injectFetch(h, third)).uploadPhoto(
        hash,
        buf(photo),
        'image/jpeg',
        CHUNK,
      ),
    ).toEqual({ sent: 0, resumedAt: photo.length })
    expect(third.some((s) => s.method === 'PUT')).toBe(false)
  })

  it('a piece lost before it reached the server is sent again from the same offset', async () => {
    const photo = jpeg(3 * CHUNK, 2)
    const hash = sha(photo)
    const seen: Seen[] = []
    const api = createServerApi('http://srv', token, injectFetch(h, seen, { n: 2, before: true }))
    await expect(api.uploadPhoto(hash, buf(photo), 'image/jpeg', CHUNK)).rejects.toBeInstanceOf(
      ApiError,
    )
    const again: Seen[] = []
    const r = await createServerApi('http://srv', token, injectFetch(h, again)).uploadPhoto(
      hash,
      buf(photo),
      'image/jpeg',
      CHUNK,
    )
    expect(r.resumedAt).toBe(CHUNK)
    expect(
      (await h.app.inject({ url: `/api/photos/${hash}`, headers: auth(token) })).rawPayload.equals(
        photo,
      ),
    ).toBe(true)
  })

  it('refuses a non-image at its first piece, keeping nothing; a wrong hash leaves no partial', async () => {
    const text = Buffer.alloc(3 * CHUNK, 'not a photo ')
    const api = createServerApi('http://srv', token, injectFetch(h, []))
    await expect(api.uploadPhoto(sha(text), buf(text), 'image/jpeg', CHUNK)).rejects.toMatchObject({
      kind: 'refused',
      code: 'not-an-image',
    })
    const partials = async () => {
      try {
        return await readdir(join(h.dataDir, 'photos', '.partial'))
      } catch {
        return []
      }
    }
    expect(await partials()).not.toContain(sha(text))
    // Bytes of one photo sent under another's hash: refused at the end, and the partial is gone.
    const photo = jpeg(2 * CHUNK + 5, 3)
    const wrong = sha(jpeg(2 * CHUNK + 5, 4))
    await expect(api.uploadPhoto(wrong, buf(photo), 'image/jpeg', CHUNK)).rejects.toMatchObject({
      code: 'hash-mismatch',
    })
    expect(await partials()).not.toContain(wrong)
    const state = await h.app.inject({ url: `/api/photos/${wrong}/upload`, headers: auth(token) })
    expect(state.json()).toMatchObject({ complete: false, received: 0 })
    // Over the server's size limit: refused before any byte is kept.
    const big = jpeg(h.ctx.config.maxPhotoBytes + 1, 5)
    await expect(api.uploadPhoto(sha(big), buf(big), 'image/jpeg', CHUNK)).rejects.toMatchObject({
      status: 413,
    })
    expect(await partials()).not.toContain(sha(big))
  })
})

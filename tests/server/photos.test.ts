import { createHash } from 'node:crypto'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, ENGINES, openHarness, signIn, type Harness } from './harness'

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(5000, 7)])
const WEBP = Buffer.concat([
  Buffer.from('RIFF'),
  Buffer.from([0, 0, 0, 0]),
  Buffer.from('WEBPVP8 '),
  Buffer.alloc(100, 1),
])

describe.each(ENGINES)('photos on %s', (engine) => {
  let h: Harness
  let t: string
  const putPhoto = (hash: string, body: Buffer, headers: Record<string, string> = {}) =>
    h.app.inject({
      method: 'PUT',
      url: `/api/photos/${hash}`,
      headers: { ...auth(t), 'content-type': 'application/octet-stream', ...headers },
      payload: body,
    })

  beforeAll(async () => {
    h = await openHarness(engine)
    t = await signIn(h, 'nj-inspector')
  })
  afterAll(() => h.close())

  it('stores by SHA-256, idempotently; the bytes come back with their sniffed type', async () => {
    const first = await putPhoto(sha(JPEG), JPEG, { 'content-type': 'image/png' })
    expect(first.statusCode).toBe(201)
    const again = await putPhoto(sha(JPEG), JPEG)
    expect(again.statusCode).toBe(200)
    expect(again.json().stored).toBe(false)
    const got = await h.app.inject({ url: `/api/photos/${sha(JPEG)}`, headers: auth(t) })
    expect(got.headers['content-type']).toBe('image/jpeg')
    expect(got.rawPayload.equals(JPEG)).toBe(true)
    expect((await h.db.query('SELECT sha256 FROM photos')).length).toBe(1)
    const files = await readdir(join(h.dataDir, 'photos'))
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('refuses non-images by their bytes, wrong hashes and oversized bodies', async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    )
    const r1 = await putPhoto(sha(svg), svg, { 'content-type': 'image/jpeg' })
    expect([r1.statusCode, r1.json().error]).toEqual([415, 'not-an-image'])
    const r2 = await putPhoto(sha(WEBP), JPEG)
    expect([r2.statusCode, r2.json().error]).toEqual([400, 'hash-mismatch'])
    const big = Buffer.concat([JPEG, Buffer.alloc(300 * 1024)])
    expect((await putPhoto(sha(big), big)).statusCode).toBe(413)
    expect((await putPhoto('not-a-hash', JPEG)).statusCode).toBe(400)
    expect(
      (await h.app.inject({ url: `/api/photos/${sha(WEBP)}`, headers: auth(t) })).statusCode,
    ).toBe(404)
  })

  it('resumes an upload from where it stopped', async () => {
    const hash = sha(WEBP)
    const total = WEBP.length
    const part1 = await putPhoto(hash, WEBP.subarray(0, 40), {
      'content-range': `bytes 0-39/${total}`,
    })
    expect([part1.statusCode, part1.json().received]).toEqual([202, 40])
    const gap = await putPhoto(hash, WEBP.subarray(60), {
      'content-range': `bytes 60-${total - 1}/${total}`,
    })
    expect([gap.statusCode, gap.json().error]).toEqual([409, 'range-gap'])
    const status = await h.app.inject({ url: `/api/photos/${hash}/upload`, headers: auth(t) })
    expect(status.json()).toMatchObject({ complete: false, received: 40 })
    const rest = await putPhoto(hash, WEBP.subarray(40), {
      'content-range': `bytes 40-${total - 1}/${total}`,
    })
    expect(rest.statusCode).toBe(201)
    const got = await h.app.inject({ url: `/api/photos/${hash}`, headers: auth(t) })
    expect(got.headers['content-type']).toBe('image/webp')
    expect(got.rawPayload.equals(WEBP)).toBe(true)
  })

  it('never sends photos in the record pull', async () => {
    const p = await h.app.inject({ url: '/api/sync/pull?cursor=0&limit=5000', headers: auth(t) })
    expect(p.json().changes.some((c: { kind: string }) => c.kind === 'photo')).toBe(false)
    expect(p.body).not.toContain(sha(JPEG))
  })
})

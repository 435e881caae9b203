/**
 * Exchange bundle export and import at scale: 2,000 evaluations with 4,000 photos of ~100 KB
 * each (deterministic, incompressible bytes like a JPEG), against the pure io layer:
 * - export: writeBundle streams the zip to a temporary file (photos generated one at a time);
 * - import: readBundle validates the file read through a file handle in slices (every checksum,
 *   every record), then the merge plans every record against an empty in-memory table and
 *   every photo is read back and handed to a sink that keeps only its size (an IndexedDB in
 *   Node, fake-indexeddb, would itself hold all 400 MB in memory and measure nothing useful).
 * Memory: peak RSS and peak ArrayBuffer memory over the run, minus their values at its start,
 * sampled every 20 ms and at every part. Run at 1,000 and at 4,000 photos: the peak must not
 * grow with the photo count (photos are never all in memory at once).
 */
import { mkdtempSync, openSync, closeSync, writeSync, rmSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { mergeInto } from '../../src/domain/merge'
import { rubricSchema, type Rubric } from '../../src/domain/rubric-schema'
import type { Evaluation } from '../../src/domain/records'
import type { Answers, Store } from '../../src/domain/types'
import { readBundle, writeBundle, type ByteSource } from '../../src/io/bundle'
import { mulberry32 } from './prng'
import type { BenchFigure } from './types'

const EVALUATIONS = 2_000
const PHOTO_BYTES = 100 * 1024
const SRC = 'common practice (benchmark)'

const t = (s: string) => ({ zh: s, en: s })
const RUBRIC: Rubric = rubricSchema.parse({
  kind: 'rubric',
  id: 'bench-rubric',
  version: '1.0.0',
  title: t('bench'),
  appliesTo: { levels: [1, 2, 3, 4], types: ['self', 'partner'] },
  sections: [
    {
      id: 's',
      title: t('s'),
      weight: 100,
      items: Array.from({ length: 20 }, (_, i) => ({
        id: `i${i}`,
        kind: 'yesno',
        max: 5,
        label: t(`i${i}`),
        hint: t('h'),
        source: SRC,
      })),
    },
  ],
})

function photoBytes(index: number): Uint8Array {
  const words = new Uint32Array(PHOTO_BYTES / 4)
  let x = (index * 2654435761) >>> 0 || 1
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    words[i] = x >>> 0
  }
  // Incompressible noise behind a JPEG's first bytes: photos are judged by their signature.
  const bytes = new Uint8Array(words.buffer)
  bytes.set([0xff, 0xd8, 0xff, 0xe0])
  return bytes
}

export function dataset(photos: number) {
  const rand = mulberry32(42)
  const stores: Store[] = Array.from({ length: 200 }, (_, i) => ({
    code: `S${String(i).padStart(4, '0')}`,
    name: `营业厅 ${i}`,
    province: '江苏',
    city: ['南京', '苏州', '无锡'][i % 3]!,
    level: ((i % 4) + 1) as 1 | 2 | 3 | 4,
    type: 'self',
  }))
  const evaluations: Evaluation[] = Array.from({ length: EVALUATIONS }, (_, i) => {
    const answers: Answers = {}
    // A submitted evaluation is refused unless each lost item has its evidence (a note or a
    // photo): every failed answer carries a note, as the form requires.
    const NOTE = '地面有纸屑，已提醒保洁'
    for (let k = 0; k < 20; k++) {
      const value = rand() < 0.85
      const note = rand() < 0.1 || !value ? NOTE : undefined
      answers[`i${k}`] = { itemId: `i${k}`, value, note }
    }
    const perEval = Math.floor(photos / EVALUATIONS) + (i < photos % EVALUATIONS ? 1 : 0)
    const ids = Array.from({ length: perEval }, (_, p) => `p${i}-${p}`)
    answers.i0 = { itemId: 'i0', value: false, photoIds: ids, note: ids.length ? undefined : NOTE }
    return {
      id: `e${i}`,
      storeCode: stores[i % stores.length]!.code,
      period: '2026-Q4',
      reviewer: 'city',
      evaluatorName: '检查员',
      rubricId: RUBRIC.id,
      rubricVersion: RUBRIC.version,
      status: 'submitted',
      answers: JSON.parse(JSON.stringify(answers)) as Answers,
      revision: 1,
      revisionOf: null,
      createdAt: '2026-10-10T08:00:00.000Z',
      updatedAt: '2026-10-10T09:30:00.000Z',
      submittedAt: '2026-10-10T09:30:00.000Z',
      result: null,
      editSeq: 3,
    }
  })
  const photoIds = evaluations.flatMap((e) => e.answers.i0!.photoIds!)
  return { stores, evaluations, photoIds }
}

class Peak {
  private rss0 = process.memoryUsage().rss
  private ab0 = process.memoryUsage().arrayBuffers
  rss = 0
  ab = 0
  private timer = setInterval(() => this.sample(), 20)
  sample(): void {
    const m = process.memoryUsage()
    this.rss = Math.max(this.rss, m.rss - this.rss0)
    this.ab = Math.max(this.ab, m.arrayBuffers - this.ab0)
  }
  stop(): void {
    clearInterval(this.timer)
    this.sample()
  }
}

const MB = 1024 * 1024
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d

async function fileSource(path: string): Promise<{ src: ByteSource; close: () => Promise<void> }> {
  const fh = await open(path, 'r')
  const size = (await fh.stat()).size
  return {
    src: {
      size,
      read: async (offset, length) => {
        const buf = Buffer.allocUnsafeSlow(length)
        const { bytesRead } = await fh.read(buf, 0, length, offset)
        return new Uint8Array(buf.buffer, buf.byteOffset, bytesRead)
      },
    },
    close: () => fh.close(),
  }
}

/**
 * Writes the bench data set as an exchange bundle file (photos generated one at a time, the zip
 * streamed to disk); returns its size in bytes. Also used by the in-browser import bench.
 */
export async function writeBenchBundle(
  data: ReturnType<typeof dataset>,
  path: string,
  onPhoto: () => void = () => {},
): Promise<number> {
  const index = new Map(data.photoIds.map((id, i) => [id, i]))
  const fd = openSync(path, 'w')
  let fileBytes = 0
  try {
    await writeBundle(
      {
        stores: data.stores,
        rubrics: [RUBRIC],
        evaluations: data.evaluations,
        certification: [],
        actions: [],
        photoIds: data.photoIds,
        readPhoto: async (id) => {
          onPhoto()
          const i = index.get(id)!
          return {
            id,
            evaluationId: `e${id.slice(1, id.indexOf('-'))}`,
            itemId: 'i0',
            mime: 'image/jpeg',
            width: 1600,
            height: 1200,
            thumbMime: 'image/jpeg',
            capturedAt: '2026-10-10T08:30:00.000Z',
            bytes: photoBytes(i),
            thumbBytes: photoBytes(i + 1_000_000).subarray(0, 4096),
          }
        },
      },
      {
        kind: 'exchange',
        exportedAt: '2026-12-01T00:00:00.000Z',
        deviceId: 'bench',
        scope: { province: '江苏', period: '2026-Q4' },
      },
      (chunk) => {
        fileBytes += chunk.byteLength
        writeSync(fd, chunk)
      },
    )
  } finally {
    closeSync(fd)
  }
  return fileBytes
}

async function once(photos: number) {
  const dir = mkdtempSync(join(tmpdir(), 'bundle-bench-'))
  const path = join(dir, 'bundle.zip')
  const data = dataset(photos)
  try {
    ;(globalThis as { gc?: () => void }).gc?.()
    let peak = new Peak()
    let start = performance.now()
    const fileBytes = await writeBenchBundle(data, path, () => peak.sample())
    const exportMs = performance.now() - start
    peak.stop()
    const exportPeak = { rss: peak.rss, ab: peak.ab }

    ;(globalThis as { gc?: () => void }).gc?.()
    peak = new Peak()
    start = performance.now()
    const { src, close } = await fileSource(path)
    const r = await readBundle(src, { onProgress: () => peak.sample() })
    if (!r.ok) throw new Error(`bench bundle refused: ${JSON.stringify(r.error)}`)
    const b = r.bundle
    const evaluations = mergeInto('evaluation', new Map(), b.evaluations, (e) => e.id)
    const stores = mergeInto('store', new Map(), b.stores, (s) => s.code)
    let photoBytesIn = 0
    for (const p of b.photos) {
      const got = await b.readPhoto(p.id)
      photoBytesIn += got.bytes.byteLength
      peak.sample()
    }
    await close()
    const importMs = performance.now() - start
    peak.stop()
    if (
      evaluations.size !== EVALUATIONS ||
      stores.size !== data.stores.length ||
      photoBytesIn !== photos * PHOTO_BYTES
    )
      throw new Error('bench import incomplete')
    return { exportMs, importMs, fileBytes, exportPeak, importPeak: { rss: peak.rss, ab: peak.ab } }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export async function run(): Promise<BenchFigure[]> {
  const small = await once(1_000)
  const big = await once(4_000)
  return [
    {
      name: 'bundle: export 2,000 evaluations + 4,000 photos (~100 KB)',
      value: round(big.exportMs / 1000, 2),
      unit: 's',
    },
    { name: 'bundle: file size (4,000 photos)', value: round(big.fileBytes / MB), unit: 'MB' },
    {
      name: 'bundle: import (validate all + merge + read every photo), 4,000 photos',
      value: round(big.importMs / 1000, 2),
      unit: 's',
      target: 20,
    },
    {
      name: 'bundle: export peak RSS growth, 1,000 photos',
      value: round(small.exportPeak.rss / MB),
      unit: 'MB',
    },
    {
      name: 'bundle: export peak RSS growth, 4,000 photos',
      value: round(big.exportPeak.rss / MB),
      unit: 'MB',
    },
    {
      name: 'bundle: import peak RSS growth, 1,000 photos',
      value: round(small.importPeak.rss / MB),
      unit: 'MB',
    },
    {
      name: 'bundle: import peak RSS growth, 4,000 photos',
      value: round(big.importPeak.rss / MB),
      unit: 'MB',
    },
    {
      name: 'bundle: import peak ArrayBuffer growth, 1,000 photos',
      value: round(small.importPeak.ab / MB),
      unit: 'MB',
    },
    {
      name: 'bundle: import peak ArrayBuffer growth, 4,000 photos',
      value: round(big.importPeak.ab / MB),
      unit: 'MB',
    },
  ]
}

// `npx tsx bench/bundle.bench.ts` runs this file alone.
if (process.argv[1]?.endsWith('bundle.bench.ts')) {
  run().then((f) => console.table(f))
}

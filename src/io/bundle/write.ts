/**
 * Writes a bundle (or a backup) as a zip stream with fflate. Parts are added one at a time and
 * each is handed to the sink before the next is read, so a bundle with thousands of photos
 * never holds more than one photo (plus the JSON parts) in memory. Photos are stored, not
 * deflated: JPEG/WebP do not compress further and storing keeps export fast.
 * The manifest goes last: it carries the SHA-256 of every part written before it.
 */
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate'
import type { Store } from '../../domain/types'
import type { CertificationEntry, CorrectiveAction, Evaluation, Photo } from '../../domain/records'
import type { Rubric } from '../../domain/rubric-schema'
import {
  BUNDLE_FORMAT,
  INCREMENTAL_FORMAT_VERSION,
  PART,
  photoPartName,
  rubricPartName,
  type BundleKind,
  type Manifest,
  type PhotoMeta,
} from './format'
import { sha256Hex } from './hash'

export type PhotoHeader = Omit<Photo, 'bytes' | 'thumbBytes'>

export interface BundleContent {
  stores: Store[]
  rubrics: Rubric[]
  evaluations: Evaluation[]
  certification: CertificationEntry[]
  actions: CorrectiveAction[]
  /** Photos to include; each is fetched, written and let go one at a time through readPhoto. */
  photoIds: string[]
  readPhoto(
    id: string,
  ): Promise<
    | (PhotoHeader & { bytes: ArrayBuffer | Uint8Array; thumbBytes: ArrayBuffer | Uint8Array })
    | undefined
  >
  /** Backups only: the settings rows. */
  meta?: { key: string; value: unknown }[]
}

export interface BundleInfo {
  kind: BundleKind
  exportedAt: string
  deviceId: string
  evaluator?: string
  app?: string
  scope: Manifest['scope']
  /** An incremental bundle: what it carries changed since then (format version 2). */
  incremental?: NonNullable<Manifest['incremental']>
  /** Signs the finished manifest (sign.ts signerFor); unsigned without it. */
  sign?: (unsigned: Manifest) => Promise<NonNullable<Manifest['signature']>>
}

/** Receives the zip as it is produced; awaited between parts (backpressure). */
export type ChunkSink = (chunk: Uint8Array) => void | Promise<void>

const encoder = new TextEncoder()

function u8(b: ArrayBuffer | Uint8Array): Uint8Array {
  return b instanceof Uint8Array ? b : new Uint8Array(b)
}

export async function writeBundle(
  content: BundleContent,
  info: BundleInfo,
  sink: ChunkSink,
): Promise<Manifest> {
  const pending: Uint8Array[] = []
  let failed: Error | null = null
  const zip = new Zip((err, chunk) => {
    if (err) failed = err
    else pending.push(chunk)
  })
  const flush = async () => {
    if (failed) throw failed
    while (pending.length) await sink(pending.shift()!)
  }
  const parts: Manifest['parts'] = {}
  // A fixed timestamp: the same content gives the same file, whatever the clock says.
  const mtime = new Date(info.exportedAt)

  const addPart = async (name: string, bytes: Uint8Array, deflate: boolean, record = true) => {
    if (record) parts[name] = { sha256: await sha256Hex(bytes), size: bytes.byteLength }
    const file = deflate ? new ZipDeflate(name, { level: 6 }) : new ZipPassThrough(name)
    file.mtime = mtime
    zip.add(file)
    file.push(bytes, true)
    await flush()
  }
  const addJson = (name: string, value: unknown) =>
    addPart(name, encoder.encode(JSON.stringify(value)), true)

  await addJson(PART.stores, content.stores)
  for (const r of content.rubrics) await addJson(rubricPartName(r.id, r.version), r)
  await addJson(PART.evaluations, {
    evaluations: content.evaluations,
    certification: content.certification,
  })
  await addJson(PART.actions, content.actions)

  const photoMeta: PhotoMeta[] = []
  for (const id of content.photoIds) {
    const data = await content.readPhoto(id)
    // A photo listed but gone from the database is left out rather than failing the export.
    if (!data) continue
    const { bytes: rawBytes, thumbBytes, ...header } = data
    const bytes = u8(rawBytes)
    const thumb = u8(thumbBytes)
    const file = photoPartName(header.id, header.mime)
    await addPart(file, bytes, false)
    let thumbFile: string | null = null
    if (thumb.byteLength > 0) {
      thumbFile = photoPartName(header.id, header.thumbMime, true)
      await addPart(thumbFile, thumb, false)
    }
    photoMeta.push({ ...header, file, thumbFile, sha256: parts[file]!.sha256 })
  }
  await addJson(PART.photos, photoMeta)
  if (content.meta) await addJson(PART.meta, content.meta)

  const manifest: Manifest = {
    format: BUNDLE_FORMAT,
    // A full bundle stays version 1 so older apps read it; only an incremental one needs 2.
    formatVersion: info.incremental ? INCREMENTAL_FORMAT_VERSION : 1,
    kind: info.kind,
    exportedAt: info.exportedAt,
    exportedBy: {
      deviceId: info.deviceId,
      ...(info.evaluator !== undefined ? { evaluator: info.evaluator } : {}),
      ...(info.app !== undefined ? { app: info.app } : {}),
    },
    scope: info.scope,
    ...(info.incremental ? { incremental: info.incremental } : {}),
    counts: {
      stores: content.stores.length,
      evaluations: content.evaluations.length,
      certification: content.certification.length,
      actions: content.actions.length,
      photos: photoMeta.length,
      rubrics: content.rubrics.length,
    },
    parts,
  }
  if (info.sign) manifest.signature = await info.sign(manifest)
  await addPart(PART.manifest, encoder.encode(JSON.stringify(manifest, null, 2)), true, false)
  zip.end()
  await flush()
  return manifest
}

/** The whole bundle in memory: tests and small exports. */
export async function writeBundleToBytes(
  content: BundleContent,
  info: BundleInfo,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  await writeBundle(content, info, (c) => {
    chunks.push(c)
  })
  return concat(chunks)
}

export function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0))
  let off = 0
  for (const c of chunks) {
    out.set(c, off)
    off += c.byteLength
  }
  return out
}

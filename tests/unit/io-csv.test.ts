import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { guessDelimiter, parseCsv, parseWithPapa, toCsv, toCsvText } from '../../src/io/csv'

describe('parseCsv', () => {
  it('gives the physical line of each record, across quoted newlines, CRLF and blank lines', () => {
    const text = 'code,name\r\nA1,"two\r\nlines"\r\n\r\nA2,"say ""hi"""\r\nA3,x'
    const r = parseCsv(text)
    expect(r.records).toEqual([
      { line: 1, cells: ['code', 'name'] },
      { line: 2, cells: ['A1', 'two\r\nlines'] },
      { line: 5, cells: ['A2', 'say "hi"'] },
      { line: 6, cells: ['A3', 'x'] },
    ])
    expect(r.errors).toEqual([])
  })

  it('counts lone CR line ends too', () => {
    expect(parseCsv('a,b\r1,2\r3,4').records.map((r) => r.line)).toEqual([1, 2, 3])
  })

  it('guesses tab and semicolon delimiters from the header line', () => {
    expect(guessDelimiter('a\tb\tc\n1,2\t3')).toBe('\t')
    expect(guessDelimiter('a;b;c\n')).toBe(';')
    expect(guessDelimiter('"a,b";c\n')).toBe(';')
    expect(guessDelimiter('single\n')).toBe(',')
    expect(parseCsv('a\tb\n1\t2\n').records[1]?.cells).toEqual(['1', '2'])
  })

  it('reports an unterminated quote with a line number', () => {
    const r = parseCsv('a,b\n1,"open\n2,3\n')
    expect(r.errors.length).toBeGreaterThan(0)
    expect(r.errors[0]?.line).toBe(2)
  })

  it('stops at maxRecords and says so', () => {
    const r = parseCsv('a\n1\n2\n3\n', { maxRecords: 2 })
    expect(r.records).toHaveLength(2)
    expect(r.truncated).toBe(true)
  })
})

describe('parseCsv fast path (no quotes, one kind of line end)', () => {
  // Lines of cells drawn from characters that matter: delimiters, spaces, CR/LF, a BOM, CJK.
  const cell = fc.string({
    unit: fc.constantFrom('a', 'b', '1', ' ', ',', ';', '\t', '\r', '\n', '\uFEFF', '厅', "'"),
    maxLength: 6,
  })
  const text = fc
    .tuple(
      fc.array(fc.array(cell, { maxLength: 4 }), { maxLength: 8 }),
      fc.constantFrom('\n', '\r\n', '\r'),
      fc.boolean(),
    )
    .map(([rows, eol, last]) => rows.map((r) => r.join(',')).join(eol) + (last ? eol : ''))

  it('gives the records, lines and cells papaparse gives', () => {
    fc.assert(
      fc.property(
        text,
        fc.constantFrom(',', ';', '\t'),
        fc.integer({ min: 0, max: 10 }),
        (t, d, max) => {
          expect(parseCsv(t, { delimiter: d, maxRecords: max })).toEqual(parseWithPapa(t, d, max))
          expect(parseCsv(t, { delimiter: d })).toEqual(parseWithPapa(t, d))
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('is the path a plain register takes, and quotes still go through papaparse', () => {
    const plain = 'code,name\r\nA1,厅 一\r\n\r\nA2,厅二\r\n'
    expect(parseCsv(plain).records).toEqual([
      { line: 1, cells: ['code', 'name'] },
      { line: 2, cells: ['A1', '厅 一'] },
      { line: 4, cells: ['A2', '厅二'] },
    ])
    expect(parseCsv('code,name\nA1,"x\ny"\nA2,z\n').records).toEqual([
      { line: 1, cells: ['code', 'name'] },
      { line: 2, cells: ['A1', 'x\ny'] },
      { line: 4, cells: ['A2', 'z'] },
    ])
  })
})

describe('toCsv', () => {
  it('quotes per RFC 4180 and round-trips through parseCsv', () => {
    const rows = [
      ['A1', 'comma, inside', 'quote " inside', 'line\nbreak', 3.5],
      ['A2', ' edge ', null, undefined, -2],
    ]
    const text = toCsvText(rows, ['code', 'a', 'b', 'c', 'n'], { bom: false })
    expect(text).toBe(
      'code,a,b,c,n\r\nA1,"comma, inside","quote "" inside","line\nbreak",3.5\r\nA2," edge ",,,-2\r\n',
    )
    const back = parseCsv(text).records.map((r) => r.cells)
    expect(back[1]).toEqual(['A1', 'comma, inside', 'quote " inside', 'line\nbreak', '3.5'])
  })

  it('adds a UTF-8 BOM by default and encodes Chinese as UTF-8', () => {
    const bytes = toCsv([['广州']], ['名称'])
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(new TextDecoder().decode(bytes)).toBe('名称\r\n广州\r\n')
  })

  it('neutralises formula-like text unless told not to', () => {
    expect(toCsvText([['=1+1', -1]], ['x', 'n'], { bom: false })).toBe("x,n\r\n'=1+1,-1\r\n")
    expect(toCsvText([['=1+1']], ['x'], { bom: false, neutralise: false })).toBe('x\r\n=1+1\r\n')
  })
})

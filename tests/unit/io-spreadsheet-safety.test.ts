import { describe, expect, it } from 'vitest'
import {
  FORMULA_TRIGGERS,
  isFormulaLike,
  neutraliseCell,
  neutraliseText,
} from '../../src/io/spreadsheet-safety'

describe('spreadsheet formula neutralisation', () => {
  it.each(['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'])(
    'quotes text starting with %j',
    (c) => {
      const text = `${c}HYPERLINK("http://x","y")`
      expect(isFormulaLike(text)).toBe(true)
      expect(neutraliseText(text)).toBe(`'${text}`)
    },
  )

  it('covers every documented trigger', () => {
    for (const c of FORMULA_TRIGGERS) expect(neutraliseText(`${c}1+1`)).toBe(`'${c}1+1`)
  })

  it('leaves ordinary text, including a trigger later in the string', () => {
    for (const t of ['广州天河营业厅', 'a=b', 'A-1', '', ' =1']) expect(neutraliseText(t)).toBe(t)
  })

  it('keeps numbers as numbers, negative ones included', () => {
    expect(neutraliseCell(-5)).toBe(-5)
    expect(neutraliseCell(0)).toBe(0)
    expect(neutraliseCell(null)).toBe(null)
    expect(neutraliseCell(true)).toBe(true)
  })

  it('treats plain signed decimals written as text as numbers, but not expressions', () => {
    expect(neutraliseText('-5')).toBe('-5')
    expect(neutraliseText('+3.5')).toBe('+3.5')
    expect(neutraliseText('-2-3')).toBe("'-2-3")
    expect(neutraliseText('-1+cmd|')).toBe("'-1+cmd|")
  })
})

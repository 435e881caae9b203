import { describe, expect, it } from 'vitest'
import iconv from 'iconv-lite'
import { decodeText } from '../../src/io/text-decode'

const SAMPLE = '营业厅编码,营业厅名称\r\nGD001,广州天河营业厅\r\n'

describe('decodeText', () => {
  it('reads UTF-8 without a BOM', () => {
    const r = decodeText(new TextEncoder().encode(SAMPLE))
    expect(r).toEqual({ ok: true, text: SAMPLE, encoding: 'utf-8', bom: false })
  })

  it('reads UTF-8 with a BOM and strips it', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(SAMPLE)])
    const r = decodeText(bytes)
    expect(r).toEqual({ ok: true, text: SAMPLE, encoding: 'utf-8', bom: true })
  })

  it('falls back to GBK when the bytes are not UTF-8', () => {
    const bytes = iconv.encode(SAMPLE, 'gbk')
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow()
    const r = decodeText(bytes)
    expect(r).toEqual({ ok: true, text: SAMPLE, encoding: 'gbk', bom: false })
  })

  it('reads GB18030 four-byte characters in a GBK file, as the browser does', () => {
    // 𠀀 (U+20000, Extension B) and 㐀 are four bytes in GB18030; € is one of WPS's GBK extras.
    const text = '营业厅编码,营业厅名称\r\nGD001,𠀀㐀€营业厅\r\n'
    const bytes = iconv.encode(text, 'gb18030')
    expect([...bytes.subarray(bytes.indexOf(0x95), bytes.indexOf(0x95) + 4)]).toEqual([
      0x95, 0x32, 0x82, 0x36,
    ])
    expect(decodeText(bytes)).toEqual({ ok: true, text, encoding: 'gbk', bom: false })
  })

  it('reads UTF-16 LE and BE with a BOM', () => {
    const le = iconv.encode(SAMPLE, 'utf-16le', { addBOM: true })
    const be = iconv.encode(SAMPLE, 'utf-16be', { addBOM: true })
    expect(decodeText(le)).toMatchObject({
      ok: true,
      text: SAMPLE,
      encoding: 'utf-16le',
      bom: true,
    })
    expect(decodeText(be)).toMatchObject({
      ok: true,
      text: SAMPLE,
      encoding: 'utf-16be',
      bom: true,
    })
  })

  it('refuses binary data with NUL bytes', () => {
    const r = decodeText(new Uint8Array([0x61, 0x00, 0x62, 0x00, 0x63]))
    expect(r).toMatchObject({ ok: false, reason: 'binary' })
  })

  it('refuses text that still holds replacement characters after decoding', () => {
    // A GBK lead byte (0xA1) followed by a newline is invalid in UTF-8 and in GBK: U+FFFD.
    const r = decodeText(new Uint8Array([0x61, 0x2c, 0xa1, 0x0a]))
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.detail).toMatch(/undecodable/)
  })

  it('refuses random junk full of control characters', () => {
    let seed = 7
    const junk = new Uint8Array(4000).map(() => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      const b = seed % 256
      return b === 0 ? 1 : b
    })
    expect(decodeText(junk).ok).toBe(false)
  })

  it('keeps a text with a single stray control character (cleaned later)', () => {
    const r = decodeText(new TextEncoder().encode('code,name\nA1,Store\u0007 one\n'))
    expect(r.ok).toBe(true)
  })
})

/**
 * Text to GBK bytes, for CSV files opened by old Excel (which reads a CSV in the ANSI code page,
 * GBK on Chinese Windows). TextEncoder only writes UTF-8, and iconv-lite needs Node's Buffer in
 * the browser, so the table is the platform's own: every two-byte GBK code decoded once with
 * the WHATWG TextDecoder('gbk') — the same table the importer reads with (text-decode.ts), so
 * an exported file imports back unchanged. Built on first use (~24,000 codes, a few ms).
 *
 * A character GBK cannot hold (emoji, rare CJK outside GBK) becomes "?" and is counted, so the
 * caller can say so.
 */

let table: Map<number, number> | null = null

function gbkTable(): Map<number, number> {
  if (table) return table
  const decoder = new TextDecoder('gbk')
  const map = new Map<number, number>()
  const pair = new Uint8Array(2)
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue
      pair[0] = lead
      pair[1] = trail
      const text = decoder.decode(pair)
      if (text.length !== 1 || text === '\uFFFD') continue
      const code = text.charCodeAt(0)
      if (!map.has(code)) map.set(code, (lead << 8) | trail)
    }
  }
  table = map
  return map
}

export interface GbkResult {
  bytes: Uint8Array
  /** Characters GBK cannot hold, written as "?". */
  replaced: number
}

export function encodeGbk(text: string): GbkResult {
  const map = gbkTable()
  const out = new Uint8Array(text.length * 2)
  let n = 0
  let replaced = 0
  for (const ch of text) {
    const code = ch.codePointAt(0)!
    if (code < 0x80) {
      out[n++] = code
      continue
    }
    const gbk = code <= 0xffff ? map.get(code) : undefined
    if (gbk === undefined) {
      out[n++] = 0x3f
      replaced++
      continue
    }
    out[n++] = gbk >> 8
    out[n++] = gbk & 0xff
  }
  return { bytes: out.slice(0, n), replaced }
}

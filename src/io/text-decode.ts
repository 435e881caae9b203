/**
 * Bytes to text for imported files. Chinese offices export CSV from Excel or WPS as UTF-8 (with
 * or without BOM), as "Unicode text" (UTF-16 with BOM), or in the legacy ANSI code page, GBK.
 * Only the WHATWG TextDecoder is used, so this runs the same in the browser and in Node 20.
 */

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gbk'

export type DecodeResult =
  | { ok: true; text: string; encoding: TextEncodingName; bom: boolean }
  | {
      ok: false
      reason: 'binary' | 'invalid-text'
      encoding: TextEncodingName | null
      detail: string
      /** The line (1-based) of the first bad character or byte, when there is one. */
      line?: number
    }

/** 1-based line of position `at` in a text. */
function lineOfIndex(text: string, at: number): number {
  let n = 1
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) n++
  return n
}

/** C0 controls other than tab, LF, CR (and FF/VT, which some exports leave behind), plus DEL. */
// eslint-disable-next-line no-control-regex
const JUNK_CONTROL = /[\u0000-\u0008\u000E-\u001F\u007F]/g

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b)
}

/** Why a decoded text does not look like text, or null when it does. */
function brokenTextReason(text: string): string | null {
  if (text.includes('\u0000')) return 'contains NUL characters (binary data)'
  const replacements = text.split('\uFFFD').length - 1
  if (replacements > 0) return `contains ${replacements} undecodable character(s)`
  const controls = text.match(JUNK_CONTROL)?.length ?? 0
  // A stray control character is cleaned later; many of them mean this is not a text file.
  if (controls > 8 && controls > text.length / 100)
    return `contains ${controls} control characters (binary data)`
  return null
}

/**
 * GBK files are decoded with the GB18030 decoder: it reads every GBK byte sequence the same and
 * also the four-byte sequences (CJK Extension B names such as 𠀀, the euro sign from WPS). The
 * browsers' "gbk" label already means that decoder (WHATWG Encoding); Node's ICU "gbk" does not,
 * so the label is named here and the browser and the CLI read the same file the same way.
 */
const DECODER_LABEL: Record<TextEncodingName, string> = {
  'utf-8': 'utf-8',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
  gbk: 'gb18030',
}

function decodeWith(bytes: Uint8Array, encoding: TextEncodingName, fatal: boolean): string {
  return new TextDecoder(DECODER_LABEL[encoding], { fatal, ignoreBOM: false }).decode(bytes)
}

/**
 * Decode a text file. Order: BOM (UTF-8 / UTF-16), strict UTF-8, then GBK. A result that still
 * looks broken (NUL bytes, U+FFFD, many control characters) is refused rather than guessed at.
 */
export function decodeText(bytes: Uint8Array): DecodeResult {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return finish(bytes, 'utf-8', true)
  if (startsWith(bytes, [0xff, 0xfe])) return finish(bytes, 'utf-16le', true)
  if (startsWith(bytes, [0xfe, 0xff])) return finish(bytes, 'utf-16be', true)
  const nul = bytes.indexOf(0)
  if (nul !== -1) {
    let line = 1
    for (let i = 0; i < nul; i++) if (bytes[i] === 0x0a) line++
    return {
      ok: false,
      reason: 'binary',
      encoding: null,
      detail: 'contains NUL bytes (binary data, or UTF-16 without a byte-order mark)',
      line,
    }
  }
  try {
    return finish(bytes, 'utf-8', false, decodeWith(bytes, 'utf-8', true))
  } catch {
    // Not valid UTF-8: the usual alternative in mainland China is GBK (decoded as GB18030).
    return finish(bytes, 'gbk', false)
  }
}

function finish(
  bytes: Uint8Array,
  encoding: TextEncodingName,
  bom: boolean,
  decoded?: string,
): DecodeResult {
  let text: string
  try {
    text = decoded ?? decodeWith(bytes, encoding, false)
  } catch (e) {
    return { ok: false, reason: 'invalid-text', encoding, detail: String(e) }
  }
  // TextDecoder strips a leading BOM; strip a stray second one too (files concatenated by hand).
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  const reason = brokenTextReason(text)
  if (reason !== null) {
    // eslint-disable-next-line no-control-regex
    const bad = text.search(/[\u0000\uFFFD]/)
    return {
      ok: false,
      reason: text.includes('\u0000') ? 'binary' : 'invalid-text',
      encoding,
      detail: `${encoding}: ${reason}`,
      ...(bad !== -1 ? { line: lineOfIndex(text, bad) } : {}),
    }
  }
  return { ok: true, text, encoding, bom }
}

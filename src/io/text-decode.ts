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

function decodeWith(bytes: Uint8Array, encoding: TextEncodingName, fatal: boolean): string {
  return new TextDecoder(encoding, { fatal, ignoreBOM: false }).decode(bytes)
}

/**
 * Decode a text file. Order: BOM (UTF-8 / UTF-16), strict UTF-8, then GBK. A result that still
 * looks broken (NUL bytes, U+FFFD, many control characters) is refused rather than guessed at.
 */
export function decodeText(bytes: Uint8Array): DecodeResult {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return finish(bytes, 'utf-8', true)
  if (startsWith(bytes, [0xff, 0xfe])) return finish(bytes, 'utf-16le', true)
  if (startsWith(bytes, [0xfe, 0xff])) return finish(bytes, 'utf-16be', true)
  if (bytes.includes(0)) {
    return {
      ok: false,
      reason: 'binary',
      encoding: null,
      detail: 'contains NUL bytes (binary data, or UTF-16 without a byte-order mark)',
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
    return {
      ok: false,
      reason: text.includes('\u0000') ? 'binary' : 'invalid-text',
      encoding,
      detail: `${encoding}: ${reason}`,
    }
  }
  return { ok: true, text, encoding, bom }
}

/**
 * Cleaning of text that comes in (files, forms, bundles): the one place that decides which
 * characters nobody can see but that break display, sorting and exports. Markup is data, not
 * code: `<script>` in a store name is kept as typed and the UI renders it as text. Removed are
 * C0/C1 control characters, DEL, zero-width characters, and the bidirectional controls
 * (U+200E/F marks, U+202A–202E embeddings and overrides, U+2066–2069 isolates), which can make
 * "evil.exe" read as "exe.live" and a code look like another.
 */

// C0 and C1 controls (tab/newline included: single-line fields), DEL, zero-width and bidi controls.
const INVISIBLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g
// The same, keeping line feeds (notes are several lines).
const INVISIBLE_KEEP_LINES =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g

const HAS_INVISIBLE = new RegExp(INVISIBLE.source)

export interface CleanedText {
  text: string
  /** Something other than edge whitespace was removed. */
  changed: boolean
}

/** A single-line value: invisible characters removed (tabs and newlines become spaces), trimmed. */
export function cleanText(raw: string): CleanedText {
  // Most cells hold nothing to remove: then only the trim applies.
  if (!HAS_INVISIBLE.test(raw)) return { text: raw.trim(), changed: false }
  const replaced = raw.replace(/[\t\r\n]+/g, ' ')
  const text = replaced.replace(INVISIBLE, '').trim()
  return { text, changed: text !== replaced.trim() }
}

/** Whether `cleanText` would remove anything but edge whitespace from `raw` (no object made). */
export function hasInvisible(raw: string): boolean {
  return HAS_INVISIBLE.test(raw)
}

/** `cleanText(raw).text`, without the result object (for hot import loops). */
export function cleanCell(raw: string): string {
  return HAS_INVISIBLE.test(raw) ? cleanText(raw).text : raw.trim()
}

/** A multi-line value (a note): the same, but line breaks stay (CRLF becomes LF); not trimmed. */
export function cleanMultiline(raw: string): string {
  return raw.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(INVISIBLE_KEEP_LINES, '')
}

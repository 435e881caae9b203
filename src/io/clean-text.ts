/**
 * Cleaning of imported text values. Markup is data, not code: `<script>` in a store name is
 * kept as typed and the UI renders it as text. What is removed are characters nobody can see
 * but that break display, sorting and exports: control characters and bidi overrides.
 */

// C0 and C1 controls (tab/newline included: single-line fields), DEL, zero-width and bidi controls.
const INVISIBLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g

const HAS_INVISIBLE = new RegExp(INVISIBLE.source)

export interface CleanedText {
  text: string
  /** Something other than edge whitespace was removed. */
  changed: boolean
}

/** Remove invisible characters (tabs and newlines become spaces), then trim. */
export function cleanText(raw: string): CleanedText {
  // Most cells hold nothing to remove: then only the trim applies.
  if (!HAS_INVISIBLE.test(raw)) return { text: raw.trim(), changed: false }
  const replaced = raw.replace(/[\t\r\n]+/g, ' ')
  const text = replaced.replace(INVISIBLE, '').trim()
  return { text, changed: text !== replaced.trim() }
}

/** `cleanText(raw).text`, without the result object (for hot import loops). */
export function cleanCell(raw: string): string {
  return HAS_INVISIBLE.test(raw) ? cleanText(raw).text : raw.trim()
}

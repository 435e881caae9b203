/**
 * The one rule every store search follows. The typed text is trimmed, lower-cased and split into
 * words (spaces, half- or full-width); a value matches when every word is found in one of the
 * values, as a case-insensitive substring, or, for a word of Latin letters, in the value's
 * pinyin: full (xinjiekou) or initials (xjk). So "南京 新街口", "nj xjk" and "xinjiekou" all find
 * 南京新街口旗舰店.
 *
 * The romanisation is passed in (the app loads a pinyin library lazily, see
 * composables/usePinyin.ts), so this file stays pure and without dependencies; without one only
 * the text itself matches.
 */

/** Chinese text in pinyin, lower case, no tones or spaces. */
export interface Romaniser {
  full(text: string): string
  initials(text: string): string
}

/** The typed text as the searches compare it: trimmed and lower-cased ('' matches everything). */
export function searchText(typed: string): string {
  return typed.trim().toLowerCase()
}

/** The words of a search text (already passed through searchText). */
export function searchWords(text: string): string[] {
  return text.split(/[\s\u3000]+/u).filter((w) => w !== '')
}

const HAN = /\p{Script=Han}/u
const LATIN = /^[a-z]+$/

/** Whether every word of `text` (already passed through searchText) is found in the values. */
export function containsText(
  text: string,
  values: readonly string[],
  romanise?: Romaniser | null,
): boolean {
  if (text === '') return true
  const lower = values.map((v) => v.toLowerCase())
  return searchWords(text).every(
    (w) =>
      lower.some((v) => v.includes(w)) ||
      (!!romanise &&
        LATIN.test(w) &&
        values.some(
          (v) => HAN.test(v) && (romanise.initials(v).includes(w) || romanise.full(v).includes(w)),
        )),
  )
}

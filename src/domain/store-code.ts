/**
 * Store codes: one alphabet for the store form, the file import and bundles, and one way to
 * compare them. Codes end up in URLs (/stores/:code), file names and exports, so they keep to
 * ASCII letters, digits, `-` and `_` (no `/`, `?`, `#`, `.`: `A/B?x=1#y` and `../../etc/passwd`
 * are refused). Full-width letters and digits typed with a Chinese IME are folded to ASCII first
 * (Unicode NFKC), and two codes that differ only in letter case are the same store.
 */
import { cleanText } from './text-clean'

export const STORE_CODE_MAX = 64
export const STORE_CODE_PATTERN = /^[A-Za-z0-9_-]+$/

/** The code as typed or read, cleaned: invisible characters out, NFKC (full-width → ASCII), trimmed. */
export function normalizeStoreCode(raw: string): string {
  // NFKC changes nothing in plain ASCII: skip it there (the CLI reads a million codes).
  return cleanText(ASCII.test(raw) ? raw : raw.normalize('NFKC')).text
}

// eslint-disable-next-line no-control-regex
const ASCII = /^[\u0000-\u007F]*$/

/** Whether an (already normalized) code is in the alphabet and not too long. */
export function isStoreCode(code: string): boolean {
  return code.length > 0 && code.length <= STORE_CODE_MAX && STORE_CODE_PATTERN.test(code)
}

/** The key two codes are compared by for duplicates: NFKC, then case folded. */
export function storeCodeKey(code: string): string {
  return (ASCII.test(code) ? code : code.normalize('NFKC')).toLowerCase()
}

/** The app's path of a store's page (and below it), the code encoded. */
export function storePath(code: string, rest = ''): string {
  return `/stores/${encodeURIComponent(code)}${rest}`
}

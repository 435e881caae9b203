/** The one rule every store search follows: case-insensitive substring of the typed text. */

/** The typed text as the searches compare it: trimmed and lower-cased ('' matches everything). */
export function searchText(typed: string): string {
  return typed.trim().toLowerCase()
}

/** Whether any of the values contains `text` (already passed through searchText). */
export function containsText(text: string, ...values: string[]): boolean {
  return text === '' || values.some((v) => v.toLowerCase().includes(text))
}

/**
 * An explanation attached to a result ("self-assessment only", "over excellent quota in 广东").
 * `code` and `params` let the UI translate it; `message` is the English text for the CLI and logs.
 */
export interface Note {
  code: string
  message: string
  params?: Record<string, string | number>
}

export function note(
  code: string,
  message: string,
  params?: Record<string, string | number>,
): Note {
  return params ? { code, message, params } : { code, message }
}

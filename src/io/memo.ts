/**
 * Remembers a pure text → value function's answers for the few distinct values an import column
 * holds (levels, types, reviewers: a handful of words over 100,000 rows), so normalising each
 * cell (NFKC, case, spaces) happens once per distinct text. Bounded: past `max` distinct texts
 * it stops remembering new ones and just computes.
 */
export function memoText<T>(fn: (raw: string) => T, max = 1000): (raw: string) => T {
  const seen = new Map<string, T>()
  return (raw) => {
    const hit = seen.get(raw)
    if (hit !== undefined || seen.has(raw)) return hit as T
    const value = fn(raw)
    if (seen.size < max) seen.set(raw, value)
    return value
  }
}

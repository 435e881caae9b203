/**
 * A deep copy of plain data (objects, arrays, primitives), as rubric files and records are:
 * `structuredClone` without depending on the host (the engine compiles with the ES library
 * only, not the DOM's or Node's).
 */
export function plainCopy<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => plainCopy(v)) as T
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = plainCopy(v)
    return out as T
  }
  return value
}

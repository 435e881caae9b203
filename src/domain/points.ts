/**
 * Exact conversions between decimal points and Centi (integer hundredths).
 *
 * Every sum and comparison in the engine is done on integers, so 89.95 + 0.05 is 90.00 and the
 * grade boundaries are exact. Division happens only where a fraction is unavoidable (weight
 * scaling, means, quota shares); those places call `roundHalfUp` / `divide` explicitly.
 * Display formatting is not here: the UI formats with Intl per locale.
 */
import type { Centi } from './types'

/** Float noise allowed when checking that a decimal has at most two places (0.07 * 100 = 7.000000000000001). */
const EPSILON = 1e-6

export function isCenti(n: unknown): n is Centi {
  return typeof n === 'number' && Number.isSafeInteger(n)
}

/**
 * Decimal points → Centi, exactly. Throws a RangeError for a value that is not finite or has more
 * than two decimal places (89.999): silently rounding it could move a store across a grade
 * boundary. Use `toCentiRounded` where rounding is the stated intent.
 */
export function toCenti(points: number): Centi {
  if (!Number.isFinite(points)) throw new RangeError(`not a finite number: ${points}`)
  const scaled = points * 100
  const rounded = Math.round(scaled)
  if (Math.abs(scaled - rounded) > EPSILON) {
    throw new RangeError(`${points} has more than two decimal places`)
  }
  return rounded === 0 ? 0 : rounded
}

/** True when `toCenti(points)` would succeed. */
export function hasTwoDecimals(points: number): boolean {
  if (!Number.isFinite(points)) return false
  const scaled = points * 100
  return Math.abs(scaled - Math.round(scaled)) <= EPSILON
}

/**
 * Decimal points → Centi, rounding half up (towards +∞) on the *decimal* value, so 1.005 → 101
 * (plain `Math.round(1.005 * 100)` gives 100 because 1.005 is stored as 1.00499…).
 */
export function toCentiRounded(points: number): Centi {
  if (!Number.isFinite(points)) throw new RangeError(`not a finite number: ${points}`)
  const text = String(points)
  const shifted = text.includes('e') ? points * 100 : Number(`${text}e2`)
  const rounded = Math.floor(shifted + 0.5)
  return rounded === 0 ? 0 : rounded
}

/** Centi → decimal points (for storage in human-edited files and for Intl formatting). */
export function fromCenti(centi: Centi): number {
  return centi / 100
}

/** Parses "89.95", "90", "-3.5" exactly; anything else (including "89.999") → null. */
export function parseCenti(text: string): Centi | null {
  // Fast path for the usual "89.95" (no spaces, at most 13 digits: exact): digits read in place, no
  // match array or substrings. Anything else takes the pattern below, which defines the rule.
  const n = text.length
  let i = text.charCodeAt(0) === 45 ? 1 : 0
  const start = i
  let int = 0
  while (i < n && i - start < 13) {
    const c = text.charCodeAt(i) - 48
    if (c < 0 || c > 9) break
    int = int * 10 + c
    i++
  }
  if (i > start && (i === n || (text.charCodeAt(i) === 46 && i - start < 13))) {
    let frac = 0
    let ok = true
    if (i < n) {
      const d = n - i - 1
      ok = d === 1 || d === 2
      for (let k = i + 1; ok && k < n; k++) {
        const c = text.charCodeAt(k) - 48
        if (c < 0 || c > 9) ok = false
        else frac = frac * 10 + c
      }
      if (d === 1) frac *= 10
    }
    if (ok) {
      const value = int * 100 + frac
      return start === 1 && value !== 0 ? -value : value
    }
  }
  const m = /^\s*(-?)(\d+)(?:\.(\d{1,2}))?\s*$/.exec(text)
  if (!m) return null
  const whole = Number(m[2])
  const frac = Number((m[3] ?? '').padEnd(2, '0'))
  const value = whole * 100 + frac
  if (!Number.isSafeInteger(value)) return null
  return m[1] === '-' && value !== 0 ? -value : value
}

/** floor(a / b) for integers, exact (falls back to BigInt beyond 2^53). */
export function floorDiv(a: number, b: number): number {
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b)) {
    throw new RangeError(`floorDiv needs safe integers: ${a} / ${b}`)
  }
  if (b === 0) throw new RangeError('division by zero')
  let q = Math.floor(a / b)
  // The float quotient can be off by one near an integer; correct it from the exact remainder.
  const r = a - q * b
  if (Number.isSafeInteger(q * b)) {
    if (b > 0 ? r < 0 : r > 0) q -= 1
    else if (b > 0 ? r >= b : r <= b) q += 1
    return q
  }
  const big = BigInt(a) / BigInt(b)
  const rem = BigInt(a) % BigInt(b)
  const adjust = rem !== 0n && rem < 0n !== b < 0 ? 1n : 0n
  return Number(big - adjust)
}

/**
 * round(numerator / denominator) for integers, half up (towards +∞): 1/2 → 1, 3/2 → 2,
 * -1/2 → 0. Exact: no float division decides the result.
 */
export function roundHalfUp(numerator: number, denominator: number): number {
  if (denominator === 0) throw new RangeError('division by zero')
  const n = denominator < 0 ? -numerator : numerator
  const d = Math.abs(denominator)
  if (Number.isSafeInteger(2 * n + d) && Number.isSafeInteger(2 * d)) {
    return floorDiv(2 * n + d, 2 * d)
  }
  const bn = BigInt(n)
  const bd = BigInt(d)
  const num = 2n * bn + bd
  const den = 2n * bd
  const q = num / den
  return Number(num % den < 0n ? q - 1n : q)
}

/**
 * a × b / c rounded half up, exactly, for the weight-scaling products that may exceed 2^53
 * (weight × earned × total can reach ~1e13 and is still safe, but a 1000-item rubric might not be).
 */
export function mulDivHalfUp(a: number, b: number, c: number): number {
  const product = a * b
  if (Number.isSafeInteger(product)) return roundHalfUp(product, c)
  const num = BigInt(a) * BigInt(b)
  const den = BigInt(c)
  const sign = den < 0n ? -1n : 1n
  const n = num * sign
  const d = den * sign
  const twice = 2n * n + d
  const q = twice / (2n * d)
  return Number(twice % (2n * d) < 0n ? q - 1n : q)
}

/** Sum of Centi values (integers, so exact). */
export function sumCenti(values: Iterable<Centi>): Centi {
  let total = 0
  for (const v of values) total += v
  return total
}

import { toCenti } from './points'
import type { RubricItem } from './rubric-schema'
import type { Centi } from './types'

type MeasureItem = Extract<RubricItem, { kind: 'measure' }>

/**
 * The measure-band rule (rubric-schema): bands run best to worst; the first whose limit the
 * value meets gives its points (≤ limit when lower is better, ≥ when higher is); none met: null
 * (the item earns 0). Generic over the points' form: the rubric's decimals or compiled Centi.
 */
export function matchBand<B extends { limit: number }>(
  better: 'lower' | 'higher',
  bands: readonly B[],
  value: number,
): B | null {
  for (const band of bands) {
    if (better === 'lower' ? value <= band.limit : value >= band.limit) return band
  }
  return null
}

/**
 * Points a measured value earns, for the form to show next to the input before the answer is
 * saved: the band rule above, the same one the engine scores with. A value that is not a finite
 * number ≥ 0 earns nothing and is refused by the engine (a wait of −5 minutes is a typing
 * error, not full marks).
 */
export function measurePoints(item: MeasureItem, value: number): Centi | null {
  if (!isMeasuredValue(value)) return null
  const band = matchBand(item.better, item.bands, value)
  return band ? toCenti(band.points) : 0
}

/** A measured value the engine accepts: a finite number ≥ 0 (minutes, hours, …). */
export function isMeasuredValue(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
}

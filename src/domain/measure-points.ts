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
 * saved: the band rule above, the same one the engine scores with.
 */
export function measurePoints(item: MeasureItem, value: number): Centi | null {
  if (!Number.isFinite(value)) return null
  const band = matchBand(item.better, item.bands, value)
  return band ? toCenti(band.points) : 0
}

import { toCenti } from './points'
import type { RubricItem } from './rubric-schema'
import type { Centi } from './types'

type MeasureItem = Extract<RubricItem, { kind: 'measure' }>

/**
 * Points a measured value earns, for the form to show next to the input before the answer is
 * saved. Same band rule as the engine (rubric-schema: the first band, best to worst, whose limit
 * the value meets; none met: 0). A value that is not a finite number ≥ 0 earns nothing and is
 * refused by the engine (a wait of −5 minutes is a typing error, not full marks).
 */
export function measurePoints(item: MeasureItem, value: number): Centi | null {
  if (!isMeasuredValue(value)) return null
  for (const band of item.bands) {
    if (item.better === 'lower' ? value <= band.limit : value >= band.limit)
      return toCenti(band.points)
  }
  return 0
}

/** A measured value the engine accepts: a finite number ≥ 0 (minutes, hours, …). */
export function isMeasuredValue(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
}

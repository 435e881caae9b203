/**
 * Grade bands. The seeds (002:L144) give 95 / 90 / 80 with overlapping endpoints; the bounds are
 * inclusive lower bounds of half-open bands: [95, ∞) excellent, [90, 95) good, [80, 90) pass.
 */
import type { Policy } from './policy'
import { isCenti, toCenti } from './points'
import type { Centi, Grade } from './types'

/** Best first. */
export const GRADE_ORDER: readonly Grade[] = ['excellent', 'good', 'pass', 'fail']

export interface GradeBounds {
  excellent: Centi
  good: Centi
  pass: Centi
}

const boundsCache = new WeakMap<Policy, GradeBounds>()

export function gradeBounds(policy: Policy): GradeBounds {
  let b = boundsCache.get(policy)
  if (!b) {
    b = {
      excellent: toCenti(policy.grades.excellent),
      good: toCenti(policy.grades.good),
      pass: toCenti(policy.grades.pass),
    }
    boundsCache.set(policy, b)
  }
  return b
}

/**
 * The grade a score earns by itself. Takes Centi only: a fractional value such as 8999.9 (from
 * 89.999 points) is refused rather than rounded, since rounding would decide the band.
 */
export function gradeOf(score: Centi, policy: Policy): Grade {
  if (!isCenti(score))
    throw new RangeError(`score must be integer hundredths (Centi), got ${score}`)
  const b = gradeBounds(policy)
  if (score >= b.excellent) return 'excellent'
  if (score >= b.good) return 'good'
  if (score >= b.pass) return 'pass'
  return 'fail'
}

/** 0 for excellent … 3 for fail; lower is better. */
export function gradeIndex(grade: Grade): number {
  return GRADE_ORDER.indexOf(grade)
}

/** The worse of two grades. */
export function capGrade(grade: Grade, cap: Grade): Grade {
  return gradeIndex(grade) >= gradeIndex(cap) ? grade : cap
}

/** One grade down (fail stays fail). */
export function gradeBelow(grade: Grade): Grade {
  return GRADE_ORDER[Math.min(gradeIndex(grade) + 1, GRADE_ORDER.length - 1)] as Grade
}

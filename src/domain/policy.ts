/**
 * The policy: every rule the seeds leave open (seed digest §4) is a setting, so a province can
 * change a reading without touching code. This file holds its type, `DEFAULT_POLICY` and the
 * rules read from it; the policy FILE's schema and parser are in policy-schema.ts (zod), apart,
 * so that screens which only read the policy in force do not load the validator.
 */
import type { z } from 'zod'
import type { policySchema } from './policy-schema'
import type { Centi, Reviewer, StoreLevel, StoreType } from './types'

export const TIE_BREAKS = ['deductions-asc', 'base-desc', 'bonus-desc', 'code-asc'] as const
export type TieBreak = (typeof TIE_BREAKS)[number]

/**
 * What happens to an excellent nominee the group's differential (or the excellent quota) drops:
 * - `by-score` (default): it competes for the good places together with the unit's good
 *   nominees, by score; so no store is certified below a lower-scoring store of the same
 *   standing (no rank inversion).
 * - `good-first`: good nominees are certified first, and a dropped excellent nominee only takes a
 *   good place left over (the reading before policy 1.1.0; `cascade: true` in older files).
 * - `none`: a dropped excellent nominee is pass (`cascade: false` in older files).
 * The seeds say nothing about it (seed digest §4.4); falling one band is the plausible reading.
 */
export const CASCADES = ['by-score', 'good-first', 'none'] as const
export type Cascade = (typeof CASCADES)[number]

export const QUOTA_UNITS = ['province', 'city', 'group'] as const
export type QuotaUnit = (typeof QUOTA_UNITS)[number]

export type Policy = z.infer<typeof policySchema>

export const DEFAULT_POLICY: Policy = {
  kind: 'policy',
  id: 'default',
  version: '1.1.0',
  grades: { excellent: 95, good: 90, pass: 80 },
  graded: { levels: [1, 2, 3] as StoreLevel[], types: ['self'] as StoreType[] },
  quota: {
    unit: 'province',
    denominator: 'eligible',
    excellentShare: 0.05,
    goodShare: 0.2,
    rounding: 'floor',
    caps: 'separate',
  },
  differential: {
    formula: 'exceed',
    groupExcellent: 0.2,
    provinceGood: 0.2,
    provinceGoodByProvince: {},
  },
  cascade: 'by-score',
  scoreCap: 100,
  reviewers: {
    precedence: ['group', 'province', 'city', 'self'] as Reviewer[],
    selfOnlyCap: 'pass',
  },
  tieBreak: ['deductions-asc', 'base-desc', 'code-asc'],
}

/** The province differential for good, honouring a per-province setting. */
export function provinceGoodDifferential(policy: Policy, province: string): number {
  return policy.differential.provinceGoodByProvince[province] ?? policy.differential.provinceGood
}

/** The policy's score cap in Centi, or null when the cap is off. */
export function scoreCapCenti(policy: Pick<Policy, 'scoreCap'>): Centi | null {
  return policy.scoreCap === null || policy.scoreCap === undefined
    ? null
    : Math.round(policy.scoreCap * 100)
}

/**
 * The final score from its parts under the policy: base + bonus − deductions, never below 0 and
 * never above the policy's `scoreCap` (bonus can restore lost points, not exceed the scale). A
 * store that hit a red line gets no bonus (common practice: 一票否决), so a bonus cannot offset
 * the red line's deduction back to full marks.
 */
export function finalFromParts(
  parts: { base: Centi; bonus: Centi; deductions: Centi; redLine: boolean },
  policy: Pick<Policy, 'scoreCap'>,
): Centi {
  const bonus = parts.redLine ? 0 : parts.bonus
  const raw = Math.max(0, parts.base + bonus - parts.deductions)
  const cap = scoreCapCenti(policy)
  return cap === null ? raw : Math.min(raw, cap)
}

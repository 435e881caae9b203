/**
 * The policy file (`kind: policy`): every rule the seeds leave open (seed digest §4) is a setting
 * here, so a province can change a reading without touching code. `rubrics/policy.default.yaml`
 * is the commented default and must parse to exactly `DEFAULT_POLICY` (tested).
 */
import { z } from 'zod'
import { hasTwoDecimals } from './points'
import { storeLevelSchema, storeTypeSchema } from './store-schema'
import type { Centi, Reviewer, StoreLevel, StoreType } from './types'

const points = z
  .number()
  .finite()
  .refine(hasTwoDecimals, { message: 'must have at most two decimal places' })

/** A share such as 0.05; four decimals so `share × count` can be computed in integers. */
const share = z
  .number()
  .min(0, 'must be ≥ 0')
  .max(1, 'must be ≤ 1')
  .refine((n) => Math.abs(Math.round(n * 10000) - n * 10000) < 1e-6, {
    message: 'must have at most four decimal places',
  })

const differentialRatio = z
  .number()
  .min(0, 'must be ≥ 0')
  .max(10, 'must be ≤ 10')
  .refine((n) => Math.abs(Math.round(n * 10000) - n * 10000) < 1e-6, {
    message: 'must have at most four decimal places',
  })

const grade = z.enum(['excellent', 'good', 'pass', 'fail'])
const reviewer = z.enum(['self', 'city', 'province', 'group'])

function unique(list: readonly string[]): boolean {
  return new Set(list).size === list.length
}

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

export const policySchema = z.strictObject({
  kind: z.literal('policy'),
  id: z.string().trim().min(1),
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be a version like 1.0.0'),
  /** Inclusive lower bounds in points; bands are half-open: good = [good, excellent). */
  grades: z
    .strictObject({ excellent: points, good: points, pass: points })
    .superRefine((g, ctx) => {
      if (!(g.excellent > g.good))
        ctx.addIssue({ code: 'custom', path: ['good'], message: 'must be below excellent' })
      if (!(g.good > g.pass))
        ctx.addIssue({ code: 'custom', path: ['pass'], message: 'must be below good' })
    }),
  /** Which stores are graded and count in quota denominators. */
  graded: z.strictObject({
    levels: z.array(storeLevelSchema).min(1),
    types: z.array(storeTypeSchema).min(1),
  }),
  quota: z.strictObject({
    unit: z.enum(QUOTA_UNITS),
    /** eligible: every graded-level store in the register; evaluated: only those with a result. */
    denominator: z.enum(['eligible', 'evaluated']),
    excellentShare: share,
    goodShare: share,
    rounding: z.enum(['floor', 'round', 'ceil']),
    /** separate: excellent ≤ 5% and good ≤ 20%; cumulative: excellent + good ≤ 20%. */
    caps: z.enum(['separate', 'cumulative']),
  }),
  differential: z.strictObject({
    /** exceed: certified ≤ floor(nominees / (1 + d)); eliminate: certified ≤ floor(nominees × (1 − d)). */
    formula: z.enum(['exceed', 'eliminate']),
    groupExcellent: differentialRatio,
    provinceGood: differentialRatio,
    /** Per-province d for good (provinces write their own 实施细则, 002:L277). */
    provinceGoodByProvince: z.record(z.string(), differentialRatio),
  }),
  /** See `CASCADES`; the booleans of policy files before 1.1.0 keep their old meaning. */
  cascade: z.preprocess(
    (v) => (v === true ? 'good-first' : v === false ? 'none' : v),
    z.enum(CASCADES),
  ),
  /**
   * Most points a final score can have (100: the seeds grade on a 100-point scale, 002:L144, and
   * never say a store may exceed it). Bonus can restore lost points up to the cap; the bonus
   * earned is still recorded and shown. `null` switches the cap off. Absent = 100.
   */
  scoreCap: points
    .refine((n) => n >= 100, { message: 'must be ≥ 100 (or null for no cap)' })
    .nullable()
    .default(100),
  reviewers: z.strictObject({
    /** Most senior first; the first reviewer with a submitted evaluation counts. */
    precedence: z.array(reviewer).min(1).refine(unique, { message: 'must not repeat a reviewer' }),
    /** Highest grade a store can get from its own self-assessment alone. */
    selfOnlyCap: grade,
  }),
  /** After score-desc. `code-asc` is always applied last for a deterministic order. */
  tieBreak: z.array(z.enum(TIE_BREAKS)).refine(unique, { message: 'must not repeat a key' }),
})

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

export interface PolicyIssue {
  path: string
  message: string
}

/** Validates parsed YAML/JSON; every problem comes back with its path (`quota.goodShare`). */
export function parsePolicy(
  data: unknown,
): { ok: true; policy: Policy } | { ok: false; issues: PolicyIssue[] } {
  const result = policySchema.safeParse(data)
  if (result.success) return { ok: true, policy: result.data }
  return {
    ok: false,
    issues: result.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('')
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

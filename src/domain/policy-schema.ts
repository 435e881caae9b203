/**
 * The policy file (`kind: policy`) and its validation. `rubrics/policy.default.yaml` is the
 * commented default and must parse to exactly `DEFAULT_POLICY` (policy.ts; tested).
 */
import { z } from 'zod'
import { hasTwoDecimals } from './points'
import { CASCADES, QUOTA_UNITS, TIE_BREAKS, type Policy } from './policy'
import { storeLevelSchema, storeTypeSchema } from './store-schema'

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

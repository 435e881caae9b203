/**
 * The rubric file format (see README "Rubric format"). One schema serves the build, the app,
 * the bundle importer and `npm run rubric:check`.
 *
 * Points in rubric files are written as ordinary decimals (at most two places) and converted
 * to integer hundredths by the engine.
 */
import { z } from 'zod'
import { storeLevelSchema, storeTypeSchema } from './store-schema'

const nonEmpty = z.string().trim().min(1, 'must not be empty')
export const textSchema = z.strictObject({ zh: nonEmpty, en: nonEmpty })

/** At most two decimal places, so points convert exactly to hundredths. */
const points = z
  .number()
  .refine((n) => Number.isFinite(n) && Math.abs(Math.round(n * 100) - n * 100) < 1e-9, {
    message: 'must have at most two decimal places',
  })
const positivePoints = points.refine((n) => n > 0, { message: 'must be > 0' })

const idSchema = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_.-]*$/,
    'must start with a letter and use only letters, digits, _ . -',
  )

/** `002_f6e0ab89cfbcd1f6.txt:L285`, or a sentence starting with "common practice". */
export const sourceSchema = z
  .string()
  .trim()
  .refine(
    (s) =>
      /^\d{3}_[0-9a-f]{16}\.txt:L\d+(-L?\d+)?(, ?\d{3}_[0-9a-f]{16}\.txt:L\d+(-L?\d+)?)*/.test(s) ||
      /^common practice/i.test(s),
    {
      message:
        'must cite a seed file and line (e.g. "002_f6e0ab89cfbcd1f6.txt:L285") or start with "common practice"',
    },
  )

/** What an item needs as evidence when it loses points. */
export const evidenceSchema = z.enum(['none', 'photo', 'note', 'photo-or-note'])

/**
 * How an item is checked: `visit` 明查 (seen openly during the visit), `mystery` 暗访 (needs a
 * mystery shopper, staff must not know), `records` 查资料 (records over a period: logs,
 * complaint files, this period's praise). Optional for rubric versions written before it.
 */
export const CHECK_KINDS = ['visit', 'mystery', 'records'] as const
export const checkSchema = z.enum(CHECK_KINDS)
export type CheckKind = z.infer<typeof checkSchema>

const itemBase = {
  id: idSchema,
  label: textSchema,
  hint: textSchema,
  source: sourceSchema,
  /** The item may be marked not applicable; its points are then re-spread (README). */
  allowNA: z.boolean().optional(),
  /** Failing this item caps the grade at fail whatever the score. */
  redLine: z.boolean().optional(),
  evidence: evidenceSchema.optional(),
  check: checkSchema.optional(),
}

const yesNoItem = z.strictObject({ ...itemBase, kind: z.literal('yesno'), max: positivePoints })
const scaleItem = z.strictObject({
  ...itemBase,
  kind: z.literal('scale'),
  max: positivePoints,
  step: positivePoints,
})
const countItem = z.strictObject({
  ...itemBase,
  kind: z.literal('count'),
  max: positivePoints,
  /** Points lost per occurrence; the item never goes below 0. */
  perOccurrence: positivePoints,
})
const measureBand = z.strictObject({ limit: z.number().finite(), points })
const measureItem = z.strictObject({
  ...itemBase,
  kind: z.literal('measure'),
  max: positivePoints,
  unit: textSchema,
  /** `lower`: smaller values are better (minutes waited); `higher`: larger are better (hours open). */
  better: z.enum(['lower', 'higher']),
  /**
   * Ordered from best to worst. lower: the first band whose limit ≥ value gives its points;
   * higher: the first band whose limit ≤ value. No band matched: 0 points.
   */
  bands: z.array(measureBand).min(1, 'needs at least one band'),
})

export const itemSchema = z.discriminatedUnion('kind', [
  yesNoItem,
  scaleItem,
  countItem,
  measureItem,
])

export const sectionSchema = z.strictObject({
  id: idSchema,
  title: textSchema,
  /** Points of the 100-point base this section carries. */
  weight: positivePoints,
  /** Why the section weighs what it weighs. */
  rationale: textSchema.optional(),
  items: z.array(itemSchema).min(1, 'a section needs at least one item'),
})

export const bonusItemSchema = z.strictObject({
  id: idSchema,
  label: textSchema,
  hint: textSchema,
  source: sourceSchema,
  kind: z.enum(['yesno', 'count']),
  /** Points per highlight (yesno: once; count: per occurrence up to `max`). */
  points: positivePoints,
  max: positivePoints.optional(),
  evidence: evidenceSchema.optional(),
  check: checkSchema.optional(),
})

export const deductionItemSchema = z.strictObject({
  id: idSchema,
  label: textSchema,
  hint: textSchema,
  source: sourceSchema,
  kind: z.enum(['yesno', 'count']),
  /** Points deducted per occurrence (yesno: once). */
  points: positivePoints,
  /** Largest total this item may deduct. */
  max: positivePoints.optional(),
  redLine: z.boolean().optional(),
  evidence: evidenceSchema.optional(),
  check: checkSchema.optional(),
})

export const rubricSchema = z.strictObject({
  kind: z.literal('rubric'),
  id: idSchema,
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be a version like 1.0.0'),
  title: textSchema,
  description: textSchema.optional(),
  appliesTo: z.strictObject({
    levels: z.array(storeLevelSchema).min(1),
    types: z.array(storeTypeSchema).min(1),
  }),
  /**
   * `evaluation` (the default): a rubric that stores are inspected and graded with.
   * `daily-check`: a store manager's daily self-check; never counts towards a grade. Lets the
   * registry tell the two apart when both apply to the same store.
   */
  purpose: z.enum(['evaluation', 'daily-check']).optional(),
  /** false: a checklist of basic requirements with no score or grade (level 4, partner stores). */
  scored: z.boolean().default(true),
  /** Default evidence rule for items that lose points. */
  evidence: evidenceSchema.default('photo-or-note'),
  /**
   * true: the item maxima of a section are meant only as shares and need not add up to the
   * section weight (`npm run rubric:check` otherwise refuses a section whose maxima do not).
   */
  rescaleItems: z.boolean().optional(),
  sections: z.array(sectionSchema).min(1),
  bonus: z.strictObject({ cap: positivePoints, items: z.array(bonusItemSchema).min(1) }).optional(),
  deductions: z.strictObject({ items: z.array(deductionItemSchema).min(1) }).optional(),
})

export type TextT = z.infer<typeof textSchema>
export type Evidence = z.infer<typeof evidenceSchema>
export type RubricItem = z.infer<typeof itemSchema>
export type RubricSection = z.infer<typeof sectionSchema>
export type BonusItem = z.infer<typeof bonusItemSchema>
export type DeductionItem = z.infer<typeof deductionItemSchema>
export type Rubric = z.infer<typeof rubricSchema>
export type RubricInput = z.input<typeof rubricSchema>

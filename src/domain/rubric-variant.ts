/**
 * Provincial variants of a rubric. The seeds have each province write its own implementation
 * rules on top of the group standard (002_f6e0ab89cfbcd1f6.txt:L277), so a province publishes a
 * small file that names the group rubric it extends (an exact id and version) and lists only
 * what it changes. Resolving it against that base gives an ordinary, complete rubric with the
 * variant's own id and version, validated like any other.
 */
import { z } from 'zod'
import {
  bonusItemSchema,
  deductionItemSchema,
  itemSchema,
  rubricSchema,
  sectionSchema,
  textSchema,
  type Rubric,
} from './rubric-schema'
import {
  checkExtraItemRules,
  checkItemRules,
  formatPath,
  isRecord,
  validateRubric,
  zodIssuesToErrors,
  type RubricError,
} from './rubric-validate'
import { plainCopy } from './plain-copy'
import { rubricKey, type RubricEntry, type RubricRegistry } from './rubric-registry'

const idSchema = rubricSchema.shape.id
const versionSchema = rubricSchema.shape.version
const pointsSchema = sectionSchema.shape.weight

export const variantSchema = z.strictObject({
  kind: z.literal('rubric-variant'),
  id: idSchema,
  version: versionSchema,
  title: textSchema,
  description: textSchema.optional(),
  /** The base rubric, pinned to one version: a new base version never changes a variant. */
  extends: z.strictObject({ id: idSchema, version: versionSchema }),
  appliesTo: z
    .strictObject({
      /** Provinces whose stores are scored with this variant instead of the base. */
      provinces: z.array(z.string().trim().min(1, 'must not be empty')).min(1).optional(),
      /** Default: the base rubric's levels and types. */
      levels: rubricSchema.shape.appliesTo.shape.levels.optional(),
      types: rubricSchema.shape.appliesTo.shape.types.optional(),
    })
    .optional(),
  /** As in a rubric: the resolved rubric's item maxima are shares only, on purpose. */
  rescaleItems: z.boolean().optional(),
  overrides: z.strictObject({
    /** Changes to existing sections, found by id: a new weight, title or rationale. */
    sections: z
      .array(
        z.strictObject({
          id: idSchema,
          weight: pointsSchema.optional(),
          title: textSchema.optional(),
          rationale: textSchema.optional(),
        }),
      )
      .optional(),
    /** New items, added to a named section (at its end, or after the item named in `after`). */
    addItems: z
      .array(z.strictObject({ section: idSchema, after: idSchema.optional(), item: itemSchema }))
      .optional(),
    /** Ids of items to drop: section, bonus or deduction items. */
    removeItems: z.array(idSchema).optional(),
    /**
     * New maxima for yes/no section items of the base, so a province that re-weights a section
     * can keep its item maxima adding up to the weight (other kinds have steps or bands tied to
     * their maximum: remove and re-add those instead).
     */
    itemMax: z.array(z.strictObject({ id: idSchema, max: pointsSchema })).optional(),
    bonusCap: pointsSchema.optional(),
    addBonus: z.array(bonusItemSchema).optional(),
    addDeductions: z.array(deductionItemSchema).optional(),
  }),
})

export type RubricVariant = z.infer<typeof variantSchema>

export type VariantValidation =
  { ok: true; variant: RubricVariant } | { ok: false; errors: RubricError[] }
export type VariantResolution = { ok: true; rubric: Rubric } | { ok: false; errors: RubricError[] }

/** Schema plus the rules the variant can be checked for without its base. */
export function validateVariant(raw: unknown): VariantValidation {
  if (!isRecord(raw)) {
    return {
      ok: false,
      errors: [
        {
          path: '',
          message:
            'the file must hold a rubric variant: a set of fields such as kind, id, extends and overrides',
        },
      ],
    }
  }
  const parsed = variantSchema.safeParse(raw)
  const errors = parsed.success ? [] : zodIssuesToErrors(parsed.error.issues, raw)
  const overrides = isRecord(raw.overrides) ? raw.overrides : {}
  const added = Array.isArray(overrides.addItems) ? overrides.addItems : []
  added.forEach((entry, k) => {
    if (isRecord(entry)) checkItemRules(entry.item, ['overrides', 'addItems', k, 'item'], errors)
  })
  for (const key of ['addBonus', 'addDeductions'] as const) {
    const list = overrides[key]
    if (Array.isArray(list))
      list.forEach((item, k) => checkExtraItemRules(item, ['overrides', key, k], errors))
  }
  if (isRecord(raw.extends) && raw.extends.id === raw.id) {
    errors.push({
      path: 'id',
      message: 'a variant needs its own id, different from the rubric it extends',
    })
  }
  if (errors.length > 0 || !parsed.success) return { ok: false, errors }
  return { ok: true, variant: parsed.data }
}

/**
 * Applies a variant to its base rubric. The base is not modified. Reference errors (a section
 * or item the base does not have) point at the variant's own fields; errors in the combined
 * result (e.g. weights that no longer add up to 100) are reported with the result's paths.
 */
export function resolveVariant(variant: RubricVariant, base: Rubric): VariantResolution {
  const errors: RubricError[] = []
  const baseName = `${base.id}@${base.version}`
  if (variant.extends.id !== base.id || variant.extends.version !== base.version) {
    return {
      ok: false,
      errors: [
        {
          path: 'extends',
          message: `extends ${variant.extends.id}@${variant.extends.version}, but was given ${baseName}`,
        },
      ],
    }
  }

  const out: Rubric = plainCopy(base)
  out.id = variant.id
  out.version = variant.version
  out.title = variant.title
  if (variant.description) out.description = variant.description
  else delete out.description
  if (variant.appliesTo?.levels) out.appliesTo.levels = [...variant.appliesTo.levels]
  if (variant.appliesTo?.types) out.appliesTo.types = [...variant.appliesTo.types]

  const o = variant.overrides
  o.sections?.forEach((change, k) => {
    const section = out.sections.find((s) => s.id === change.id)
    if (!section) {
      errors.push({
        path: formatPath(['overrides', 'sections', k, 'id']),
        message: `there is no section "${change.id}" in ${baseName}`,
      })
      return
    }
    if (change.weight !== undefined) section.weight = change.weight
    if (change.title) section.title = change.title
    if (change.rationale) section.rationale = change.rationale
  })

  o.removeItems?.forEach((id, k) => {
    let found = false
    for (const section of out.sections) {
      const before = section.items.length
      section.items = section.items.filter((it) => it.id !== id)
      found ||= section.items.length !== before
    }
    if (out.bonus) {
      const before = out.bonus.items.length
      out.bonus.items = out.bonus.items.filter((it) => it.id !== id)
      found ||= out.bonus.items.length !== before
    }
    if (out.deductions) {
      const before = out.deductions.items.length
      out.deductions.items = out.deductions.items.filter((it) => it.id !== id)
      found ||= out.deductions.items.length !== before
    }
    if (!found)
      errors.push({
        path: formatPath(['overrides', 'removeItems', k]),
        message: `there is no item "${id}" in ${baseName}`,
      })
  })
  o.itemMax?.forEach((change, k) => {
    const item = out.sections.flatMap((s) => s.items).find((it) => it.id === change.id)
    if (!item) {
      errors.push({
        path: formatPath(['overrides', 'itemMax', k, 'id']),
        message: `there is no section item "${change.id}" in ${baseName}`,
      })
      return
    }
    if (item.kind !== 'yesno') {
      errors.push({
        path: formatPath(['overrides', 'itemMax', k, 'id']),
        message: `"${change.id}" is a ${item.kind} item; only yes/no items can take a new max (remove it and add a new item instead)`,
      })
      return
    }
    item.max = change.max
  })
  if (variant.rescaleItems !== undefined) out.rescaleItems = variant.rescaleItems
  else delete out.rescaleItems

  // Removing every bonus or deduction item removes the block, as if the base never had one.
  if (out.bonus && out.bonus.items.length === 0) delete out.bonus
  if (out.deductions && out.deductions.items.length === 0) delete out.deductions

  o.addItems?.forEach((entry, k) => {
    const section = out.sections.find((s) => s.id === entry.section)
    if (!section) {
      errors.push({
        path: formatPath(['overrides', 'addItems', k, 'section']),
        message: `there is no section "${entry.section}" in ${baseName}`,
      })
      return
    }
    const item = plainCopy(entry.item)
    if (entry.after === undefined) section.items.push(item)
    else {
      const at = section.items.findIndex((it) => it.id === entry.after)
      if (at < 0) {
        errors.push({
          path: formatPath(['overrides', 'addItems', k, 'after']),
          message: `there is no item "${entry.after}" in section "${entry.section}" to add after`,
        })
        return
      }
      section.items.splice(at + 1, 0, item)
    }
  })

  if (o.bonusCap !== undefined || (o.addBonus && o.addBonus.length > 0)) {
    const cap = o.bonusCap ?? out.bonus?.cap
    if (cap === undefined) {
      errors.push({
        path: 'overrides.bonusCap',
        message: `${baseName} has no bonus items, so the variant must set a bonus cap`,
      })
    } else {
      out.bonus = {
        cap,
        items: [...(out.bonus?.items ?? []), ...plainCopy(o.addBonus ?? [])],
      }
      if (out.bonus.items.length === 0) {
        errors.push({
          path: 'overrides.bonusCap',
          message: 'a bonus cap needs at least one bonus item',
        })
      }
    }
  }
  if (o.addDeductions && o.addDeductions.length > 0) {
    out.deductions = {
      items: [...(out.deductions?.items ?? []), ...plainCopy(o.addDeductions)],
    }
  }

  if (errors.length > 0) return { ok: false, errors }

  const checked = validateRubric(out)
  if (!checked.ok) {
    return {
      ok: false,
      errors: checked.errors.map((e) => ({
        path: e.path === 'sections' ? 'overrides.sections' : e.path,
        message: `after applying the variant to ${baseName}: ${e.message}`,
      })),
    }
  }
  return checked
}

/**
 * Resolves a variant against its base (which must already be in `registry`) and adds it. Here,
 * not a method of the registry, so that reading a registry does not load the rubric validator.
 */
export function addVariant(registry: RubricRegistry, variant: RubricVariant): VariantResolution {
  const base = registry.get(variant.extends.id, variant.extends.version)
  if (!base) {
    return {
      ok: false,
      errors: [
        {
          path: 'extends',
          message: `the rubric it extends (${rubricKey(variant.extends.id, variant.extends.version)}) was not found`,
        },
      ],
    }
  }
  const resolved = resolveVariant(variant, base)
  if (resolved.ok) {
    const meta: Omit<RubricEntry, 'rubric'> = { extends: { ...variant.extends } }
    if (variant.appliesTo?.provinces) meta.provinces = variant.appliesTo.provinces
    registry.add(resolved.rubric, meta)
  }
  return resolved
}

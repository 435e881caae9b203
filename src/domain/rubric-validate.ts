/**
 * Validation of rubric files: the zod schema (rubric-schema.ts) plus the rules that span
 * several fields (weights add up to 100, ids are unique, bands are ordered...).
 *
 * Every error carries a path such as `sections[2].items[4].max` and a plain sentence: the
 * people who read these messages edit rubrics in a text editor, not in code.
 */
import type { z } from 'zod'
import { rubricSchema, type Rubric } from './rubric-schema'

export interface RubricError {
  path: string
  message: string
}

export type RubricValidation = { ok: true; rubric: Rubric } | { ok: false; errors: RubricError[] }

export type PathSegment = string | number

/** `['sections', 2, 'items', 4, 'max']` → `sections[2].items[4].max`. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = ''
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`
    else out += out === '' ? s : `.${s}`
  }
  return out
}

/** The inverse of formatPath, for tools that map a path back to a line in the file. */
export function parsePath(path: string): PathSegment[] {
  const out: PathSegment[] = []
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]))
    else if (m[1] !== undefined) out.push(m[1])
  }
  return out
}

/** A plain object as a parsed YAML/JSON file gives it (not null, not an array). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function valueAt(raw: unknown, segments: readonly PathSegment[]): unknown {
  let cur = raw
  for (const s of segments) {
    if (typeof s === 'number') cur = Array.isArray(cur) ? cur[s] : undefined
    else cur = isRecord(cur) ? cur[s] : undefined
  }
  return cur
}

/** Points written in files have at most two decimals; compare them as integer hundredths. */
function centi(n: number): number {
  return Math.round(n * 100)
}

function showPoints(c: number): string {
  return String(c / 100)
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined
}

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a group of fields',
}

type ZodIssue = z.core.$ZodIssue

/** Rewrites zod's messages (written for programmers) as plain sentences. */
function plainMessage(issue: ZodIssue, raw: unknown): string {
  const segments = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol')
  switch (issue.code) {
    case 'invalid_type': {
      if (valueAt(raw, segments) === undefined) return 'is missing'
      return `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`
    }
    case 'invalid_value':
      if (issue.values.length === 1) return `must be ${JSON.stringify(issue.values[0])}`
      return `must be one of: ${issue.values.map((v) => String(v)).join(', ')}`
    case 'invalid_union': {
      const disc = issue as ZodIssue & { discriminator?: string; options?: unknown[] }
      if (disc.options && disc.discriminator) {
        return `must be one of: ${disc.options.map((v) => String(v)).join(', ')}`
      }
      // A union of literals (store levels): list the values each branch expected.
      const values = issue.errors.flatMap((branch) =>
        branch.flatMap((i) => (i.code === 'invalid_value' ? i.values.map((v) => String(v)) : [])),
      )
      return values.length > 0 ? `must be one of: ${values.join(', ')}` : 'is not valid here'
    }
    case 'too_small':
      if (issue.origin === 'array') {
        return issue.message.startsWith('Too small')
          ? `needs at least ${String(issue.minimum)} entry`
          : issue.message
      }
      if (issue.origin === 'string') return 'must not be empty'
      return issue.message.startsWith('Too small')
        ? `must be at least ${String(issue.minimum)}`
        : issue.message
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`
    default:
      return issue.message
  }
}

export function zodIssuesToErrors(issues: readonly ZodIssue[], raw: unknown): RubricError[] {
  const out: RubricError[] = []
  for (const issue of issues) {
    const segments = issue.path.filter((s): s is PathSegment => typeof s !== 'symbol')
    if (issue.code === 'unrecognized_keys') {
      // One error per unknown field, pointing at the field itself, so the line is found.
      for (const key of issue.keys) {
        out.push({
          path: formatPath([...segments, key]),
          message: 'is not a known field (check the spelling)',
        })
      }
      continue
    }
    out.push({ path: formatPath(segments), message: plainMessage(issue, raw) })
  }
  return out
}

/**
 * Rules for one section item that the schema cannot express. Exported so rubric variants can
 * check the items they add at the variant's own path.
 */
export function checkItemRules(item: unknown, at: PathSegment[], errors: RubricError[]): void {
  if (!isRecord(item)) return
  const p = (...rest: PathSegment[]) => formatPath([...at, ...rest])
  const max = num(item.max)
  const kind = item.kind

  if (item.redLine === true && kind !== 'yesno') {
    errors.push({
      path: p('redLine'),
      message:
        'only a yes/no item can be a red line (so it is clear what fails); put the failure in its own yes/no item or a deduction item',
    })
  }

  if (kind === 'scale') {
    const step = num(item.step)
    if (max !== undefined && step !== undefined && step > 0 && max > 0) {
      if (centi(step) > centi(max)) {
        errors.push({
          path: p('step'),
          message: `is larger than the item's max (${showPoints(centi(max))})`,
        })
      } else if (centi(max) % centi(step) !== 0) {
        errors.push({
          path: p('max'),
          message: `must be a whole number of steps of ${showPoints(centi(step))} (for example ${showPoints(
            Math.floor(centi(max) / centi(step)) * centi(step),
          )} or ${showPoints(Math.ceil(centi(max) / centi(step)) * centi(step))})`,
        })
      }
    }
  }

  if (kind === 'count') {
    const per = num(item.perOccurrence)
    if (max !== undefined && per !== undefined && centi(per) > centi(max)) {
      errors.push({
        path: p('perOccurrence'),
        message: `is more than the item's max (${showPoints(centi(max))}); one occurrence cannot lose more than the whole item`,
      })
    }
  }

  if (kind === 'measure' && Array.isArray(item.bands)) {
    const better = item.better
    let prevLimit: number | undefined
    let prevPoints: number | undefined
    item.bands.forEach((band, k) => {
      if (!isRecord(band)) return
      const limit = num(band.limit)
      const pts = num(band.points)
      if (pts !== undefined) {
        if (pts < 0) errors.push({ path: p('bands', k, 'points'), message: 'must not be negative' })
        else if (max !== undefined && centi(pts) > centi(max)) {
          errors.push({
            path: p('bands', k, 'points'),
            message: `is more than the item's max (${showPoints(centi(max))})`,
          })
        } else if (k === 0 && max !== undefined && centi(pts) !== centi(max)) {
          errors.push({
            path: p('bands', k, 'points'),
            message: `the first (best) band must give the item's full max (${showPoints(centi(max))}), or the item can never be passed in full`,
          })
        }
        if (prevPoints !== undefined && pts > prevPoints) {
          errors.push({
            path: p('bands', k, 'points'),
            message: `must not be more than the band before (${prevPoints}); bands go from best to worst`,
          })
        }
      }
      if (limit !== undefined && prevLimit !== undefined) {
        if (better === 'lower' && !(limit > prevLimit)) {
          errors.push({
            path: p('bands', k, 'limit'),
            message: `must be larger than the band before (${prevLimit}): with "better: lower" the bands go from the smallest limit to the largest`,
          })
        }
        if (better === 'higher' && !(limit < prevLimit)) {
          errors.push({
            path: p('bands', k, 'limit'),
            message: `must be smaller than the band before (${prevLimit}): with "better: higher" the bands go from the largest limit to the smallest`,
          })
        }
      }
      if (limit !== undefined) prevLimit = limit
      if (pts !== undefined) prevPoints = pts
    })
  }
}

/** Rules for a bonus or deduction item. `cap` is the bonus cap when checking a bonus item. */
export function checkExtraItemRules(
  item: unknown,
  at: PathSegment[],
  errors: RubricError[],
  cap?: number,
): void {
  if (!isRecord(item)) return
  const p = (...rest: PathSegment[]) => formatPath([...at, ...rest])
  const points = num(item.points)
  const max = num(item.max)
  if (item.kind === 'yesno' && item.max !== undefined) {
    errors.push({
      path: p('max'),
      message: 'only a count item takes a max; a yes/no item gives its points once',
    })
  }
  if (
    item.kind === 'count' &&
    points !== undefined &&
    max !== undefined &&
    centi(max) < centi(points)
  ) {
    errors.push({
      path: p('max'),
      message: `must be at least the points for one occurrence (${showPoints(centi(points))})`,
    })
  }
  if (cap !== undefined && points !== undefined && centi(points) > centi(cap)) {
    errors.push({
      path: p('points'),
      message: `is more than the bonus cap (${showPoints(centi(cap))}), so it could never be given in full`,
    })
  }
}

/**
 * The cross-field rules, run on the raw object so they are reported together with the schema
 * errors (an author fixes everything in one pass). Anything of the wrong type is skipped here:
 * the schema already reports it.
 */
export function checkRubricRules(raw: unknown): RubricError[] {
  const errors: RubricError[] = []
  if (!isRecord(raw)) return errors

  const sections = Array.isArray(raw.sections) ? raw.sections : []

  // Weights: exact in hundredths, so 33.33 + 33.33 + 33.34 passes and 33.33 × 3 does not.
  const weights = sections.map((s) => (isRecord(s) ? num(s.weight) : undefined))
  if (sections.length > 0 && weights.every((w) => w !== undefined && w > 0)) {
    const total = weights.reduce<number>((sum, w) => sum + centi(w ?? 0), 0)
    if (total !== 10000) {
      const diff = Math.abs(10000 - total)
      errors.push({
        path: 'sections',
        message: `the section weights add up to ${showPoints(total)}; they must add up to exactly 100 (${showPoints(diff)} ${
          total < 10000 ? 'missing' : 'too many'
        })`,
      })
    }
  }

  // Ids: unique across the whole rubric, because answers and reports refer to items by id alone.
  const seen = new Map<string, string>()
  const noteId = (id: unknown, at: PathSegment[]) => {
    if (typeof id !== 'string') return
    const path = formatPath([...at, 'id'])
    const first = seen.get(id)
    if (first !== undefined) {
      errors.push({
        path,
        message: `"${id}" is already used at ${first}; every id must be different in the whole rubric`,
      })
    } else seen.set(id, path)
  }

  sections.forEach((section, i) => {
    if (!isRecord(section)) return
    noteId(section.id, ['sections', i])
    const items = Array.isArray(section.items) ? section.items : []
    items.forEach((item, j) => {
      if (isRecord(item)) noteId(item.id, ['sections', i, 'items', j])
      checkItemRules(item, ['sections', i, 'items', j], errors)
    })
  })

  const unscored = raw.scored === false
  if (isRecord(raw.bonus)) {
    if (unscored) {
      errors.push({
        path: 'bonus',
        message: 'a checklist that is not scored (scored: false) cannot give bonus points',
      })
    }
    const cap = num(raw.bonus.cap)
    const items = Array.isArray(raw.bonus.items) ? raw.bonus.items : []
    items.forEach((item, k) => {
      if (isRecord(item)) noteId(item.id, ['bonus', 'items', k])
      checkExtraItemRules(
        item,
        ['bonus', 'items', k],
        errors,
        cap !== undefined && cap > 0 ? cap : undefined,
      )
    })
  }
  if (isRecord(raw.deductions)) {
    if (unscored) {
      errors.push({
        path: 'deductions',
        message: 'a checklist that is not scored (scored: false) cannot deduct points',
      })
    }
    const items = Array.isArray(raw.deductions.items) ? raw.deductions.items : []
    items.forEach((item, k) => {
      if (isRecord(item)) noteId(item.id, ['deductions', 'items', k])
      checkExtraItemRules(item, ['deductions', 'items', k], errors)
    })
  }

  if (isRecord(raw.appliesTo)) {
    for (const key of ['levels', 'types'] as const) {
      const list = raw.appliesTo[key]
      if (!Array.isArray(list)) continue
      list.forEach((v, k) => {
        if (list.indexOf(v) !== k) {
          errors.push({
            path: formatPath(['appliesTo', key, k]),
            message: `${JSON.stringify(v)} is listed twice`,
          })
        }
      })
    }
  }

  return errors
}

function dedupe(errors: RubricError[]): RubricError[] {
  const seen = new Set<string>()
  return errors.filter((e) => {
    const key = `${e.path}\u0000${e.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

export function validateRubric(raw: unknown): RubricValidation {
  if (!isRecord(raw)) {
    return {
      ok: false,
      errors: [
        {
          path: '',
          message:
            'the file must hold a rubric: a set of fields such as kind, id, version and sections',
        },
      ],
    }
  }
  const parsed = rubricSchema.safeParse(raw)
  const errors = dedupe([
    ...(parsed.success ? [] : zodIssuesToErrors(parsed.error.issues, raw)),
    ...checkRubricRules(raw),
  ])
  if (errors.length > 0 || !parsed.success) return { ok: false, errors }
  return { ok: true, rubric: parsed.data }
}

/** Every item of a rubric (section items, bonus and deduction items), for counts and lookups. */
export function countItems(rubric: Rubric): { items: number; bonus: number; deductions: number } {
  return {
    items: rubric.sections.reduce((n, s) => n + s.items.length, 0),
    bonus: rubric.bonus?.items.length ?? 0,
    deductions: rubric.deductions?.items.length ?? 0,
  }
}

/**
 * Sections whose item maxima do not add up to the section weight. The engine rescales them
 * (weight × earned / max), so nothing breaks, but an inspector reading "3 points" would be
 * misled; `npm run rubric:check` refuses them unless the rubric says `rescaleItems: true`.
 */
export function itemSumErrors(rubric: Rubric): RubricError[] {
  if (rubric.rescaleItems === true || rubric.scored === false) return []
  const errors: RubricError[] = []
  rubric.sections.forEach((section, i) => {
    const sum = section.items.reduce((a, it) => a + centi(it.max), 0)
    const weight = centi(section.weight)
    if (sum !== weight) {
      errors.push({
        path: formatPath(['sections', i, 'weight']),
        message: `the item maxima of section "${section.id}" add up to ${showPoints(sum)}, not its weight ${showPoints(weight)}; make them add up, or set rescaleItems: true if the maxima are only shares on purpose`,
      })
    }
  })
  return errors
}

/**
 * Scores one evaluation: a rubric plus the raw answers → base, bonus, deductions, final score,
 * grade, and the reasons (red lines, items that lost points, missing evidence).
 *
 * Rules (README "Scoring"):
 * - item points by kind: yesno → max or 0; scale → the value (a multiple of step in 0..max);
 *   count → max(0, max − perOccurrence × n); measure → the first matching band (rubric-schema).
 * - section score = effective weight × earned / applicable max. N/A items leave both earned and
 *   max, so their points are re-spread over the section's other items. A section whose items are
 *   all N/A leaves the base and its weight is re-spread over the other sections in proportion.
 * - the only rounding of points is half up to Centi once per section; base = sum of section
 *   scores. (Re-spread section weights are split by largest remainder so they still total 100.)
 * - unanswered items earn 0 and make the result incomplete.
 * - final = max(0, base + min(bonus, cap) − deductions), at most the policy's `scoreCap` (100 by
 *   default); a red line forces grade fail and its evaluation gets no bonus (`finalFromParts`).
 * Invalid answers are returned as errors, never coerced.
 */
import { hasEvidence, isAnswered } from './answers'
import { gradeOf } from './grade'
import { note, type Note } from './notes'
import { DEFAULT_POLICY, finalFromParts, type Policy } from './policy'
import { hasTwoDecimals, mulDivHalfUp, toCenti } from './points'
import type { Evidence, Rubric, RubricItem } from './rubric-schema'
import type { Answer, Answers, Centi, Grade } from './types'

export { gradeOf } from './grade'

/** The whole base is 100 points. */
export const BASE_TOTAL: Centi = 10000

export interface SectionScore {
  sectionId: string
  /** The weight written in the rubric. */
  weight: Centi
  /** The weight after re-spreading the weights of all-N/A sections (0 if this one is N/A). */
  effectiveWeight: Centi
  /** Raw item points earned and available (N/A items excluded). */
  earned: Centi
  applicableMax: Centi
  /** Weighted contribution to the base. */
  score: Centi
  applicable: boolean
  answered: number
  total: number
}

export interface LostPoints {
  itemId: string
  /** Section items: raw item points lost (max − earned); deductions: the points deducted. */
  lost: Centi
  kind: 'item' | 'deduction'
}

export interface EvaluationScore {
  rubricId: string
  rubricVersion: string
  base: Centi
  /** Bonus earned, after the rubric's bonus cap (shown and exported even where it did not count). */
  bonus: Centi
  bonusUncapped: Centi
  /**
   * Bonus that counted in `final`: none after a red line, and only up to the policy's score cap.
   * Optional so that results stored before it existed still type-check; absent means `bonus`.
   */
  bonusCounted?: Centi
  deductions: Centi
  final: Centi
  /** The grade after red lines. */
  grade: Grade
  /** The grade the final score alone would give. */
  scoreGrade: Grade
  sections: SectionScore[]
  /** Ids of red-line items that were triggered. */
  redLines: string[]
  /** Why the grade was forced, one note per red line. */
  reasons: Note[]
  lost: LostPoints[]
  /** Items that lost points without the photo/note their evidence rule asks for. */
  missingEvidence: string[]
  unanswered: string[]
  answered: number
  total: number
  complete: boolean
  /**
   * The evaluation's answer "the store has a cross-border zone" (002:L134), recorded with the
   * score it was computed beside: the points then exclude that zone. Absent: not recorded.
   */
  crossBorderZone?: boolean
}

export type ScoringErrorCode =
  | 'rubric-not-scored'
  | 'weights-sum'
  | 'duplicate-item'
  | 'unknown-item'
  | 'item-id-mismatch'
  | 'wrong-type'
  | 'out-of-range'
  | 'not-a-step'
  | 'not-an-integer'
  | 'na-not-allowed'
  | 'all-not-applicable'

export interface ScoringError {
  code: ScoringErrorCode
  itemId?: string
  message: string
}

export type ScoreOutcome =
  { ok: true; score: EvaluationScore } | { ok: false; errors: ScoringError[] }

/** Thrown by `scoreEvaluationOrThrow`; carries every error found. */
export class ScoringFailure extends Error {
  constructor(readonly errors: ScoringError[]) {
    super(errors.map((e) => e.message).join('; '))
    this.name = 'ScoringFailure'
  }
}

// ---------------------------------------------------------------------------------------------
// The rubric converted to Centi once: scoring 60,000 evaluations must not re-parse decimals.

type CItem =
  | {
      kind: 'yesno'
      id: string
      max: Centi
      redLine: boolean
      allowNA: boolean
      evidence: Evidence
    }
  | {
      kind: 'scale'
      id: string
      max: Centi
      step: Centi
      redLine: boolean
      allowNA: boolean
      evidence: Evidence
    }
  | {
      kind: 'count'
      id: string
      max: Centi
      per: Centi
      redLine: boolean
      allowNA: boolean
      evidence: Evidence
    }
  | {
      kind: 'measure'
      id: string
      max: Centi
      better: 'lower' | 'higher'
      bands: { limit: number; points: Centi }[]
      redLine: boolean
      allowNA: boolean
      evidence: Evidence
    }

interface CSection {
  id: string
  weight: Centi
  items: CItem[]
}

interface CExtra {
  id: string
  kind: 'yesno' | 'count'
  points: Centi
  max: Centi | null
  redLine: boolean
  evidence: Evidence
}

interface CompiledRubric {
  errors: ScoringError[]
  sections: CSection[]
  bonus: CExtra[]
  bonusCap: Centi
  deductions: CExtra[]
  itemIds: Set<string>
  total: number
}

const compiled = new WeakMap<Rubric, CompiledRubric>()

function compile(rubric: Rubric): CompiledRubric {
  const cached = compiled.get(rubric)
  if (cached) return cached
  const errors: ScoringError[] = []
  const itemIds = new Set<string>()
  const seen = (id: string) => {
    if (itemIds.has(id))
      errors.push({ code: 'duplicate-item', itemId: id, message: `item id ${id} is used twice` })
    itemIds.add(id)
  }
  const defaultEvidence: Evidence = rubric.evidence ?? 'photo-or-note'
  if (rubric.scored === false) {
    errors.push({
      code: 'rubric-not-scored',
      message: `rubric ${rubric.id} is a checklist without scores`,
    })
  }
  let weightSum = 0
  let total = 0
  const sections = rubric.sections.map((s): CSection => {
    const weight = toCenti(s.weight)
    weightSum += weight
    return {
      id: s.id,
      weight,
      items: s.items.map((item) => {
        seen(item.id)
        total += 1
        return compileItem(item, defaultEvidence)
      }),
    }
  })
  if (weightSum !== BASE_TOTAL) {
    errors.push({
      code: 'weights-sum',
      message: `section weights of ${rubric.id} sum to ${weightSum / 100}, not 100`,
    })
  }
  const extra = (
    i: { id: string; kind: 'yesno' | 'count'; points: number; max?: number; evidence?: Evidence },
    redLine: boolean,
  ): CExtra => {
    seen(i.id)
    return {
      id: i.id,
      kind: i.kind,
      points: toCenti(i.points),
      max: i.max === undefined ? null : toCenti(i.max),
      redLine,
      evidence: i.evidence ?? defaultEvidence,
    }
  }
  const result: CompiledRubric = {
    errors,
    sections,
    bonus: (rubric.bonus?.items ?? []).map((i) => extra(i, false)),
    bonusCap: rubric.bonus ? toCenti(rubric.bonus.cap) : 0,
    deductions: (rubric.deductions?.items ?? []).map((i) => extra(i, i.redLine === true)),
    itemIds,
    total,
  }
  compiled.set(rubric, result)
  return result
}

function compileItem(item: RubricItem, defaultEvidence: Evidence): CItem {
  const common = {
    id: item.id,
    max: toCenti(item.max),
    redLine: item.redLine === true,
    allowNA: item.allowNA === true,
    evidence: item.evidence ?? defaultEvidence,
  }
  switch (item.kind) {
    case 'yesno':
      return { kind: 'yesno', ...common }
    case 'scale':
      return { kind: 'scale', ...common, step: toCenti(item.step) }
    case 'count':
      return { kind: 'count', ...common, per: toCenti(item.perOccurrence) }
    case 'measure':
      return {
        kind: 'measure',
        ...common,
        better: item.better,
        bands: item.bands.map((b) => ({ limit: b.limit, points: toCenti(b.points) })),
      }
  }
}

// ---------------------------------------------------------------------------------------------

/** 1 for the answer found under `key`; records an error when it names another item. */
function checkKey(key: string, a: Answer, errors: ScoringError[]): number {
  if (a.itemId !== key) {
    errors.push({
      code: 'item-id-mismatch',
      itemId: key,
      message: `answer stored under ${key} names item ${a.itemId}`,
    })
  }
  return 1
}

function wrongType(itemId: string, expected: string, value: unknown): ScoringError {
  return {
    code: 'wrong-type',
    itemId,
    message: `${itemId}: expected ${expected}, got ${JSON.stringify(value)}`,
  }
}

/**
 * Points earned by an answered, applicable section item; or an error.
 * Hot path (60,000 evaluations × 100 items): no closures are created per call.
 */
function itemPoints(item: CItem, value: Answer['value']): Centi | ScoringError {
  switch (item.kind) {
    case 'yesno':
      if (typeof value !== 'boolean') return wrongType(item.id, 'true or false', value)
      return value ? item.max : 0
    case 'scale': {
      if (typeof value !== 'number' || !Number.isFinite(value))
        return wrongType(item.id, 'a number of points', value)
      if (!hasTwoDecimals(value)) {
        return {
          code: 'not-a-step',
          itemId: item.id,
          message: `${item.id}: ${value} is not a multiple of ${item.step / 100}`,
        }
      }
      const v = toCenti(value)
      if (v < 0 || v > item.max) {
        return {
          code: 'out-of-range',
          itemId: item.id,
          message: `${item.id}: ${value} is outside 0..${item.max / 100}`,
        }
      }
      if (v % item.step !== 0) {
        return {
          code: 'not-a-step',
          itemId: item.id,
          message: `${item.id}: ${value} is not a multiple of ${item.step / 100}`,
        }
      }
      return v
    }
    case 'count': {
      if (typeof value !== 'number') return wrongType(item.id, 'a count', value)
      if (!Number.isSafeInteger(value)) {
        return {
          code: 'not-an-integer',
          itemId: item.id,
          message: `${item.id}: a count must be a whole number, got ${value}`,
        }
      }
      if (value < 0)
        return {
          code: 'out-of-range',
          itemId: item.id,
          message: `${item.id}: a count cannot be negative`,
        }
      return Math.max(0, item.max - item.per * value)
    }
    case 'measure': {
      if (typeof value !== 'number' || !Number.isFinite(value))
        return wrongType(item.id, 'a measured number', value)
      if (value < 0)
        return {
          code: 'out-of-range',
          itemId: item.id,
          message: `${item.id}: a measured value cannot be negative, got ${value}`,
        }
      for (const band of item.bands) {
        if (item.better === 'lower' ? value <= band.limit : value >= band.limit) return band.points
      }
      return 0
    }
  }
}

/** Occurrences of a bonus/deduction item (yesno true = 1); or an error. */
function occurrences(item: CExtra, a: Answer): number | ScoringError {
  if (a.na === true) {
    return {
      code: 'na-not-allowed',
      itemId: item.id,
      message: `${item.id}: bonus and deduction items cannot be N/A`,
    }
  }
  if (item.kind === 'yesno') {
    if (typeof a.value !== 'boolean') {
      return {
        code: 'wrong-type',
        itemId: item.id,
        message: `${item.id}: expected true or false, got ${JSON.stringify(a.value)}`,
      }
    }
    return a.value ? 1 : 0
  }
  if (typeof a.value !== 'number') {
    return {
      code: 'wrong-type',
      itemId: item.id,
      message: `${item.id}: expected a count, got ${JSON.stringify(a.value)}`,
    }
  }
  if (!Number.isSafeInteger(a.value)) {
    return {
      code: 'not-an-integer',
      itemId: item.id,
      message: `${item.id}: a count must be a whole number, got ${a.value}`,
    }
  }
  if (a.value < 0)
    return {
      code: 'out-of-range',
      itemId: item.id,
      message: `${item.id}: a count cannot be negative`,
    }
  return a.value
}

function extraPoints(item: CExtra, n: number): Centi {
  const raw = item.points * n
  return item.max === null ? raw : Math.min(raw, item.max)
}

/**
 * Largest-remainder split of the 100-point base over the applicable sections in proportion to
 * their weights, so the effective weights still sum to exactly 100 (a full-marks store scores
 * 100.00, not 99.99). Ties in remainder go to the earlier section.
 */
function effectiveWeights(sections: CSection[], applicable: boolean[]): Centi[] {
  let applicableSum = 0
  for (let i = 0; i < sections.length; i++)
    if (applicable[i]) applicableSum += (sections[i] as CSection).weight
  if (applicableSum === BASE_TOTAL) {
    const out: Centi[] = []
    for (let i = 0; i < sections.length; i++)
      out.push(applicable[i] ? (sections[i] as CSection).weight : 0)
    return out
  }
  const floors: number[] = []
  const remainders: number[] = []
  let allocated = 0
  sections.forEach((s, i) => {
    if (!applicable[i]) {
      floors.push(0)
      remainders.push(-1)
      return
    }
    const num = s.weight * BASE_TOTAL
    const f = Math.floor(num / applicableSum)
    floors.push(f)
    remainders.push(num - f * applicableSum)
    allocated += f
  })
  const order = sections.map((_, i) => i).filter((i) => applicable[i])
  order.sort((a, b) => (remainders[b] as number) - (remainders[a] as number) || a - b)
  for (let k = 0; k < BASE_TOTAL - allocated; k++) {
    const i = order[k % order.length] as number
    floors[i] = (floors[i] as number) + 1
  }
  return floors
}

/** Scores an evaluation. Never throws for bad answers: they come back as `errors`. */
export function scoreEvaluation(
  rubric: Rubric,
  answers: Answers,
  policy: Policy = DEFAULT_POLICY,
): ScoreOutcome {
  const c = compile(rubric)
  if (c.errors.length > 0) return { ok: false, errors: c.errors }
  const errors: ScoringError[] = []

  // Unknown keys are looked for only when the answers hold more keys than the rubric items found
  // (Object.entries on every evaluation was the largest cost of scoring).
  let found = 0

  const lost: LostPoints[] = []
  const missingEvidence: string[] = []
  const unanswered: string[] = []
  const redLines: string[] = []
  const reasons: Note[] = []
  let answeredCount = 0

  const partial: { section: CSection; earned: Centi; applicableMax: Centi; answered: number }[] = []
  for (const section of c.sections) {
    let earned = 0
    let applicableMax = 0
    let answered = 0
    for (const item of section.items) {
      const a = answers[item.id]
      if (a !== undefined) found += checkKey(item.id, a, errors)
      if (!isAnswered(a)) {
        unanswered.push(item.id)
        applicableMax += item.max
        continue
      }
      answered += 1
      if (a.na === true) {
        if (!item.allowNA) {
          errors.push({
            code: 'na-not-allowed',
            itemId: item.id,
            message: `${item.id} cannot be marked not applicable`,
          })
        }
        continue
      }
      const pts = itemPoints(item, a.value)
      if (typeof pts !== 'number') {
        errors.push(pts)
        continue
      }
      earned += pts
      applicableMax += item.max
      if (pts < item.max) {
        lost.push({ itemId: item.id, lost: item.max - pts, kind: 'item' })
        if (!hasEvidence(item.evidence, a)) missingEvidence.push(item.id)
      }
      if (item.redLine && pts === 0) {
        redLines.push(item.id)
        reasons.push(note('red-line-item', `red line ${item.id} failed`, { itemId: item.id }))
      }
    }
    answeredCount += answered
    partial.push({ section, earned, applicableMax, answered })
  }

  let bonusUncapped = 0
  for (const item of c.bonus) {
    const a = answers[item.id]
    if (a !== undefined) found += checkKey(item.id, a, errors)
    if (!isAnswered(a)) continue
    const n = occurrences(item, a)
    if (typeof n !== 'number') {
      errors.push(n)
      continue
    }
    bonusUncapped += extraPoints(item, n)
  }

  let deductions = 0
  for (const item of c.deductions) {
    const a = answers[item.id]
    if (a !== undefined) found += checkKey(item.id, a, errors)
    if (!isAnswered(a)) continue
    const n = occurrences(item, a)
    if (typeof n !== 'number') {
      errors.push(n)
      continue
    }
    if (n === 0) continue
    const d = extraPoints(item, n)
    deductions += d
    lost.push({ itemId: item.id, lost: d, kind: 'deduction' })
    if (!hasEvidence(item.evidence, a)) missingEvidence.push(item.id)
    if (item.redLine) {
      redLines.push(item.id)
      reasons.push(
        note('red-line-deduction', `red-line deduction ${item.id} occurred ${n} time(s)`, {
          itemId: item.id,
          count: n,
        }),
      )
    }
  }

  if (Object.keys(answers).length !== found) {
    for (const key of Object.keys(answers)) {
      if (!c.itemIds.has(key)) {
        errors.push({
          code: 'unknown-item',
          itemId: key,
          message: `${key} is not an item of ${rubric.id}@${rubric.version}`,
        })
      }
    }
  }

  const applicable: boolean[] = []
  let anyApplicable = false
  for (const p of partial) {
    applicable.push(p.applicableMax > 0)
    if (p.applicableMax > 0) anyApplicable = true
  }
  if (!anyApplicable) {
    errors.push({
      code: 'all-not-applicable',
      message: 'every item of every section is marked not applicable',
    })
  }
  if (errors.length > 0) return { ok: false, errors }

  const weights = effectiveWeights(c.sections, applicable)
  let base = 0
  const sections: SectionScore[] = []
  for (let i = 0; i < partial.length; i++) {
    const p = partial[i] as (typeof partial)[number]
    const effectiveWeight = weights[i] as number
    const isApplicable = applicable[i] as boolean
    const score = isApplicable ? mulDivHalfUp(effectiveWeight, p.earned, p.applicableMax) : 0
    base += score
    sections.push({
      sectionId: p.section.id,
      weight: p.section.weight,
      effectiveWeight,
      earned: p.earned,
      applicableMax: p.applicableMax,
      score,
      applicable: isApplicable,
      answered: p.answered,
      total: p.section.items.length,
    })
  }

  const bonus = Math.min(bonusUncapped, c.bonusCap)
  const final = finalFromParts({ base, bonus, deductions, redLine: redLines.length > 0 }, policy)
  const bonusCounted = Math.max(0, Math.min(bonus, final - Math.max(0, base - deductions)))
  const scoreGrade = gradeOf(final, policy)
  return {
    ok: true,
    score: {
      rubricId: rubric.id,
      rubricVersion: rubric.version,
      base,
      bonus,
      bonusUncapped,
      bonusCounted,
      deductions,
      final,
      grade: redLines.length > 0 ? 'fail' : scoreGrade,
      scoreGrade,
      sections,
      redLines,
      reasons,
      lost,
      missingEvidence,
      unanswered,
      answered: answeredCount,
      total: c.total,
      complete: unanswered.length === 0,
    },
  }
}

/**
 * The score over the items answered so far, for the live panel during a visit: unanswered
 * section items leave their section's maximum as N/A items do (their weight is spread over what
 * has been answered), instead of earning 0, which showed 不达标 for most of a visit. Null when
 * nothing is answered yet or an answer is invalid. Never stored: a submitted evaluation has
 * every item answered and is scored by `scoreEvaluation`.
 */
export function scoreSoFar(
  rubric: Rubric,
  answers: Answers,
  policy: Policy = DEFAULT_POLICY,
): EvaluationScore | null {
  const open = new Set<string>()
  for (const s of rubric.sections)
    for (const i of s.items) if (!isAnswered(answers[i.id])) open.add(i.id)
  if (open.size === 0) {
    const full = scoreEvaluation(rubric, answers, policy)
    return full.ok ? full.score : null
  }
  const relaxed: Rubric = {
    ...rubric,
    sections: rubric.sections.map((s) => ({
      ...s,
      items: s.items.map((i) => (open.has(i.id) ? { ...i, allowNA: true } : i)),
    })),
  }
  const filled: Answers = { ...answers }
  for (const id of open) filled[id] = { itemId: id, na: true }
  const out = scoreEvaluation(relaxed, filled, policy)
  if (!out.ok) return null
  return {
    ...out.score,
    unanswered: [...open],
    answered: out.score.answered - open.size,
    complete: false,
  }
}

/** For callers that treat bad answers as a bug (bench, CLI): throws a `ScoringFailure`. */
export function scoreEvaluationOrThrow(
  rubric: Rubric,
  answers: Answers,
  policy: Policy = DEFAULT_POLICY,
): EvaluationScore {
  const outcome = scoreEvaluation(rubric, answers, policy)
  if (!outcome.ok) throw new ScoringFailure(outcome.errors)
  return outcome.score
}

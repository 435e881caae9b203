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
import { hasEvidence, isAnswered } from '../answers'
import { gradeOf } from '../grade'
import { note, type Note } from '../notes'
import { DEFAULT_POLICY, finalFromParts, type Policy } from '../policy'
import { mulDivHalfUp } from '../points'
import type { Rubric } from '../rubric-schema'
import type { Answers, Centi } from '../types'
import { compile, type CSection } from './compile'
import { checkKey, extraPoints, itemPoints, occurrences } from './item-points'
import {
  BASE_TOTAL,
  ScoringFailure,
  type EvaluationScore,
  type LostPoints,
  type ScoreOutcome,
  type ScoringError,
  type SectionScore,
} from './types'

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

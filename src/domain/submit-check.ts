/**
 * What the data layer, the form and the sync server ask of the engine: the live status of a set
 * of answers (score, progress, items still needing evidence) and whether it may be submitted.
 * The engine (scoring.ts) does the maths; this turns its answer into "may submit / why not", and
 * covers checklist rubrics (`scored: false`), which the engine does not score.
 */
import { hasEvidence, isAnswered } from './answers'
import type { VisitFacts } from './records'
import type { Rubric } from './rubric-schema'
import { scoreEvaluation, scoreSoFar, type EvaluationScore, type ScoringError } from './scoring'
import type { Answers } from './types'

/** Stored with a submitted evaluation; carries the rubric id and version it was computed by. */
export type StoredResult = EvaluationScore

export interface LiveStatus {
  /** The engine's score; null for a checklist, or while some answer is invalid (see errors). */
  score: EvaluationScore | null
  /**
   * The score over the items answered so far (unanswered items left out, not counted as 0),
   * for the live panel; null when nothing is answered yet, for a checklist or invalid answers.
   */
  soFar: EvaluationScore | null
  errors: ScoringError[]
  answered: number
  total: number
  unanswered: string[]
  missingEvidence: string[]
}

export type SubmitProblem =
  | { code: 'locked'; status: string }
  | { code: 'rubric-mismatch'; expected: string; got: string }
  | { code: 'unanswered'; itemIds: string[] }
  | { code: 'missing-evidence'; itemIds: string[] }
  | { code: 'invalid-answers'; errors: ScoringError[] }

export type SubmitCheck =
  { ok: true; result: StoredResult | null } | { ok: false; problems: SubmitProblem[] }

/** Checklist: a yes/no item answered "no" needs the evidence the rubric asks for. */
function checklistStatus(rubric: Rubric, answers: Answers): LiveStatus {
  const items = rubric.sections.flatMap((s) => s.items)
  const unanswered = items.filter((i) => !isAnswered(answers[i.id])).map((i) => i.id)
  const missingEvidence = items
    .filter((i) => {
      const a = answers[i.id]
      if (!a || a.na || a.value !== false) return false
      return !hasEvidence(i.evidence ?? rubric.evidence ?? 'photo-or-note', a)
    })
    .map((i) => i.id)
  return {
    score: null,
    soFar: null,
    errors: [],
    answered: items.length - unanswered.length,
    total: items.length,
    unanswered,
    missingEvidence,
  }
}

export function liveStatus(rubric: Rubric, answers: Answers): LiveStatus {
  if (!rubric.scored) return checklistStatus(rubric, answers)
  const outcome = scoreEvaluation(rubric, answers)
  if (outcome.ok) {
    const s = outcome.score
    return {
      score: s,
      soFar: s.complete ? s : scoreSoFar(rubric, answers),
      errors: [],
      answered: s.answered,
      total: s.total,
      unanswered: s.unanswered,
      missingEvidence: s.missingEvidence,
    }
  }
  // An invalid answer (out of range...) stops the score, not the progress count.
  const base = checklistStatus({ ...rubric, scored: false }, answers)
  return { ...base, missingEvidence: [], errors: outcome.errors }
}

/**
 * Refused while items are unanswered, evidence is missing or answers are invalid. The
 * evaluation-level answers in `facts` (the cross-border zone) are recorded with the score, so the
 * stored result says what its points left out; the server re-derives them from the record too.
 */
export function checkForSubmit(
  rubric: Rubric,
  answers: Answers,
  facts: VisitFacts = {},
): SubmitCheck {
  const status = liveStatus(rubric, answers)
  if (status.errors.length)
    return { ok: false, problems: [{ code: 'invalid-answers', errors: status.errors }] }
  const problems: SubmitProblem[] = []
  if (status.unanswered.length)
    problems.push({ code: 'unanswered', itemIds: [...status.unanswered] })
  if (status.missingEvidence.length)
    problems.push({ code: 'missing-evidence', itemIds: [...status.missingEvidence] })
  if (problems.length) return { ok: false, problems }
  const score = status.score
  if (score === null || facts.crossBorderZone === undefined) return { ok: true, result: score }
  return { ok: true, result: { ...score, crossBorderZone: facts.crossBorderZone } }
}

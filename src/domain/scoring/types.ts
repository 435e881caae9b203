/** What scoring an evaluation gives back: the score, its parts and the errors it can report. */
import type { Note } from '../notes'
import type { Centi, Grade } from '../types'

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

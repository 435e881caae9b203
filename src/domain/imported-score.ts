/**
 * Scores imported from a spreadsheet (issue 17.1): cities send their totals as CSV or XLSX, one
 * row per store, period and reviewer. Each row becomes a submitted evaluation with no item
 * answers, marked `source: 'imported-score'`, so the one rankings pipeline (rankings-pipeline.ts)
 * ranks and certifies it like any other: its stored score is the total alone (base = final, no
 * bonus, no deductions, no sections, no red lines).
 *
 * The id is made from the store, period and reviewer, so importing a corrected file again
 * replaces the earlier imported score instead of adding a second one. An evaluation answered on
 * a device for the same store, period and reviewer is left alone: the later submission counts
 * (store-result.ts).
 */
import { gradeOf } from './grade'
import type { Policy } from './policy'
import type { Evaluation } from './records'
import type { EvaluationScore } from './scoring'
import type { EvaluationRecord } from './store-result'
import type { Period, Reviewer } from './types'

export const IMPORTED_SCORE_SOURCE = 'imported-score' as const

/** The rubric id and version an imported score carries: no rubric scored it. */
export const IMPORTED_SCORE_RUBRIC = { id: 'imported-score', version: '1.0.0' } as const

/** Every imported score's id starts with this (device evaluations have UUIDs). */
export const IMPORTED_SCORE_ID_PREFIX = 'imported-score:'

export function importedScoreId(period: Period, reviewer: Reviewer, storeCode: string): string {
  return `${IMPORTED_SCORE_ID_PREFIX}${period}:${reviewer}:${storeCode}`
}

/** The stored score of a total with nothing behind it. */
export function importedScoreResult(
  final: EvaluationRecord['final'],
  policy: Policy,
): EvaluationScore {
  const grade = gradeOf(final, policy)
  return {
    rubricId: IMPORTED_SCORE_RUBRIC.id,
    rubricVersion: IMPORTED_SCORE_RUBRIC.version,
    base: final,
    bonus: 0,
    bonusUncapped: 0,
    bonusCounted: 0,
    deductions: 0,
    final,
    grade,
    scoreGrade: grade,
    sections: [],
    redLines: [],
    reasons: [],
    lost: [],
    missingEvidence: [],
    unanswered: [],
    answered: 0,
    total: 0,
    complete: true,
  }
}

export interface ImportedScoreMeta {
  /** Used when the record has no period of its own. */
  period: Period
  /** When the import was written (ISO 8601): the evaluation's submission time. */
  at: string
  fileName: string
  /** The record's line or row in the file. */
  row: number
  policy: Policy
}

/** One score row of a file as the submitted evaluation the app stores. */
export function importedScoreEvaluation(
  record: EvaluationRecord,
  meta: ImportedScoreMeta,
): Evaluation<EvaluationScore> {
  const period = record.period ?? meta.period
  return {
    id: importedScoreId(period, record.reviewer, record.storeCode),
    storeCode: record.storeCode,
    period,
    reviewer: record.reviewer,
    // The file stands in for the evaluator: the screens show who sent the scores.
    evaluatorName: meta.fileName,
    rubricId: IMPORTED_SCORE_RUBRIC.id,
    rubricVersion: IMPORTED_SCORE_RUBRIC.version,
    status: 'submitted',
    answers: {},
    revision: 1,
    revisionOf: null,
    createdAt: meta.at,
    updatedAt: meta.at,
    submittedAt: meta.at,
    result: importedScoreResult(record.final, meta.policy),
    editSeq: 0,
    source: IMPORTED_SCORE_SOURCE,
    importedFrom: { file: meta.fileName, row: meta.row },
  }
}

export function isImportedScore(e: { source?: string | undefined }): boolean {
  return e.source === IMPORTED_SCORE_SOURCE
}

/**
 * The results projection: one small row per locked evaluation (its score without its answers),
 * which the rankings, certification, charts, the store page and the register read. src/db
 * stores these rows in the `results` table (written with the evaluations, see db/results.ts);
 * the rules of what a row holds and how a period's rows become the engine's records live here.
 *
 * Returned (sent-back) evaluations keep their row, marked `returned` with the send-back's time
 * and reason: the pending rule needs them. Drafts have no row.
 */
import {
  compactSections,
  sectionBriefs,
  type CompactSections,
  type ScoreSummary,
} from './store-summary'
import type { Evaluation, EvaluationSource } from './records'
import type { EvaluationScore } from './scoring'
import type { EvaluationRecord } from './store-result'
import type { Centi, Grade, Period, Reviewer, Store } from './types'

/** The part of the engine's score the rankings, certification and charts read. */
export interface ResultScore {
  rubricId: string
  rubricVersion: string
  base: Centi
  bonus: Centi
  deductions: Centi
  final: Centi
  grade: Grade
  scoreGrade: Grade
  redLines: string[]
  /**
   * Only what section shares need, in the compact form: the rankings read 20,000 of these rows
   * and never look at it (only the radar chart and the store page's city averages do).
   */
  sections: CompactSections
}

export interface ResultRow {
  evaluationId: string
  storeCode: string
  period: Period
  reviewer: Reviewer
  evaluatorName: string
  rubricId: string
  rubricVersion: string
  status: 'submitted' | 'returned'
  submittedAt: string | null
  /** The send-back's time (the returned row's updatedAt); null while submitted. */
  returnedAt: string | null
  returnedReason: string | null
  /** Null for a checklist (unscored rubric), which is locked but has no score. */
  score: ResultScore | null
  /** `imported-score`: a total from a scores file, no item answers (domain/imported-score.ts). */
  source?: EvaluationSource
}

/** The summary of an evaluation, or null when it has none (a draft, a revision set aside). */
export function summaryOf(row: Evaluation<EvaluationScore>): ResultRow | null {
  if (row.status !== 'submitted' && row.status !== 'returned') return null
  // A revision the user set aside for another of the same base (forks.ts) is not counted.
  if (row.setAside) return null
  const r = row.result
  return {
    ...(row.source ? { source: row.source } : {}),
    evaluationId: row.id,
    storeCode: row.storeCode,
    period: row.period,
    reviewer: row.reviewer,
    evaluatorName: row.evaluatorName,
    rubricId: row.rubricId,
    rubricVersion: row.rubricVersion,
    status: row.status,
    submittedAt: row.submittedAt ?? null,
    returnedAt: row.status === 'returned' ? row.updatedAt : null,
    returnedReason: row.status === 'returned' ? (row.returnedReason ?? '') : null,
    score: r
      ? {
          rubricId: r.rubricId,
          rubricVersion: r.rubricVersion,
          base: r.base,
          bonus: r.bonus,
          deductions: r.deductions,
          final: r.final,
          grade: r.grade,
          scoreGrade: r.scoreGrade,
          redLines: [...(r.redLines ?? [])],
          sections: compactSections(r.sections ?? []),
        }
      : null,
  }
}

/** A results row in the shape the store-summary maths reads (src/domain/store-summary.ts). */
export interface ScoredSummary {
  id: string
  storeCode: string
  period: Period
  reviewer: Reviewer
  status: ResultRow['status']
  submittedAt: string | null
  /** The stored score with its sections expanded back to objects (few rows are read here). */
  result: (Omit<ResultScore, 'sections'> & ScoreSummary) | null
}

/** A results row as the store-summary maths reads it (sections expanded). */
export function scoredSummaryOf(r: ResultRow): ScoredSummary {
  return {
    id: r.evaluationId,
    storeCode: r.storeCode,
    period: r.period,
    reviewer: r.reviewer,
    status: r.status,
    submittedAt: r.submittedAt,
    result: r.score && { ...r.score, sections: sectionBriefs(r.score.sections) },
  }
}

/** What the rankings read for a period: the register and the reduced results rows. */
export interface RankingSource {
  period: Period
  stores: Store[]
  /** Submitted, scored evaluations of the period, pending stores left out. */
  records: EvaluationRecord[]
  evaluatorById: Map<string, string>
  /** Store code → send-back reason. */
  pending: Map<string, string>
  /**
   * Store code → the last submitted evaluation of a pending store: held out of grading, but
   * still shown (marked as sent back) so the store does not vanish from the screens and files.
   */
  heldBack: Map<string, EvaluationRecord>
  /** Evaluation id → section scores (for the radar chart; expand with sectionBriefs). */
  sectionsById: Map<string, CompactSections>
  /**
   * Ids of the evaluations that are imported totals (no item answers, no sections): the charts
   * that need sections say why they leave these out.
   */
  importedIds?: ReadonlySet<string>
}

/** What the send-back rule reads of an evaluation (the app's results rows, the server's records). */
export interface SendBackInput {
  storeCode: string
  status: 'submitted' | 'returned'
  submittedAt: string | null
  /** The send-back's time; null while submitted. */
  returnedAt: string | null
  returnedReason: string | null
}

/**
 * The send-back (退回复查) rule, once for the app, the server and the CLI: a store whose
 * evaluation a reviewing level sent back is held out of the period until an evaluation
 * submitted after the send-back exists, so it can neither keep nor lose a grade on the evidence
 * that was questioned. The evaluation sent back last is kept apart (`heldBack`) so the store
 * still shows it, marked, instead of vanishing as if it had no evaluation.
 */
export function sendBackRule<T extends SendBackInput>(
  rows: readonly T[],
): { counting: T[]; pending: Map<string, string>; heldBack: Map<string, T> } {
  const returned = new Map<string, T & { returnedAt: string }>()
  for (const row of rows) {
    if (row.status !== 'returned' || row.returnedAt === null) continue
    const prev = returned.get(row.storeCode)
    if (!prev || row.returnedAt > prev.returnedAt)
      returned.set(row.storeCode, row as T & { returnedAt: string })
  }
  const submitted = rows.filter((r) => r.status === 'submitted' && r.submittedAt !== null)
  const pending = new Map<string, string>()
  const heldBack = new Map<string, T>()
  for (const [code, ret] of returned) {
    const answered = submitted.some((r) => r.storeCode === code && r.submittedAt! > ret.returnedAt)
    if (answered) continue
    pending.set(code, ret.returnedReason ?? '')
    heldBack.set(code, ret)
  }
  return { counting: submitted.filter((r) => !pending.has(r.storeCode)), pending, heldBack }
}

/** The send-back rule (above) and the rows' reduction to the engine's records. */
export function reduceResults(
  rows: readonly ResultRow[],
): Omit<RankingSource, 'period' | 'stores'> {
  // A checklist (no score) neither counts nor answers a send-back.
  const rule = sendBackRule(rows.filter((r) => r.status === 'returned' || r.score !== null))
  const records: EvaluationRecord[] = []
  const evaluatorById = new Map<string, string>()
  const sectionsById = new Map<string, CompactSections>()
  const heldBack = new Map<string, EvaluationRecord>()
  const importedIds = new Set<string>()
  for (const row of rows) {
    if (row.status !== 'submitted' || row.score === null || row.submittedAt === null) continue
    evaluatorById.set(row.evaluationId, row.evaluatorName)
    if (row.source === 'imported-score') importedIds.add(row.evaluationId)
  }
  for (const row of rule.counting) {
    if (row.score === null || row.submittedAt === null) continue
    records.push(recordOf(row, row.score, row.submittedAt))
    if (row.score.sections?.ids.length) sectionsById.set(row.evaluationId, row.score.sections)
  }
  // A pending store shows the evaluation that was sent back (the last one submitted), marked.
  for (const [code, ret] of rule.heldBack) {
    if (ret.score === null || ret.submittedAt === null) continue
    heldBack.set(code, recordOf(ret, ret.score, ret.submittedAt))
    evaluatorById.set(ret.evaluationId, ret.evaluatorName)
  }
  return { records, evaluatorById, pending: rule.pending, heldBack, sectionsById, importedIds }
}

function recordOf(row: ResultRow, score: ResultScore, submittedAt: string): EvaluationRecord {
  return {
    id: row.evaluationId,
    storeCode: row.storeCode,
    period: row.period,
    reviewer: row.reviewer,
    submittedAt,
    final: score.final,
    base: score.base,
    bonus: score.bonus,
    deductions: score.deductions,
    redLines: [...score.redLines],
  }
}

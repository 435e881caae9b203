/**
 * The shape of the engine's live status as the form's components read it (progress, score,
 * missing evidence). Declared here, not imported from the data layer, so components stay free
 * of src/db; the evaluation store's `status` fits it.
 */
import type { EvaluationScore, ScoringError } from '@/domain/scoring'

export interface LiveScore {
  answered: number
  total: number
  /** Null for a checklist, or while some answer cannot be scored (see `errors`). */
  score: EvaluationScore | null
  /** Over the answered items only (see domain/submit-check `soFar`); what the panel shows mid-visit. */
  soFar?: EvaluationScore | null
  missingEvidence: string[]
  unanswered: string[]
  errors: ScoringError[]
}

/**
 * One store's self-assessment beside its inspection, item by item: where the store judged
 * itself differently from the inspector. Points per item come from the engine's lost-points
 * list of each evaluation, so the comparison speaks the scoring's language (an item that lost
 * points here and not there), and the raw answers are shown beside.
 */
import type { Rubric } from './rubric-schema'
import type { EvaluationScore } from './scoring'
import type { Answer, Centi, Reviewer } from './types'

export interface ComparedEvaluation {
  id: string
  storeCode: string
  period: string
  reviewer: Reviewer
  rubricId: string
  status: string
  submittedAt: string | null
  answers: Record<string, Answer>
  result: Pick<EvaluationScore, 'lost' | 'final'> | null
}

export interface ItemComparison {
  itemId: string
  sectionId: string
  self: Answer | undefined
  inspection: Answer | undefined
  /** Points lost in each (0 when none). */
  selfLost: Centi
  inspectionLost: Centi
}

export interface SelfVsInspection {
  self: ComparedEvaluation
  inspection: ComparedEvaluation
  /** Items whose lost points differ, the largest gap first. */
  differ: ItemComparison[]
  /** How many section items were compared in all. */
  compared: number
}

const submitted = (e: ComparedEvaluation) => e.status === 'submitted' && e.result !== null

/**
 * The latest submitted, scored self-assessment and inspection of the same store, period and
 * rubric; `prefer` (an evaluation being looked at) is used as its side when it qualifies.
 * Null when either side is missing.
 */
export function pairFor(
  evaluations: readonly ComparedEvaluation[],
  prefer?: ComparedEvaluation,
): { self: ComparedEvaluation; inspection: ComparedEvaluation } | null {
  const scored = evaluations.filter(submitted)
  const anchor =
    prefer && submitted(prefer)
      ? prefer
      : [...scored].sort((a, b) => (b.submittedAt ?? '').localeCompare(a.submittedAt ?? ''))[0]
  if (!anchor) return null
  const same = scored
    .filter(
      (e) =>
        e.storeCode === anchor.storeCode &&
        e.period === anchor.period &&
        e.rubricId === anchor.rubricId &&
        (anchor.reviewer === 'self' ? e.reviewer !== 'self' : e.reviewer === 'self'),
    )
    .sort((a, b) => (b.submittedAt ?? '').localeCompare(a.submittedAt ?? ''))
  const other = same[0]
  if (!other) return null
  return anchor.reviewer === 'self'
    ? { self: anchor, inspection: other }
    : { self: other, inspection: anchor }
}

export function compareSelfInspection(
  rubric: Rubric,
  self: ComparedEvaluation,
  inspection: ComparedEvaluation,
): SelfVsInspection {
  const lostOf = (e: ComparedEvaluation) =>
    new Map((e.result?.lost ?? []).filter((l) => l.kind === 'item').map((l) => [l.itemId, l.lost]))
  const sLost = lostOf(self)
  const iLost = lostOf(inspection)
  const differ: ItemComparison[] = []
  let compared = 0
  for (const s of rubric.sections)
    for (const item of s.items) {
      compared++
      const a = sLost.get(item.id) ?? 0
      const b = iLost.get(item.id) ?? 0
      if (a !== b)
        differ.push({
          itemId: item.id,
          sectionId: s.id,
          self: self.answers[item.id],
          inspection: inspection.answers[item.id],
          selfLost: a,
          inspectionLost: b,
        })
    }
  differ.sort(
    (x, y) => Math.abs(y.inspectionLost - y.selfLost) - Math.abs(x.inspectionLost - x.selfLost),
  )
  return { self, inspection, differ, compared }
}

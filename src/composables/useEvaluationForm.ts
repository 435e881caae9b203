/**
 * The form's derived state: steps, per-step progress, item labels, and why submitting is not
 * possible yet. Everything comes from the rubric and the engine's live status; nothing is
 * scored here.
 */
import { computed, ref, type Ref } from 'vue'
import type { Rubric } from '@/domain/rubric-schema'
import type { Answers } from '@/domain/types'
import { isAnswered, itemIndex, labelsOf, stepsOf } from './evaluationSteps'
import type { LiveScore } from './useLiveScore'

export interface SubmitBlocker {
  key: 'unanswered' | 'evidence' | 'invalid' | 'locked'
  n: number
}

export function useEvaluationForm(
  rubric: Ref<Rubric | null>,
  answers: Ref<Answers>,
  live: Ref<LiveScore | null>,
  editable: Ref<boolean>,
) {
  const steps = computed(() => (rubric.value ? stepsOf(rubric.value) : []))
  const index = computed(() => itemIndex(steps.value))
  const current = ref(0)

  const labels = computed(() => labelsOf(rubric.value))

  const missing = computed(() => new Set(live.value?.missingEvidence ?? []))

  const stepInfo = computed(() =>
    steps.value.map((s) => ({
      id: s.id,
      title: s.title,
      answered: s.items.filter((i) => isAnswered(answers.value[i.item.id])).length,
      total: s.items.length,
      flagged: s.items.some((i) => missing.value.has(i.item.id)),
    })),
  )

  const blockers = computed<SubmitBlocker[]>(() => {
    const l = live.value
    const out: SubmitBlocker[] = []
    if (!editable.value) out.push({ key: 'locked', n: 0 })
    if (!l) return out
    if (l.unanswered.length) out.push({ key: 'unanswered', n: l.unanswered.length })
    if (l.missingEvidence.length) out.push({ key: 'evidence', n: l.missingEvidence.length })
    if (l.errors.length) out.push({ key: 'invalid', n: l.errors.length })
    return out
  })

  function go(i: number): void {
    if (!Number.isInteger(i)) i = 0
    current.value = Math.min(Math.max(0, i), Math.max(0, steps.value.length - 1))
  }

  /** The step holding an item, e.g. to jump to one that needs evidence. */
  function stepOf(itemId: string): number | undefined {
    return index.value.get(itemId)?.step
  }

  return { steps, current, labels, missing, stepInfo, blockers, go, stepOf }
}

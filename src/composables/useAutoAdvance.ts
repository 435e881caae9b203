/**
 * Moving through the form by answers alone: after an item is answered the form goes to the
 * next unanswered item (on this step or a later one, wrapping round), unless the answer asks
 * for evidence first (a failed item waits for its note or photo) or the inspector turned it
 * off. "Next unanswered" does the same on demand.
 */
import { nextTick, type Ref } from 'vue'
import type { FormStep } from './evaluationSteps'

/** The first unanswered item after `after` in form order, wrapping round; null when none is left. */
export function nextUnanswered(
  steps: readonly FormStep[],
  unanswered: ReadonlySet<string>,
  after?: string,
): string | null {
  const order = steps.flatMap((s) => s.items.map((i) => i.item.id))
  const from = after === undefined ? -1 : order.indexOf(after)
  for (let k = 1; k <= order.length; k++) {
    const id = order[(from + k) % order.length]!
    if (unanswered.has(id)) return id
  }
  return null
}

export function useAutoAdvance(opts: {
  steps: Ref<FormStep[]>
  unanswered: Ref<readonly string[]>
  missingEvidence: Ref<readonly string[]>
  enabled: Ref<boolean>
  gotoItem(itemId: string): Promise<void>
}) {
  async function goNext(after?: string): Promise<string | null> {
    const id = nextUnanswered(opts.steps.value, new Set(opts.unanswered.value), after)
    if (id) await opts.gotoItem(id)
    return id
  }

  /** Called once an item is answered by a tap; the live status has updated by the next tick. */
  async function answered(itemId: string): Promise<void> {
    if (!opts.enabled.value) return
    await nextTick()
    if (opts.missingEvidence.value.includes(itemId)) return
    await goNext(itemId)
  }

  return { goNext, answered }
}

import { describe, expect, it } from 'vitest'
import { stepsOf } from '../../src/composables/evaluationSteps'
import { nextUnanswered } from '../../src/composables/useAutoAdvance'
import { groupRubric } from '../helpers/db-fixtures'

const steps = stepsOf(groupRubric())
const order = steps.flatMap((s) => s.items.map((i) => i.item.id))

describe('next unanswered item', () => {
  it('is the next one in form order, across steps, wrapping round, null when all are answered', () => {
    const all = new Set(order)
    expect(nextUnanswered(steps, all)).toBe(order[0])
    expect(nextUnanswered(steps, all, order[0])).toBe(order[1])
    // The last item of step 1 leads to the first of step 2.
    const endOfFirst = steps[0]!.items.at(-1)!.item.id
    expect(nextUnanswered(steps, all, endOfFirst)).toBe(steps[1]!.items[0]!.item.id)
    // Answered items are skipped; from the end it wraps to the start.
    expect(nextUnanswered(steps, new Set([order[0]!, order[5]!]), order[0])).toBe(order[5])
    expect(nextUnanswered(steps, new Set([order[2]!]), order.at(-1))).toBe(order[2])
    expect(nextUnanswered(steps, new Set())).toBeNull()
  })
})

import { describe, expect, it } from 'vitest'
import {
  compareSelfInspection,
  pairFor,
  type ComparedEvaluation,
} from '../../src/domain/self-vs-inspection'
import { scoreEvaluation } from '../../src/domain/scoring'
import type { Answers, Reviewer } from '../../src/domain/types'
import { groupRubric } from '../helpers/db-fixtures'

const rubric = groupRubric()
const items = rubric.sections.flatMap((s) => s.items)

/** Every section item at full marks, except the ids given, which fail (yes/no) or score 0. */
function answers(failing: string[]): Answers {
  const out: Answers = {}
  for (const i of items) {
    const bad = failing.includes(i.id)
    let value: boolean | number
    if (i.kind === 'yesno') value = !bad
    else if (i.kind === 'scale') value = bad ? 0 : i.max
    else if (i.kind === 'count') value = 0
    else value = i.better === 'lower' ? 0 : 100000
    out[i.id] = { itemId: i.id, value, note: bad ? 'noted' : undefined }
  }
  for (const b of rubric.bonus?.items ?? [])
    out[b.id] = { itemId: b.id, value: b.kind === 'yesno' ? false : 0 }
  for (const d of rubric.deductions?.items ?? [])
    out[d.id] = { itemId: d.id, value: d.kind === 'yesno' ? false : 0 }
  return out
}

function ev(id: string, reviewer: Reviewer, failing: string[], at: string): ComparedEvaluation {
  const a = answers(failing)
  const s = scoreEvaluation(rubric, a)
  if (!s.ok) throw new Error(JSON.stringify(s.errors))
  return {
    id,
    storeCode: 'S1',
    period: '2026-Q4',
    reviewer,
    rubricId: rubric.id,
    status: 'submitted',
    submittedAt: at,
    answers: a,
    result: s.score,
  }
}

describe('self-assessment vs inspection', () => {
  const yesno = items.filter((i) => i.kind === 'yesno').map((i) => i.id)
  const self = ev('a', 'self', [yesno[0]!], '2026-11-01T00:00:00Z')
  const city = ev('b', 'city', [yesno[0]!, yesno[1]!, yesno[2]!], '2026-11-05T00:00:00Z')

  it('pairs the latest inspection with the self-assessment of the same store, period and rubric', () => {
    const older = ev('c', 'city', [], '2026-10-01T00:00:00Z')
    const otherPeriod = { ...ev('d', 'self', [], '2026-12-01T00:00:00Z'), period: '2026-Q3' }
    expect(pairFor([self, older, city])).toMatchObject({
      self: { id: 'a' },
      inspection: { id: 'b' },
    })
    // Looking at the older inspection pairs that one.
    expect(pairFor([self, older, city], older)?.inspection.id).toBe('c')
    expect(pairFor([self])).toBeNull()
    expect(pairFor([city, otherPeriod])).toBeNull()
    expect(pairFor([{ ...self, status: 'draft' }, city])).toBeNull()
  })

  it('lists exactly the items judged differently', () => {
    const c = compareSelfInspection(rubric, self, city)
    expect(c.compared).toBe(items.length)
    expect(c.differ.map((d) => d.itemId).sort()).toEqual([yesno[1]!, yesno[2]!].sort())
    expect(c.differ.every((d) => d.selfLost === 0 && d.inspectionLost > 0)).toBe(true)
    expect(compareSelfInspection(rubric, self, self).differ).toEqual([])
  })
})

/** The visit-plan rules (src/domain/visit-plan.ts): done derived from the inspections, days in China time. */
import { describe, expect, it } from 'vitest'
import {
  chinaDay,
  groupVisits,
  selfAssessmentDue,
  visitStanding,
  weekEnd,
  type InspectionLike,
} from '@/domain/visit-plan'

// Wednesday 2026-12-02, 10:00 in China.
const NOW = new Date('2026-12-02T02:00:00Z')
const visit = (storeCode: string, due: string, plannedAt = '2026-11-30T01:00:00Z') => ({
  id: `${storeCode}-${due}`,
  storeCode,
  due,
  plannedAt,
})
const ev = (over: Partial<InspectionLike> & { storeCode: string }): InspectionLike => ({
  id: 'e1',
  reviewer: 'city',
  status: 'submitted',
  submittedAt: '2026-12-01T03:00:00Z',
  ...over,
})

describe('visit standing', () => {
  it('counts days in China time and weeks from Monday to Sunday', () => {
    expect(chinaDay(new Date('2026-12-01T16:30:00Z'))).toBe('2026-12-02')
    expect(chinaDay(new Date('2026-12-01T15:59:59Z'))).toBe('2026-12-01')
    expect(weekEnd('2026-12-02')).toBe('2026-12-06')
    expect(weekEnd('2026-12-06')).toBe('2026-12-06')
    expect(weekEnd('2026-12-07')).toBe('2026-12-13')
  })

  it('overdue, today, this week, later — until an inspection is submitted after the plan', () => {
    expect(visitStanding(visit('A', '2026-12-01'), [], NOW).state).toBe('overdue')
    expect(visitStanding(visit('A', '2026-12-02'), [], NOW).state).toBe('today')
    expect(visitStanding(visit('A', '2026-12-06'), [], NOW).state).toBe('week')
    expect(visitStanding(visit('A', '2026-12-07'), [], NOW).state).toBe('later')
    const done = visitStanding(visit('A', '2026-12-01'), [ev({ storeCode: 'A', id: 'x' })], NOW)
    expect(done).toEqual({ state: 'done', evaluationId: 'x', doneAt: '2026-12-01T03:00:00Z' })
  })

  it('a draft, a self-assessment, another store or an inspection before the plan does not count', () => {
    const v = visit('A', '2026-12-01')
    for (const e of [
      ev({ storeCode: 'A', status: 'draft', submittedAt: null }),
      ev({ storeCode: 'A', reviewer: 'self' }),
      ev({ storeCode: 'B' }),
      ev({ storeCode: 'A', submittedAt: '2026-11-29T00:00:00Z' }),
    ])
      expect(visitStanding(v, [e], NOW).state).toBe('overdue')
  })

  it('groups the visits soonest first; done ones of this week stay visible as done', () => {
    const g = groupVisits(
      [
        visit('C', '2026-12-05'),
        visit('B', '2026-12-02'),
        visit('A', '2026-11-20'),
        visit('D', '2026-12-03'),
        visit('E', '2026-11-10', '2026-11-01T00:00:00Z'),
      ],
      [ev({ storeCode: 'D' }), ev({ storeCode: 'E', submittedAt: '2026-11-11T00:00:00Z' })],
      NOW,
    )
    expect(g.overdue.map((v) => v.storeCode)).toEqual(['A'])
    expect(g.today.map((v) => v.storeCode)).toEqual(['B'])
    expect(g.week.map((v) => v.storeCode)).toEqual(['C'])
    // E was done weeks ago: off the list.
    expect(g.done.map((v) => v.storeCode)).toEqual(['D'])
  })
})

describe('self-assessment due', () => {
  it('is due on the last day of the period in China time, overdue after, done once submitted', () => {
    const due = selfAssessmentDue('2026-Q4', 'A', [], NOW)
    expect(due).toMatchObject({ due: '2026-12-31', state: 'due', daysLeft: 29 })
    expect(selfAssessmentDue('2026-Q3', 'A', [], NOW)).toMatchObject({
      due: '2026-09-30',
      state: 'overdue',
    })
    const self = { ...ev({ storeCode: 'A', reviewer: 'self' }), period: '2026-Q4' }
    expect(selfAssessmentDue('2026-Q4', 'A', [self], NOW)).toMatchObject({
      state: 'done',
      submittedAt: self.submittedAt,
    })
    // Another period's or an inspector's evaluation is not the self-assessment.
    expect(
      selfAssessmentDue(
        '2026-Q4',
        'A',
        [
          { ...self, period: '2026-Q3' },
          { ...ev({ storeCode: 'A' }), period: '2026-Q4' },
        ],
        NOW,
      )!.state,
    ).toBe('due')
    expect(selfAssessmentDue('nonsense', 'A', [], NOW)).toBeNull()
  })
})

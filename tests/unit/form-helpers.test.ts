import { describe, expect, it } from 'vitest'
import { measurePoints } from '@/domain/measure-points'
import { isPeriod, quarterOf } from '@/domain/period'
import type { RubricItem } from '@/domain/rubric-schema'
import { scoreEvaluation } from '@/domain/scoring'
import { formRubric } from '../fixtures/form-rubric'

describe('quarterOf', () => {
  it('names the local calendar quarter', () => {
    expect(quarterOf(new Date(2026, 0, 1))).toBe('2026-Q1')
    expect(quarterOf(new Date(2026, 2, 31, 23, 59))).toBe('2026-Q1')
    expect(quarterOf(new Date(2026, 3, 1))).toBe('2026-Q2')
    expect(quarterOf(new Date(2026, 11, 31))).toBe('2026-Q4')
  })
  it('accepts quarter and year periods only', () => {
    expect(isPeriod('2026-Q4')).toBe(true)
    expect(isPeriod('2026')).toBe(true)
    expect(isPeriod('2026-Q5')).toBe(false)
    expect(isPeriod('26-Q1')).toBe(false)
  })
})

describe('measurePoints', () => {
  const wait = formRubric.sections[1]!.items[0] as Extract<RubricItem, { kind: 'measure' }>
  const higher = {
    ...wait,
    better: 'higher' as const,
    bands: [
      { limit: 12, points: 10 },
      { limit: 8, points: 4 },
    ],
  }

  it('gives the first band met, best to worst, and 0 when none is', () => {
    expect([0, 10, 10.01, 20, 20.5].map((v) => measurePoints(wait, v))).toEqual([
      1000, 1000, 500, 500, 0,
    ])
    expect([13, 12, 9, 7].map((v) => measurePoints(higher, v))).toEqual([1000, 1000, 400, 0])
    expect(measurePoints(wait, Number.NaN)).toBeNull()
  })

  it('agrees with the engine for every value it shows', () => {
    for (const v of [0, 3, 10, 15, 20, 21, 99]) {
      const out = scoreEvaluation(formRubric, { wait: { itemId: 'wait', value: v } })
      if (!out.ok) throw new Error('not scored')
      const lost = out.score.lost.find((l) => l.itemId === 'wait')?.lost ?? 0
      expect(measurePoints(wait, v)).toBe(1000 - lost)
    }
  })
})

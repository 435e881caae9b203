import { describe, expect, it } from 'vitest'
import { DEFAULT_POLICY, type Policy } from '../../src/domain/policy'
import { scoreEvaluationOrThrow } from '../../src/domain/scoring'
import {
  countingEvaluation,
  recordFromScore,
  storeResult,
  storeResults,
  type EvaluationRecord,
} from '../../src/domain/store-result'
import { answersFor, rubricScoring, store } from '../helpers/engine-fixtures'

const rec = (
  p: Partial<EvaluationRecord> & Pick<EvaluationRecord, 'reviewer' | 'final'>,
): EvaluationRecord => ({
  storeCode: 'A1',
  submittedAt: '2026-03-01T00:00:00Z',
  ...p,
})

describe('countingEvaluation', () => {
  it('takes the most senior reviewer, group > province > city > self', () => {
    const list = [
      rec({ id: 's', reviewer: 'self', final: 9900, submittedAt: '2026-06-01T00:00:00Z' }),
      rec({ id: 'c', reviewer: 'city', final: 8000 }),
      rec({ id: 'p', reviewer: 'province', final: 8500, submittedAt: '2026-01-01T00:00:00Z' }),
    ]
    expect(countingEvaluation(list, DEFAULT_POLICY)?.id).toBe('p')
    expect(
      countingEvaluation(
        [...list, rec({ id: 'g', reviewer: 'group', final: 7000 })],
        DEFAULT_POLICY,
      )?.id,
    ).toBe('g')
    expect(countingEvaluation(list.slice(0, 2), DEFAULT_POLICY)?.id).toBe('c')
  })

  it("takes that reviewer's latest submission, whatever the input order", () => {
    const a = rec({
      id: 'early',
      reviewer: 'city',
      final: 9000,
      submittedAt: '2026-03-01T08:00:00+08:00',
    })
    const b = rec({
      id: 'late',
      reviewer: 'city',
      final: 8000,
      submittedAt: '2026-03-01T01:00:00Z',
    })
    expect(countingEvaluation([a, b], DEFAULT_POLICY)?.id).toBe('late')
    expect(countingEvaluation([b, a], DEFAULT_POLICY)?.id).toBe('late')
  })

  it('follows a configured precedence', () => {
    const p: Policy = {
      ...DEFAULT_POLICY,
      reviewers: { ...DEFAULT_POLICY.reviewers, precedence: ['city', 'province'] },
    }
    const list = [
      rec({ id: 'p', reviewer: 'province', final: 1 }),
      rec({ id: 'c', reviewer: 'city', final: 2 }),
    ]
    expect(countingEvaluation(list, p)?.id).toBe('c')
    expect(countingEvaluation([rec({ reviewer: 'self', final: 1 })], p)).toBeUndefined()
  })
})

describe('storeResult', () => {
  const s = store({ code: 'A1' })

  it('grades from the counting score', () => {
    const r = storeResult(
      s,
      [rec({ reviewer: 'city', final: 9200, deductions: 100, base: 9300 })],
      DEFAULT_POLICY,
    )
    expect(r).toMatchObject({
      graded: true,
      grade: 'good',
      scoreGrade: 'good',
      final: 9200,
      base: 9300,
      deductions: 100,
      reviewer: 'city',
    })
  })

  it('caps a self-assessment alone at pass and says so', () => {
    const r = storeResult(s, [rec({ reviewer: 'self', final: 9800 })], DEFAULT_POLICY)
    expect(r.scoreGrade).toBe('excellent')
    expect(r.grade).toBe('pass')
    expect(r.notes.map((n) => n.code)).toContain('self-only')
    // a fail stays fail and needs no note
    const f = storeResult(s, [rec({ reviewer: 'self', final: 7000 })], DEFAULT_POLICY)
    expect(f.grade).toBe('fail')
    expect(f.notes).toEqual([])
  })

  it('a red line in the counting evaluation makes the store fail', () => {
    const r = storeResult(
      s,
      [rec({ reviewer: 'province', final: 9600, redLines: ['c3'] })],
      DEFAULT_POLICY,
    )
    expect(r.grade).toBe('fail')
    expect(r.notes[0]?.code).toBe('red-line')
  })

  it('leaves level 4 and partner stores ungraded, with the reason', () => {
    const l4 = storeResult(
      store({ code: 'A1', level: 4 }),
      [rec({ reviewer: 'city', final: 9600 })],
      DEFAULT_POLICY,
    )
    expect(l4).toMatchObject({ graded: false, ungradedReason: 'level-not-graded', final: 9600 })
    expect(l4.grade).toBeUndefined()
    const partner = storeResult(
      store({ code: 'A1', type: 'partner' }),
      [rec({ reviewer: 'city', final: 9600 })],
      DEFAULT_POLICY,
    )
    expect(partner).toMatchObject({ graded: false, ungradedReason: 'type-not-graded' })
  })

  it("a store with no evaluation is ungraded with reason 'no-evaluation'", () => {
    const r = storeResult(
      s,
      [rec({ storeCode: 'OTHER', reviewer: 'city', final: 9000 })],
      DEFAULT_POLICY,
    )
    expect(r).toMatchObject({ graded: false, ungradedReason: 'no-evaluation' })
  })
})

describe('storeResults and recordFromScore', () => {
  it('keeps register order and filters by period', () => {
    const stores = [store({ code: 'B' }), store({ code: 'A' })]
    const records = [
      rec({ storeCode: 'A', reviewer: 'city', final: 9000, period: '2026-Q1' }),
      rec({ storeCode: 'B', reviewer: 'city', final: 8000, period: '2026-Q2' }),
    ]
    const out = storeResults(stores, records, DEFAULT_POLICY, '2026-Q1')
    expect(out.map((r) => [r.storeCode, r.graded])).toEqual([
      ['B', false],
      ['A', true],
    ])
  })

  it('turns a computed score into a record that grades the same', () => {
    const r = rubricScoring(95, 1)
    const score = scoreEvaluationOrThrow(r, answersFor(r, true))
    const record = recordFromScore(score, {
      storeCode: 'A1',
      reviewer: 'province',
      submittedAt: '2026-01-01T00:00:00Z',
    })
    expect(record).toMatchObject({
      final: 9600,
      base: 9500,
      bonus: 100,
      deductions: 0,
      redLines: [],
    })
    expect(storeResult(store({ code: 'A1' }), [record], DEFAULT_POLICY).grade).toBe('excellent')
  })
})

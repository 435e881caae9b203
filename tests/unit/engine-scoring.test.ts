import { describe, expect, it } from 'vitest'
import { DEFAULT_POLICY } from '../../src/domain/policy'
import { measurePoints } from '../../src/domain/measure-points'
import {
  ScoringFailure,
  scoreEvaluation,
  scoreEvaluationOrThrow,
  scoreSoFar,
  type EvaluationScore,
  type ScoringError,
} from '../../src/domain/scoring'
import type { Answers } from '../../src/domain/types'
import type { Rubric } from '../../src/domain/rubric-schema'
import {
  SRC,
  answers,
  answersFor,
  item,
  label,
  rubric,
  rubricScoring,
  section,
} from '../helpers/engine-fixtures'

/** Section A (40): every item kind; section B (60): yes/no items that may be N/A. */
const R = rubric(
  [
    section('A', 40, [
      item({ id: 'a1', kind: 'yesno', max: 10, redLine: true }),
      item({ id: 'a2', kind: 'scale', max: 10, step: 2.5 }),
      item({ id: 'a3', kind: 'count', max: 10, perOccurrence: 2 }),
      item({
        id: 'a4',
        kind: 'measure',
        max: 10,
        allowNA: true,
        unit: label('minutes'),
        better: 'lower',
        bands: [
          { limit: 15, points: 10 },
          { limit: 30, points: 5 },
        ],
      }),
    ]),
    section('B', 60, [
      item({ id: 'b1', kind: 'yesno', max: 5, allowNA: true }),
      item({ id: 'b2', kind: 'yesno', max: 5, allowNA: true, evidence: 'photo' }),
      item({ id: 'b3', kind: 'yesno', max: 10, allowNA: true, evidence: 'none' }),
    ]),
  ],
  {
    bonus: {
      cap: 3,
      items: [
        { id: 'x1', label: label('x1'), hint: label('x1'), source: SRC, kind: 'yesno', points: 2 },
        {
          id: 'x2',
          label: label('x2'),
          hint: label('x2'),
          source: SRC,
          kind: 'count',
          points: 1,
          max: 2,
        },
      ],
    },
    deductions: {
      items: [
        { id: 'd1', label: label('d1'), hint: label('d1'), source: SRC, kind: 'yesno', points: 5 },
        {
          id: 'd2',
          label: label('d2'),
          hint: label('d2'),
          source: SRC,
          kind: 'count',
          points: 1,
          max: 3,
        },
        {
          id: 'd3',
          label: label('d3'),
          hint: label('d3'),
          source: SRC,
          kind: 'yesno',
          points: 1,
          redLine: true,
        },
      ],
    },
  },
)

const FULL: Answers = answers([
  { id: 'a1', value: true },
  { id: 'a2', value: 10 },
  { id: 'a3', value: 0 },
  { id: 'a4', value: 12 },
  { id: 'b1', value: true },
  { id: 'b2', value: true },
  { id: 'b3', value: true },
])

function ok(r: Rubric, a: Answers): EvaluationScore {
  const out = scoreEvaluation(r, a, DEFAULT_POLICY)
  if (!out.ok) throw new Error(`unexpected errors: ${out.errors.map((e) => e.message).join('; ')}`)
  return out.score
}

function errors(r: Rubric, a: Answers): ScoringError[] {
  const out = scoreEvaluation(r, a, DEFAULT_POLICY)
  if (out.ok) throw new Error('expected errors')
  return out.errors
}

const withA = (patch: Answers): Answers => ({ ...FULL, ...patch })

describe('scoreEvaluation: totals', () => {
  it('full marks give exactly 100 and excellent', () => {
    const s = ok(R, FULL)
    expect(s.base).toBe(10000)
    expect(s.final).toBe(10000)
    expect(s.grade).toBe('excellent')
    expect(s.complete).toBe(true)
    expect(s.answered).toBe(7)
    expect(s.total).toBe(7)
    expect(s.lost).toEqual([])
    expect(s.sections.map((x) => [x.sectionId, x.score, x.effectiveWeight])).toEqual([
      ['A', 4000, 4000],
      ['B', 6000, 6000],
    ])
  })

  it('section score = weight × earned / applicable max', () => {
    // A earns 10 + 7.5 + 4 + 5 = 26.5 of 40 → 40 × 26.5 / 40 = 26.5
    const s = ok(
      R,
      withA(
        answers([
          { id: 'a2', value: 7.5, note: 'n' },
          { id: 'a3', value: 3, note: 'n' },
          { id: 'a4', value: 20, note: 'n' },
        ]),
      ),
    )
    expect(s.sections[0]?.earned).toBe(2650)
    expect(s.sections[0]?.score).toBe(2650)
    expect(s.base).toBe(8650)
  })

  it('rounds half up once per section and sums the section Centi', () => {
    const r = rubric([
      section(
        'P',
        50,
        [1, 2, 3].map((n) => item({ id: `p${n}`, kind: 'yesno', max: 1 })),
      ),
      section(
        'Q',
        50,
        [1, 2, 3].map((n) => item({ id: `q${n}`, kind: 'yesno', max: 1 })),
      ),
    ])
    const a = answers([
      { id: 'p1', value: true },
      { id: 'p2', value: false, note: 'x' },
      { id: 'p3', value: false, note: 'x' },
      { id: 'q1', value: true },
      { id: 'q2', value: false, note: 'x' },
      { id: 'q3', value: false, note: 'x' },
    ])
    const s = ok(r, a)
    // 50 × 1/3 = 16.666… → 16.67 per section, so 33.34 (not 33.33 from rounding the total)
    expect(s.sections.map((x) => x.score)).toEqual([1667, 1667])
    expect(s.base).toBe(3334)
  })

  it('89.95 + 0.05 bonus is exactly 90.00 and good', () => {
    const r = rubricScoring(89.95, 0.05)
    const s = ok(r, answersFor(r, true))
    expect(s.base).toBe(8995)
    expect(s.bonus).toBe(5)
    expect(s.final).toBe(9000)
    expect(s.grade).toBe('good')
  })

  it.each([
    [79.99, 'fail'],
    [80, 'pass'],
    [89.99, 'pass'],
    [90, 'good'],
    [94.99, 'good'],
    [95, 'excellent'],
    [100, 'excellent'],
  ] as const)('a final score of %s is %s', (points, grade) => {
    const r = rubricScoring(points)
    const s = ok(r, answersFor(r))
    expect(s.final).toBe(Math.round(points * 100))
    expect(s.grade).toBe(grade)
  })

  // Policy 1.1.0 caps the final at 100 (the seeds grade on a 100-point scale); before, bonus
  // lifted a full score to 103. The cap can be switched off.
  it('bonus never lifts the final above the policy score cap; the bonus earned is kept', () => {
    const r = rubricScoring(100, 3)
    const s = ok(r, answersFor(r, true))
    expect(s.final).toBe(10000)
    expect(s.bonus).toBe(300)
    expect(s.bonusCounted).toBe(0)
    expect(s.grade).toBe('excellent')
    const off = scoreEvaluation(r, answersFor(r, true), { ...DEFAULT_POLICY, scoreCap: null })
    expect(off.ok && off.score.final).toBe(10300)
    expect(off.ok && off.score.bonusCounted).toBe(300)
    const at101 = scoreEvaluation(r, answersFor(r, true), { ...DEFAULT_POLICY, scoreCap: 101 })
    expect(at101.ok && at101.score.final).toBe(10100)
  })

  it('89.999 is not a score the engine can produce or accept', () => {
    expect(() => rubricScoring(89.999)).toThrow() // rubric points have at most two decimals
    const errs = errors(R, withA(answers([{ id: 'a2', value: 2.501 }])))
    expect(errs[0]?.code).toBe('not-a-step')
  })
})

describe('scoreEvaluation: item kinds', () => {
  const sectionA = (patch: Answers) => ok(R, withA(patch)).sections[0]?.earned
  it('yesno gives max or 0', () => {
    expect(sectionA(answers([{ id: 'a1', value: false }]))).toBe(3000)
  })
  it('scale gives the value, a multiple of step in 0..max', () => {
    expect(sectionA(answers([{ id: 'a2', value: 0, note: 'n' }]))).toBe(3000)
    expect(sectionA(answers([{ id: 'a2', value: 2.5, note: 'n' }]))).toBe(3250)
  })
  it('count loses perOccurrence each time and never goes below 0', () => {
    expect(sectionA(answers([{ id: 'a3', value: 1, note: 'n' }]))).toBe(3800)
    expect(sectionA(answers([{ id: 'a3', value: 5, note: 'n' }]))).toBe(3000)
    expect(sectionA(answers([{ id: 'a3', value: 9, note: 'n' }]))).toBe(3000)
  })
  it('measure (lower is better) takes the first band whose limit ≥ value; none → 0', () => {
    expect(sectionA(answers([{ id: 'a4', value: 15 }]))).toBe(4000)
    expect(sectionA(answers([{ id: 'a4', value: 15.01, note: 'n' }]))).toBe(3500)
    expect(sectionA(answers([{ id: 'a4', value: 30, note: 'n' }]))).toBe(3500)
    expect(sectionA(answers([{ id: 'a4', value: 31, note: 'n' }]))).toBe(3000)
  })
  // Issue 11: a wait of −5 minutes matched the best band and got full marks.
  it('a measured value must be a finite number ≥ 0', () => {
    const e = errors(R, { ...FULL, ...answers([{ id: 'a4', value: -5 }]) })
    expect(e.map((x) => [x.code, x.itemId])).toEqual([['out-of-range', 'a4']])
    expect(e[0]?.message).toMatch(/cannot be negative/)
    expect(errors(R, { ...FULL, ...answers([{ id: 'a4', value: Infinity }]) })[0]?.code).toBe(
      'wrong-type',
    )
    expect(sectionA(answers([{ id: 'a4', value: 0 }]))).toBe(4000)
    expect(measurePoints(R.sections[0]!.items[3] as never, -5)).toBeNull()
  })

  it('measure (higher is better) takes the first band whose limit ≤ value', () => {
    const r = rubric([
      section('H', 100, [
        item({
          id: 'h',
          kind: 'measure',
          max: 4,
          unit: label('hours'),
          better: 'higher',
          bands: [
            { limit: 10, points: 4 },
            { limit: 8, points: 2 },
          ],
          evidence: 'none',
        }),
      ]),
    ])
    const earned = (v: number) => ok(r, answers([{ id: 'h', value: v }])).sections[0]?.earned
    expect(earned(12)).toBe(400)
    expect(earned(10)).toBe(400)
    expect(earned(9)).toBe(200)
    expect(earned(7.5)).toBe(0)
  })
})

describe('scoreEvaluation: not applicable', () => {
  it('an N/A item leaves the section, its points re-spread over the other items', () => {
    const s = ok(
      R,
      withA(
        answers([
          { id: 'a4', na: true },
          { id: 'a2', value: 5, note: 'n' },
        ]),
      ),
    )
    const a = s.sections[0]
    expect(a?.applicableMax).toBe(3000)
    expect(a?.earned).toBe(2500)
    expect(a?.score).toBe(3333) // 40 × 25/30 = 33.333…
    expect(s.answered).toBe(7)
  })

  it('a section with every item N/A drops out and its weight goes to the others', () => {
    const s = ok(
      R,
      withA(
        answers([
          { id: 'b1', na: true },
          { id: 'b2', na: true },
          { id: 'b3', na: true },
        ]),
      ),
    )
    expect(s.sections[1]).toMatchObject({ applicable: false, score: 0, effectiveWeight: 0 })
    expect(s.sections[0]).toMatchObject({ applicable: true, effectiveWeight: 10000, score: 10000 })
    expect(s.base).toBe(10000)
  })

  it('re-spread weights still sum to exactly 100 when they do not divide evenly', () => {
    const r = rubric(
      ['W', 'X', 'Y', 'Z'].map((id) =>
        section(id, 25, [item({ id: `${id}1`, kind: 'yesno', max: 1, allowNA: true })]),
      ),
    )
    const s = ok(
      r,
      answers([
        { id: 'W1', value: true },
        { id: 'X1', value: true },
        { id: 'Y1', value: true },
        { id: 'Z1', na: true },
      ]),
    )
    expect(s.sections.map((x) => x.effectiveWeight)).toEqual([3334, 3333, 3333, 0])
    expect(s.base).toBe(10000)
  })

  it('N/A where the rubric does not allow it is an error', () => {
    expect(errors(R, withA(answers([{ id: 'a1', na: true }])))[0]).toMatchObject({
      code: 'na-not-allowed',
      itemId: 'a1',
    })
  })

  it('every section N/A is an error, not a score of 0', () => {
    const r = rubric([
      section('S', 100, [item({ id: 's1', kind: 'yesno', max: 1, allowNA: true })]),
    ])
    expect(errors(r, answers([{ id: 's1', na: true }]))[0]?.code).toBe('all-not-applicable')
  })
})

describe('scoreSoFar (the live panel mid-visit)', () => {
  it('scores only the answered items: open items leave the maximum instead of earning 0', () => {
    const a = answers([
      { id: 'a1', value: true },
      { id: 'a2', value: 5, note: 'n' },
    ])
    const full = ok(R, a)
    const soFar = scoreSoFar(R, a)!
    expect(full.complete).toBe(false)
    // a1 10/10 + a2 5/10 = 15 of 20 answered in A; A is the only section with answers
    expect(soFar.final).toBe(7500)
    expect(soFar.complete).toBe(false)
    expect(soFar.unanswered).toEqual(full.unanswered)
    expect(soFar.answered).toBe(2)
    expect(full.final).toBeLessThan(soFar.final)
  })

  it('equals the full score once everything is answered, and is null with nothing answered', () => {
    expect(scoreSoFar(R, FULL)).toEqual(ok(R, FULL))
    expect(scoreSoFar(R, {})).toBeNull()
    // an invalid answer: no score so far either
    expect(scoreSoFar(R, answers([{ id: 'a4', value: -1 }]))).toBeNull()
  })
})

describe('scoreEvaluation: bonus, deductions, red lines', () => {
  it('caps the bonus at the rubric cap and each count item at its max', () => {
    const s = ok(R, {
      ...FULL,
      ...answers([
        { id: 'x1', value: true },
        { id: 'x2', value: 5 },
      ]),
    })
    expect(s.bonusUncapped).toBe(400) // 2 + min(5 × 1, 2)
    expect(s.bonus).toBe(300)
    // full marks already: the bonus is earned but cannot go past the 100-point cap
    expect(s.final).toBe(10000)
    expect(s.bonusCounted).toBe(0)
  })

  it('subtracts deductions (each capped at its max) and floors the final at 0', () => {
    const s = ok(R, {
      ...FULL,
      ...answers([
        { id: 'd1', value: true, note: 'n' },
        { id: 'd2', value: 10, note: 'n' },
      ]),
    })
    expect(s.deductions).toBe(800)
    expect(s.final).toBe(9200)
    expect(s.grade).toBe('good')
    expect(s.lost).toEqual([
      { itemId: 'd1', lost: 500, kind: 'deduction' },
      { itemId: 'd2', lost: 300, kind: 'deduction' },
    ])
    const r = rubricScoring(5)
    const withDeduction = rubric(r.sections as never, {
      deductions: {
        items: [
          {
            id: 'dd',
            label: label('dd'),
            hint: label('dd'),
            source: SRC,
            kind: 'yesno',
            points: 20,
          },
        ],
      },
    })
    const z = ok(withDeduction, {
      ...answersFor(r),
      ...answers([{ id: 'dd', value: true, note: 'n' }]),
    })
    expect(z.base).toBe(500)
    expect(z.final).toBe(0)
  })

  it('a failed red-line item forces fail whatever the score, and says why', () => {
    const s = ok(R, withA(answers([{ id: 'a1', value: false, note: 'n' }])))
    expect(s.final).toBe(9000)
    expect(s.scoreGrade).toBe('good')
    expect(s.grade).toBe('fail')
    expect(s.redLines).toEqual(['a1'])
    expect(s.reasons[0]).toMatchObject({ code: 'red-line-item', params: { itemId: 'a1' } })
  })

  it('a red-line deduction with any occurrence forces fail even at 100 points', () => {
    const s = ok(R, { ...FULL, ...answers([{ id: 'd3', value: true, note: 'n' }]) })
    expect(s.final).toBe(9900)
    expect(s.grade).toBe('fail')
    expect(s.redLines).toEqual(['d3'])
    expect(ok(R, { ...FULL, ...answers([{ id: 'd3', value: false }]) }).grade).toBe('excellent')
  })

  it('a bonus cannot offset a red line back to full marks (一票否决: no bonus after a red line)', () => {
    const s = ok(R, {
      ...FULL,
      ...answers([
        { id: 'x1', value: true },
        { id: 'd3', value: true, note: 'n' },
      ]),
    })
    expect(s.bonus).toBeGreaterThan(0)
    expect(s.bonusCounted).toBe(0)
    expect(s.final).toBe(9900)
    expect(s.grade).toBe('fail')
  })

  it('bonus restores lost points up to the cap', () => {
    const s = ok(R, {
      ...FULL,
      ...answers([
        { id: 'd1', value: true, note: 'n' },
        { id: 'x1', value: true },
      ]),
    })
    expect(s.deductions).toBeGreaterThan(0)
    expect(s.final).toBe(Math.min(10000, 10000 + s.bonus - s.deductions))
    expect(s.bonusCounted).toBe(s.final - (10000 - s.deductions))
  })

  it('an unanswered red-line item does not trigger, but the result is incomplete', () => {
    const rest = { ...FULL }
    delete rest.a1
    const s = ok(R, rest)
    expect(s.redLines).toEqual([])
    expect(s.complete).toBe(false)
  })
})

describe('scoreEvaluation: evidence and completeness', () => {
  it('lists items that lost points without the evidence their rule asks for', () => {
    const s = ok(
      R,
      withA(
        answers([
          { id: 'a2', value: 5 }, // rubric default photo-or-note: missing
          { id: 'a3', value: 1, note: '  ' }, // blank note does not count
          { id: 'a4', value: 20, photoIds: ['p1'] }, // photo is enough
          { id: 'b2', value: false, note: 'no photo' }, // item asks for a photo
          { id: 'b3', value: false }, // evidence none
        ]),
      ),
    )
    expect(s.missingEvidence).toEqual(['a2', 'a3', 'b2'])
    expect(s.lost.map((l) => [l.itemId, l.lost])).toEqual([
      ['a2', 500],
      ['a3', 200],
      ['a4', 500],
      ['b2', 500],
      ['b3', 1000],
    ])
  })

  it('unanswered items earn 0 and make the result incomplete', () => {
    const s = ok(R, answers([{ id: 'a1', value: true }]))
    expect(s.complete).toBe(false)
    expect(s.answered).toBe(1)
    expect(s.unanswered).toEqual(['a2', 'a3', 'a4', 'b1', 'b2', 'b3'])
    expect(s.sections[0]?.score).toBe(1000) // 40 × 10/40
    expect(s.sections[1]?.score).toBe(0)
    expect(s.final).toBe(1000)
  })

  it('a null value counts as unanswered', () => {
    expect(ok(R, withA(answers([{ id: 'b1', value: null }]))).unanswered).toEqual(['b1'])
  })
})

describe('scoreEvaluation: invalid input', () => {
  it('reports every bad answer with a code and the item, never coerces', () => {
    const errs = errors(
      R,
      withA(
        answers([
          { id: 'a1', value: 1 },
          { id: 'a2', value: 12.5 },
          { id: 'a3', value: 1.5 },
          { id: 'a4', value: Number.NaN },
          { id: 'b1', value: 'yes' as unknown as boolean },
          { id: 'x2', value: -1 },
          { id: 'x1', na: true },
          { id: 'zz', value: true },
        ]),
      ),
    )
    expect(errs.map((e) => [e.code, e.itemId])).toEqual(
      expect.arrayContaining([
        ['wrong-type', 'a1'],
        ['out-of-range', 'a2'],
        ['not-an-integer', 'a3'],
        ['wrong-type', 'a4'],
        ['wrong-type', 'b1'],
        ['out-of-range', 'x2'],
        ['na-not-allowed', 'x1'],
        ['unknown-item', 'zz'],
      ]),
    )
    expect(errs).toHaveLength(8)
    expect(errs.every((e) => e.message.length > 0)).toBe(true)
  })

  it('rejects a scale value between steps and a negative count', () => {
    expect(errors(R, withA(answers([{ id: 'a2', value: 3 }])))[0]?.code).toBe('not-a-step')
    expect(errors(R, withA(answers([{ id: 'a3', value: -1 }])))[0]?.code).toBe('out-of-range')
  })

  it('rejects an answer filed under another item id', () => {
    expect(errors(R, { ...FULL, a1: { itemId: 'a2', value: true } })[0]?.code).toBe(
      'item-id-mismatch',
    )
  })

  it('refuses a rubric whose section weights do not sum to 100', () => {
    const r = rubric([
      section('A', 60, [item({ id: 'a', kind: 'yesno', max: 1 })]),
      section('B', 30, [item({ id: 'b', kind: 'yesno', max: 1 })]),
    ])
    expect(errors(r, answers([{ id: 'a', value: true }]))[0]?.code).toBe('weights-sum')
  })

  it('refuses an unscored checklist rubric', () => {
    const r = rubric([section('A', 100, [item({ id: 'a', kind: 'yesno', max: 1 })])], {
      scored: false,
    })
    expect(errors(r, {})[0]?.code).toBe('rubric-not-scored')
  })

  it('scoreEvaluationOrThrow throws a ScoringFailure carrying the errors', () => {
    expect(() => scoreEvaluationOrThrow(R, withA(answers([{ id: 'a1', value: 3 }])))).toThrow(
      ScoringFailure,
    )
    expect(scoreEvaluationOrThrow(R, FULL).final).toBe(10000)
  })
})

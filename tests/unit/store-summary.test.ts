import { describe, expect, it } from 'vitest'
import { DEFAULT_POLICY } from '@/domain/policy'
import type { EvaluationScore, SectionScore } from '@/domain/scoring'
import {
  compactSections,
  compareSections,
  countingOf,
  lastGrade,
  sectionBriefs,
  sectionShare,
  type ScoredEvaluation,
} from '@/domain/store-summary'
import type { Store } from '@/domain/types'

const section = (
  sectionId: string,
  score: number,
  effectiveWeight: number,
  applicable = true,
): SectionScore => ({
  sectionId,
  weight: effectiveWeight,
  effectiveWeight,
  earned: 0,
  applicableMax: 0,
  score,
  applicable,
  answered: 0,
  total: 0,
})

function result(
  final: number,
  sections: SectionScore[],
  rubricId = 'r',
  grade: EvaluationScore['grade'] = 'good',
): EvaluationScore {
  return {
    rubricId,
    rubricVersion: '1.0.0',
    base: final,
    bonus: 0,
    bonusUncapped: 0,
    deductions: 0,
    final,
    grade,
    scoreGrade: grade,
    sections,
    redLines: [],
    reasons: [],
    lost: [],
    missingEvidence: [],
    unanswered: [],
    answered: 0,
    total: 0,
    complete: true,
  }
}

let seq = 0
const ev = (
  over: Partial<ScoredEvaluation> & { result: EvaluationScore | null },
): ScoredEvaluation => ({
  id: `e${++seq}`,
  storeCode: 'S1',
  period: '2026-Q4',
  reviewer: 'city',
  status: 'submitted',
  submittedAt: '2026-11-01T10:00:00Z',
  ...over,
})

const store: Store = { code: 'S1', name: 'x', province: 'p', city: 'c', level: 2, type: 'self' }

describe('countingOf', () => {
  it('takes the latest period, then the most senior reviewer, ignoring drafts and unscored ones', () => {
    const old = ev({ period: '2026-Q3', reviewer: 'group', result: result(9900, []) })
    const self = ev({
      reviewer: 'self',
      submittedAt: '2026-12-01T00:00:00Z',
      result: result(9800, []),
    })
    const city = ev({ reviewer: 'city', result: result(9000, []) })
    const draft = ev({ reviewer: 'province', status: 'draft', submittedAt: null, result: null })
    expect(countingOf([old, self, city, draft], DEFAULT_POLICY)?.id).toBe(city.id)
    expect(countingOf([old, self, city], DEFAULT_POLICY, '2026-Q3')?.id).toBe(old.id)
    expect(countingOf([draft], DEFAULT_POLICY)).toBeUndefined()
  })
})

describe('sectionShare and compareSections', () => {
  it('gives shares of the effective weight in hundredths of a percent, null when N/A', () => {
    expect(sectionShare(section('a', 1500, 2000))).toBe(7500)
    expect(sectionShare(section('a', 0, 0, false))).toBeNull()
    // 2/3 of the section: rounded, not truncated.
    expect(sectionShare(section('a', 2000, 3000))).toBe(6667)
  })

  it('averages the city per section over results of the same rubric only', () => {
    const own = result(9000, [section('a', 1800, 2000), section('b', 0, 0, false)])
    const peer = result(8000, [section('a', 1000, 2000), section('b', 500, 1000)])
    const other = result(5000, [section('a', 0, 2000)], 'another-rubric')
    expect(compareSections(own, [own, peer, other])).toEqual([
      { sectionId: 'a', store: 9000, city: 7000, cityCount: 2 },
      { sectionId: 'b', store: null, city: 5000, cityCount: 1 },
    ])
  })
})

describe('compactSections', () => {
  it('stores briefs as parallel arrays, N/A as a null score, and expands them back unchanged', () => {
    const briefs = [
      section('a', 5400, 6000),
      section('b', 0, 0, false),
      section('c', 3100, 4000),
    ].map(({ sectionId, score, effectiveWeight, applicable }) => ({
      sectionId,
      score,
      effectiveWeight,
      applicable,
    }))
    const compact = compactSections(briefs)
    expect(compact).toEqual({
      ids: ['a', 'b', 'c'],
      scores: [5400, null, 3100],
      weights: [6000, 0, 4000],
    })
    expect(sectionBriefs(compact)).toEqual(briefs)
    expect(sectionBriefs(compactSections([]))).toEqual([])
  })
})

describe('lastGrade', () => {
  it('caps a self-assessment alone at pass, marks ungraded stores, and is empty without a submission', () => {
    const self = ev({ reviewer: 'self', result: result(9700, [], 'r', 'excellent') })
    expect(lastGrade(store, [self], DEFAULT_POLICY)).toBe('pass')
    expect(
      lastGrade(store, [self, ev({ reviewer: 'city', result: result(9700, []) })], DEFAULT_POLICY),
    ).toBe('excellent')
    expect(lastGrade({ ...store, level: 4 }, [self], DEFAULT_POLICY)).toBe('ungraded')
    expect(lastGrade({ ...store, type: 'partner' }, [self], DEFAULT_POLICY)).toBe('ungraded')
    expect(lastGrade(store, [], DEFAULT_POLICY)).toBeUndefined()
  })
})

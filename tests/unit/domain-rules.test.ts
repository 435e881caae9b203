/** The rules that moved out of src/db, tested on plain data (no database). */
import { describe, expect, it } from 'vitest'
import { hasEvidence, isAnswered } from '@/domain/answers'
import {
  exportPhotoIds,
  exportScope,
  importedEvaluation,
  markExported,
  signerTrust,
  trustAfterImport,
} from '@/domain/exchange-rules'
import { matchBand } from '@/domain/measure-points'
import type { CertificationEntry, CorrectiveAction, Evaluation } from '@/domain/records'
import { reduceResults, summaryOf, type ResultRow } from '@/domain/result-rows'
import type { EvaluationScore } from '@/domain/scoring'
import type { Store } from '@/domain/types'
import { DEFAULT_POLICY } from '@/domain/policy'
import { rankPeriod } from '@/domain/rankings-pipeline'
import { noteText } from '@/domain/words'
import { rankingExportData } from '@/io/ranking-export'

const store = (code: string, city: string): Store => ({
  code,
  name: code,
  province: '江苏',
  city,
  level: 1,
  type: 'self',
})
const evaluation = (
  id: string,
  over: Partial<Evaluation<EvaluationScore>> = {},
): Evaluation<EvaluationScore> => ({
  id,
  storeCode: 'A',
  period: '2026-Q4',
  reviewer: 'city',
  evaluatorName: '李娜',
  rubricId: 'r',
  rubricVersion: '1.0.0',
  status: 'submitted',
  answers: {},
  revision: 1,
  revisionOf: null,
  createdAt: '2026-12-01T00:00:00Z',
  updatedAt: '2026-12-01T00:00:00Z',
  submittedAt: '2026-12-01T00:00:00Z',
  result: null,
  editSeq: 3,
  ...over,
})

describe('answers', () => {
  it('answered: N/A or a value (false and 0 count)', () => {
    expect(isAnswered(undefined)).toBe(false)
    expect(isAnswered({ itemId: 'x', value: null })).toBe(false)
    expect(isAnswered({ itemId: 'x', value: false })).toBe(true)
    expect(isAnswered({ itemId: 'x', value: 0 })).toBe(true)
    expect(isAnswered({ itemId: 'x', na: true })).toBe(true)
  })
  it('evidence: photo, a note that is not blank, either, or none', () => {
    const a = { itemId: 'x', value: false, note: '  ' }
    expect(hasEvidence('note', a)).toBe(false)
    expect(hasEvidence('photo-or-note', { ...a, photoIds: ['p'] })).toBe(true)
    expect(hasEvidence('photo', { ...a, note: '有' })).toBe(false)
    expect(hasEvidence('none', undefined)).toBe(true)
  })
})

describe('measure bands', () => {
  const bands = [
    { limit: 30, points: 3 },
    { limit: 45, points: 2.5 },
  ]
  it('the first band met, best to worst; none met: null', () => {
    expect(matchBand('lower', bands, 30)?.points).toBe(3)
    expect(matchBand('lower', bands, 31)?.points).toBe(2.5)
    expect(matchBand('lower', bands, 46)).toBeNull()
    expect(matchBand('higher', [{ limit: 10 }, { limit: 8 }], 9)).toEqual({ limit: 8 })
  })
})

describe('results projection and the pending rule', () => {
  it('a draft has no row; a sent-back store is held out until a newer submission', () => {
    expect(summaryOf(evaluation('d', { status: 'draft' }))).toBeNull()
    const score = {
      rubricId: 'r',
      rubricVersion: '1.0.0',
      base: 9000,
      bonus: 0,
      deductions: 0,
      final: 9000,
      grade: 'good' as const,
      scoreGrade: 'good' as const,
      redLines: [],
      sections: { ids: [], earned: [], max: [], weights: [] } as never,
    }
    const returned = summaryOf(
      evaluation('e1', {
        status: 'returned',
        updatedAt: '2026-12-05T00:00:00Z',
        returnedReason: '照片不清',
      }),
    )!
    const older: ResultRow = { ...summaryOf(evaluation('e0'))!, score }
    expect(returned).toMatchObject({
      returnedAt: '2026-12-05T00:00:00Z',
      returnedReason: '照片不清',
    })
    const held = reduceResults([returned, older])
    expect(held.pending.get('A')).toBe('照片不清')
    expect(held.records).toEqual([])
    const newer: ResultRow = {
      ...summaryOf(evaluation('e2', { submittedAt: '2026-12-06T00:00:00Z' }))!,
      score,
    }
    const back = reduceResults([returned, older, newer])
    expect(back.pending.size).toBe(0)
    expect(back.records.map((r) => r.id)).toEqual(['e0', 'e2'])
  })

  it('a send-back keeps the store out of the certified list, its evaluation shown and marked', () => {
    const score = (final: number) => ({
      rubricId: 'r',
      rubricVersion: '1.0.0',
      base: final,
      bonus: 0,
      deductions: 0,
      final,
      grade: 'good' as const,
      scoreGrade: 'good' as const,
      redLines: [],
      sections: { ids: [], earned: [], max: [], weights: [] } as never,
    })
    const self: ResultRow = {
      ...summaryOf(evaluation('s', { reviewer: 'self', evaluatorName: '厅经理' }))!,
      score: score(9265),
    }
    const city: ResultRow = {
      ...summaryOf(
        evaluation('c', {
          status: 'returned',
          submittedAt: '2026-12-02T00:00:00Z',
          updatedAt: '2026-12-05T00:00:00Z',
          returnedReason: '照片不清',
        }),
      )!,
      score: score(9200),
    }
    const reduced = reduceResults([self, city])
    expect(reduced.heldBack.get('A')).toMatchObject({ id: 'c', final: 9200, reviewer: 'city' })
    const { rows, proposal } = rankPeriod({
      register: [store('A', '南京'), store('B', '南京')],
      records: reduced.records,
      policy: DEFAULT_POLICY,
      extras: reduced,
    })
    const a = rows.find((r) => r.code === 'A')!
    expect(a).toMatchObject({
      graded: false,
      certifiedGrade: null,
      ungradedReason: 'pending',
      final: 9200,
      reviewer: 'city',
      evaluatorName: '李娜',
      rankCity: null,
    })
    expect(a.notes.map((n) => noteText(n, 'zh'))).toEqual(['退回复查中：照片不清'])
    expect(a.notes.map((n) => noteText(n, 'en'))).toEqual(['Sent back for re-inspection: 照片不清'])
    expect(proposal.outcomes.find((o) => o.storeCode === 'A')?.graded ?? false).toBe(false)
    // The same words in the files.
    const file = rankingExportData({
      ranked: rankPeriod({
        register: [store('A', '南京')],
        records: reduced.records,
        policy: DEFAULT_POLICY,
        extras: reduced,
      }),
    })
    expect(file.stores[0]).toMatchObject({ score: 92, certifiedGrade: 'ungraded', rankCity: null })
    expect(file.stores[0]!.notes.map((n) => noteText(n, 'zh'))).toEqual(['退回复查中：照片不清'])
  })
})

describe('exchange rules', () => {
  it('export scope: the period, the stores and their units, actions of those evaluations', () => {
    const stores = [store('A', '南京')]
    const cert = (id: string, over: Partial<CertificationEntry>): CertificationEntry => ({
      id,
      kind: 'step',
      period: '2026-Q4',
      unit: '南京',
      step: 'city-certify',
      actor: 'x',
      at: '2026-12-01',
      payload: null,
      ...over,
    })
    const action = (id: string, evaluationId: string): CorrectiveAction => ({
      id,
      storeCode: 'A',
      evaluationId,
      itemId: 'i',
      what: '',
      who: '',
      due: '2027-01-01',
      status: 'open',
      createdAt: '',
      doneAt: null,
      doneEvaluationId: null,
      evidenceNote: null,
      evidencePhotoIds: ['ap'],
    })
    const scope = exportScope({
      stores,
      evaluations: [
        evaluation('q4', { answers: { i: { itemId: 'i', value: false, photoIds: ['p1'] } } }),
        evaluation('q3', { period: '2026-Q3', rubricVersion: '0.9.0' }),
      ],
      certification: [
        cert('c1', {}),
        cert('c2', { unit: '苏州' }),
        cert('c3', { period: '2026-Q3' }),
        cert('c4', { unit: '苏州', storeCode: 'A', kind: 'override' }),
      ],
      actions: [action('a1', 'q4'), action('a2', 'q3')],
      period: '2026-Q4',
    })
    expect(scope.evaluations.map((e) => e.id)).toEqual(['q4'])
    expect(scope.certification.map((c) => c.id)).toEqual(['c1', 'c4'])
    expect(scope.actions.map((a) => a.id)).toEqual(['a1'])
    expect(scope.rubricKeys).toEqual(['r@1.0.0'])
    expect(exportPhotoIds(['p0', 'p1'], scope.evaluations, scope.actions)).toEqual([
      'ap',
      'p0',
      'p1',
    ])
    const all = exportScope({
      stores,
      evaluations: [],
      certification: [],
      actions: [action('a2', 'q3')],
    })
    expect(all.actions).toHaveLength(1)
  })

  it('trust on first use: remembered once, a changed key is not accepted', () => {
    expect(signerTrust({}, 'dev', 'f1')).toBe('first-seen')
    const list = trustAfterImport({}, 'dev', 'f1')!
    expect(signerTrust(list, 'dev', 'f1')).toBe('known')
    expect(signerTrust(list, 'dev', 'f2')).toBe('changed')
    expect(trustAfterImport(list, 'dev', 'f2')).toBeNull()
    expect(trustAfterImport(list, 'other', undefined)).toBeNull()
  })

  it('an imported evaluation goes past both edit counters; drafts are never marked sent', () => {
    expect(
      importedEvaluation(evaluation('e', { editSeq: 2 }), evaluation('e', { editSeq: 7 })).editSeq,
    ).toBe(8)
    expect(importedEvaluation(evaluation('e', { editSeq: 2 }), undefined).editSeq).toBe(2)
    expect(
      markExported({ old: 't0' }, [evaluation('s'), evaluation('d', { status: 'draft' })], 't1'),
    ).toEqual({ old: 't0', s: 't1' })
  })
})

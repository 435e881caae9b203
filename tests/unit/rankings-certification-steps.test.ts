import { describe, expect, it } from 'vitest'
import {
  DEFAULT_POLICY,
  proposeCertification,
  storeResults,
  type EvaluationRecord,
  type Policy,
} from '@/domain'
import {
  overridesFromLog,
  standings,
  stepBlockers,
  stepDone,
  policyWith,
} from '@/domain/certification-steps'
import { recordStage, stepStatuses } from '@/domain/certification-record'
import { whatIf } from '@/domain/rankings-pipeline'
import type { CertificationEntry } from '@/domain/records'
import type { Store } from '@/domain/types'

const policy = (patch: Partial<Policy>): Policy => ({ ...DEFAULT_POLICY, ...patch })

/** 40 graded stores in one province (two cities): 2 excellent places, 8 good places. */
function province() {
  const stores: Store[] = Array.from({ length: 40 }, (_, i) => ({
    code: `S${String(i).padStart(2, '0')}`,
    name: `店${i}`,
    province: '江苏',
    city: i % 2 ? '南京' : '苏州',
    level: 2,
    type: 'self',
  }))
  // Scores 99.00 down by 0.25: S00..S16 ≥ 95 (17 excellent nominees), S17..S36 ≥ 90 (20 good).
  const records: EvaluationRecord[] = stores.map((s, i) => ({
    id: `e${i}`,
    storeCode: s.code,
    reviewer: 'city',
    submittedAt: '2026-11-01T00:00:00Z',
    final: 9900 - i * 25,
  }))
  return { stores, records, results: storeResults(stores, records, DEFAULT_POLICY) }
}

let seq = 0
const entry = (e: Partial<CertificationEntry>): CertificationEntry => ({
  id: `c${seq++}`,
  kind: 'step',
  period: '2026-Q4',
  unit: '',
  step: '',
  actor: '张三',
  at: `2026-12-01T00:00:${String(seq).padStart(2, '0')}Z`,
  payload: null,
  ...e,
})

describe('certification steps', () => {
  it('blocks the province step until every city has certified, and the group until the province has', () => {
    const { stores } = province()
    const log = [entry({ step: 'city-certify', unit: '江苏/南京' })]
    expect(stepBlockers(log, 'province-certify', '江苏', stores)).toEqual(['江苏/苏州'])
    expect(stepBlockers(log, 'group-certify', '江苏', stores)).toEqual(['江苏'])
    log.push(
      entry({ step: 'city-certify', unit: '江苏/苏州' }),
      entry({ step: 'province-certify', unit: '江苏' }),
    )
    expect(stepBlockers(log, 'province-certify', '江苏', stores)).toEqual([])
    expect(stepBlockers(log, 'group-certify', '江苏', stores)).toEqual([])
    expect(stepDone(log, 'province-certify', '江苏')?.actor).toBe('张三')
  })

  it('settles each grade only when the level that certifies it has recorded its step', () => {
    const { stores, results } = province()
    const p = proposeCertification(results, stores, DEFAULT_POLICY)
    const o = (code: string) => p.outcomes.find((x) => x.storeCode === code)!
    const s = (code: string) => stores.find((x) => x.code === code)!
    expect(o('S00').certifiedBy).toBe('group')
    expect(o('S39').certifiedBy).toBe('city')
    const stage = (code: string, log: CertificationEntry[]) =>
      recordStage(o(code), s(code), stepStatuses(log, stores, results, p))
    const log: CertificationEntry[] = [entry({ step: 'city-certify', unit: '江苏/南京' })]
    expect(stage('S39', log)).toBe('certified') // S39 is in 南京, pass by the city
    expect(stage('S38', log)).toBe('proposed') // 苏州 has not certified
    expect(stage('S00', log)).toBe('proposed')
    log.push(entry({ step: 'group-certify', unit: '江苏' }))
    expect(stage('S00', log)).toBe('certified')
  })

  it('explains each nominee against the quota line', () => {
    const { stores, results } = province()
    const p = proposeCertification(results, stores, DEFAULT_POLICY)
    const st = standings(results, p, DEFAULT_POLICY)
    // 17 excellent nominees; 5% of 40 = 2 places; differential floor(17/1.2) = 14: line 2.
    expect(st.get('S01')).toMatchObject({
      grade: 'excellent',
      position: 2,
      nominees: 17,
      places: 2,
      differentialLimit: 14,
      line: 2,
      tieAtLine: false,
    })
    expect(st.get('S02')).toMatchObject({ position: 3, line: 2 })
    // Cascade by-score: the 15 excellent nominees past the line compete for good first, so the
    // province compares 35; 20% of 40 = 8 places; floor(35/1.2) = 29: line 8, and the best good
    // nominee stands 16th (good-first made it 1st of 20 and certified it above 96-point stores).
    expect(st.get('S17')).toMatchObject({
      grade: 'good',
      position: 16,
      nominees: 35,
      places: 8,
      differentialLimit: 29,
      line: 8,
    })
    expect(st.get('S36')).toMatchObject({ grade: 'good', position: 35 })
    const gf = policy({ cascade: 'good-first' })
    const stGf = standings(results, proposeCertification(results, stores, gf), gf)
    expect(stGf.get('S17')).toMatchObject({ position: 1, nominees: 20, differentialLimit: 16 })
    expect(st.has('S37')).toBe(false)
    expect(
      p.outcomes.filter((o) => o.certifiedGrade === 'excellent').map((o) => o.storeCode),
    ).toEqual(['S00', 'S01'])
  })

  it('flags a tie on score at the line', () => {
    const { stores, records } = province()
    const tied = records.map((r) =>
      r.storeCode === 'S02'
        ? { ...r, final: 9875, deductions: 0 }
        : r.storeCode === 'S01'
          ? { ...r, deductions: 100 }
          : r,
    )
    const results = storeResults(stores, tied, DEFAULT_POLICY)
    const p = proposeCertification(results, stores, DEFAULT_POLICY)
    const st = standings(results, p, DEFAULT_POLICY)
    // Fewer deductions first: S02 now beats S01 at the same score.
    expect(st.get('S02')).toMatchObject({ position: 2, tieAtLine: true })
    expect(st.get('S01')).toMatchObject({ position: 3, tieAtLine: true })
    expect(st.get('S00')!.tieAtLine).toBe(false)
  })

  it('takes the latest override per store and lets one be withdrawn', () => {
    const log = [
      entry({ kind: 'override', storeCode: 'S05', payload: { grade: 'good', reason: '先调' } }),
      entry({
        kind: 'override',
        storeCode: 'S05',
        payload: { grade: 'excellent', reason: '复核后' },
      }),
      entry({ kind: 'override', storeCode: 'S09', payload: { grade: 'pass', reason: 'x' } }),
      entry({ kind: 'override', storeCode: 'S09', payload: { grade: null, reason: '撤销' } }),
    ]
    expect(overridesFromLog(log)).toEqual([
      { storeCode: 'S05', grade: 'excellent', reason: '复核后', actor: '张三', at: log[1]!.at },
    ])
  })

  it('what-if lists exactly the stores that move, without changing the policy given', () => {
    const { stores, results } = province()
    const before = JSON.stringify(DEFAULT_POLICY)
    const { moves } = whatIf(results, stores, DEFAULT_POLICY, [], { excellentShare: 0.1 })
    // 10% of 40 = 4 excellent places: S02 and S03 move up from good; the 8 good places then go
    // to the next dropped excellent nominees by score, so S10 and S11 move up from pass.
    expect(moves).toEqual([
      { storeCode: 'S02', from: 'good', to: 'excellent' },
      { storeCode: 'S03', from: 'good', to: 'excellent' },
      { storeCode: 'S10', from: 'pass', to: 'good' },
      { storeCode: 'S11', from: 'pass', to: 'good' },
    ])
    expect(JSON.stringify(DEFAULT_POLICY)).toBe(before)
    expect(whatIf(results, stores, DEFAULT_POLICY, [], {}).moves).toEqual([])
    expect(policyWith(DEFAULT_POLICY, { provinceGood: 0.5 }).differential.provinceGood).toBe(0.5)
  })
})

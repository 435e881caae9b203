import { describe, expect, it } from 'vitest'
import { DEFAULT_POLICY, storeResults, type EvaluationRecord } from '@/domain'
import { stepBlockers } from '@/domain/certification-steps'
import { stepContent, stepOpen, stepStatuses } from '@/domain/certification-record'
import { rankPeriod } from '@/domain/rankings-pipeline'
import { sendBackRule, type SendBackInput } from '@/domain/result-rows'
import type { CertificationEntry } from '@/domain/records'
import type { Store } from '@/domain/types'

/** 40 graded stores, two cities; scores 99.00 down by 0.25 (S00..S16 excellent nominees). */
const stores: Store[] = Array.from({ length: 40 }, (_, i) => ({
  code: `S${String(i).padStart(2, '0')}`,
  name: `店${i}`,
  province: '江苏',
  city: i % 2 ? '南京' : '苏州',
  level: 2,
  type: 'self',
}))
const records = (patch: (r: EvaluationRecord) => EvaluationRecord = (r) => r) =>
  stores.map((s, i) =>
    patch({
      id: `e${i}`,
      storeCode: s.code,
      reviewer: 'city',
      submittedAt: '2026-11-01T00:00:00Z',
      final: 9900 - i * 25,
    }),
  )

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

/** A step taken now: its payload frozen from the pipeline's current output. */
function take(
  step: 'city-certify' | 'province-certify' | 'group-certify',
  unit: string,
  recs: EvaluationRecord[],
  log: CertificationEntry[],
): CertificationEntry {
  const ranked = rankPeriod({ register: stores, records: recs, policy: DEFAULT_POLICY, log })
  return entry({
    step,
    unit,
    payload: stepContent(step, unit, stores, ranked.results, ranked.proposal),
  })
}

const rank = (recs: EvaluationRecord[], log: CertificationEntry[]) =>
  rankPeriod({ register: stores, records: recs, policy: DEFAULT_POLICY, log })
const stageOf = (recs: EvaluationRecord[], log: CertificationEntry[], code: string) =>
  rank(recs, log).rows.find((r) => r.code === code)!.stage

describe('certification as a record', () => {
  it('freezes the counts and each store of the unit with its grade, score and evaluation', () => {
    const recs = records()
    const ranked = rank(recs, [])
    const c = stepContent('city-certify', '江苏/南京', stores, ranked.results, ranked.proposal)
    expect(c.stores).toHaveLength(20)
    expect(c.stores.every((s) => stores.find((x) => x.code === s.code)!.city === '南京')).toBe(true)
    // The city step sends good and above up and certifies pass: S01 (98.75) is nominated.
    expect(c.stores.find((s) => s.code === 'S01')).toEqual({
      code: 'S01',
      grade: 'nominated',
      final: 9875,
      evaluationId: 'e1',
      override: false,
    })
    const total = Object.values(c.counts).reduce((a, b) => a + (b ?? 0), 0)
    expect(total).toBe(20)
    const p = stepContent('province-certify', '江苏', stores, ranked.results, ranked.proposal)
    expect(p.stores).toHaveLength(40)
    expect(p.counts.excellent).toBe(2)
  })

  it('reads grades as proposals until the step, certified after it', () => {
    const recs = records()
    expect(stageOf(recs, [], 'S39')).toBe('proposed')
    const log = [take('city-certify', '江苏/南京', recs, [])]
    expect(stageOf(recs, log, 'S39')).toBe('certified') // 南京, pass by the city
    expect(stageOf(recs, log, 'S38')).toBe('proposed') // 苏州 has not certified
    expect(rank(recs, log).steps.get('city-certify|江苏/南京')!.state).toBe('current')
  })

  it('a revised evaluation under a step supersedes it, even when the grade stays', () => {
    const recs = records()
    const log = [take('city-certify', '江苏/南京', recs, [])]
    // S39 (89.25, 达标) re-inspected at 88.25: a new evaluation, the same grade.
    const revised = records((r) =>
      r.storeCode === 'S39' ? { ...r, id: 'e39b', final: r.final - 100 } : r,
    )
    const st = rank(revised, log).steps.get('city-certify|江苏/南京')!
    expect(st.state).toBe('superseded')
    expect(st.changed).toEqual(['S39'])
    expect(stageOf(revised, log, 'S39')).toBe('superseded')
    expect(stageOf(revised, log, 'S37')).toBe('superseded') // the whole step lapses
    expect(stageOf(revised, log, 'S38')).toBe('proposed') // 苏州 was never taken
    // Taken again, it stands.
    const again = [...log, take('city-certify', '江苏/南京', revised, log)]
    expect(rank(revised, again).steps.get('city-certify|江苏/南京')!.state).toBe('current')
    expect(stageOf(revised, again, 'S39')).toBe('certified')
  })

  it('an override or a send-back under a step supersedes it and blocks the level above', () => {
    const recs = records()
    let log = [
      take('city-certify', '江苏/南京', recs, []),
      take('city-certify', '江苏/苏州', recs, []),
    ]
    const settled = (l: CertificationEntry[]) => {
      const s = rank(recs, l).steps
      return (st: 'city-certify' | 'province-certify' | 'group-certify', u: string) =>
        !stepOpen(s, st, u)
    }
    expect(stepBlockers(log, 'province-certify', '江苏', stores, settled(log))).toEqual([])
    log = [
      ...log,
      entry({
        kind: 'override',
        step: 'override',
        storeCode: 'S38',
        payload: { grade: 'fail', reason: '投诉' },
      }),
    ]
    const st = rank(recs, log).steps
    expect(st.get('city-certify|江苏/苏州')!.state).toBe('superseded')
    expect(st.get('city-certify|江苏/南京')!.state).toBe('current')
    expect(stepBlockers(log, 'province-certify', '江苏', stores, settled(log))).toEqual([
      '江苏/苏州',
    ])
    // The overridden store is certified by its override; the rest of 苏州 lapses.
    expect(stageOf(recs, log, 'S38')).toBe('certified')
    expect(stageOf(recs, log, 'S36')).toBe('superseded')

    // A send-back: the store leaves the rule's counting records (held back, pending).
    const rows: (SendBackInput & { record: EvaluationRecord })[] = recs.map((r) => ({
      storeCode: r.storeCode,
      status: r.storeCode === 'S39' ? 'returned' : 'submitted',
      submittedAt: r.submittedAt,
      returnedAt: r.storeCode === 'S39' ? '2026-12-02T00:00:00Z' : null,
      returnedReason: r.storeCode === 'S39' ? '照片不符' : null,
      record: r,
    }))
    const rule = sendBackRule(rows)
    expect(rule.pending.get('S39')).toBe('照片不符')
    expect(rule.heldBack.get('S39')!.record.id).toBe('e39')
    const held = rule.counting.map((r) => r.record)
    expect(rank(held, log).steps.get('city-certify|江苏/南京')).toMatchObject({
      state: 'superseded',
      changed: ['S39'],
    })
  })

  it('the send-back rule: answered by an evaluation submitted after it, not before', () => {
    const row = (p: Partial<SendBackInput>): SendBackInput => ({
      storeCode: 'A',
      status: 'submitted',
      submittedAt: '2026-11-01T00:00:00Z',
      returnedAt: null,
      returnedReason: null,
      ...p,
    })
    const ret = row({ status: 'returned', returnedAt: '2026-11-05T00:00:00Z', returnedReason: 'x' })
    expect(sendBackRule([ret, row({ submittedAt: '2026-11-03T00:00:00Z' })]).pending.has('A')).toBe(
      true,
    )
    const answered = sendBackRule([ret, row({ submittedAt: '2026-11-06T00:00:00Z' })])
    expect(answered.pending.size).toBe(0)
    expect(answered.counting).toHaveLength(1)
  })

  it('an entry recorded before steps froze their content stays current', () => {
    const recs = records()
    const ranked = rank(recs, [])
    const old = entry({ step: 'city-certify', unit: '江苏/南京', payload: { pass: 3 } })
    const s = stepStatuses([old], stores, ranked.results, ranked.proposal)
    expect(s.get('city-certify|江苏/南京')!.state).toBe('current')
    expect(storeResults(stores, recs, DEFAULT_POLICY)).toHaveLength(40)
  })
})

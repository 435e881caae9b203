import { describe, expect, it } from 'vitest'
import { DEFAULT_POLICY, type Policy } from '../../src/domain/policy'
import { rankAll, rankResults, rankStores, rankUnits } from '../../src/domain/ranking'
import type { StoreResult } from '../../src/domain/store-result'
import { result, store } from '../helpers/engine-fixtures'

const withTieBreak = (tieBreak: Policy['tieBreak']): Policy => ({ ...DEFAULT_POLICY, tieBreak })

describe('rankResults', () => {
  const tied = [
    result('s1', 9000, 'good', { deductions: 200, base: 9200 }),
    result('s3', 9000, 'good', { deductions: 0, base: 9000 }),
    result('s4', 9000, 'good', { deductions: 100, base: 9100 }),
    result('s2', 9000, 'good', { deductions: 0, base: 9000 }),
    result('top', 9100, 'good'),
  ]

  it('orders by score, then fewer deductions, higher base, store code (default)', () => {
    expect(rankResults(tied, DEFAULT_POLICY).map((r) => [r.storeCode, r.rank])).toEqual([
      ['top', 1],
      ['s2', 2],
      ['s3', 3],
      ['s4', 4],
      ['s1', 5],
    ])
  })

  it('follows a configured tie-break order', () => {
    expect(
      rankResults(tied, withTieBreak(['base-desc', 'code-asc'])).map((r) => r.storeCode),
    ).toEqual(['top', 's1', 's4', 's2', 's3'])
  })

  it('uses competition ranking (1, 2, 2, 4) when ties remain after the configured keys', () => {
    expect(
      rankResults(tied, withTieBreak(['deductions-asc'])).map((r) => [r.storeCode, r.rank]),
    ).toEqual([
      ['top', 1],
      ['s2', 2],
      ['s3', 2],
      ['s4', 4],
      ['s1', 5],
    ])
    expect(rankResults(tied, withTieBreak([])).map((r) => r.rank)).toEqual([1, 2, 2, 2, 2])
  })

  it('leaves ungraded results out', () => {
    const ungraded: StoreResult = {
      storeCode: 'u',
      graded: false,
      ungradedReason: 'no-evaluation',
      redLines: [],
      notes: [],
    }
    expect(
      rankResults([ungraded, result('a', 8000, 'pass')], DEFAULT_POLICY).map((r) => r.storeCode),
    ).toEqual(['a'])
    expect(rankResults([], DEFAULT_POLICY)).toEqual([])
  })

  // Issue 11: ranking by score alone put a red-line store (fail at 92) above a clean 80 and a
  // capped self-assessment above inspected good stores; the grade now comes first.
  it('ranks by grade first: a red-line store ranks with the failed ones', () => {
    const out = rankResults([result('a', 8000, 'pass'), result('b', 9200, 'fail')], DEFAULT_POLICY)
    expect(out.map((r) => [r.storeCode, r.grade, r.rank])).toEqual([
      ['a', 'pass', 1],
      ['b', 'fail', 2],
    ])
  })

  it('a self-assessment capped at pass ranks among the pass stores, above lower passes only', () => {
    const out = rankResults(
      [
        result('self100', 10000, 'pass'),
        result('good91', 9100, 'good'),
        result('pass85', 8500, 'pass'),
        result('exc96', 9600, 'excellent'),
      ],
      DEFAULT_POLICY,
    )
    expect(out.map((r) => r.storeCode)).toEqual(['exc96', 'good91', 'self100', 'pass85'])
  })

  it('orders by the certified grade when given one', () => {
    const certified = new Map([
      ['x', 'pass'],
      ['y', 'good'],
    ] as const)
    const out = rankResults(
      [result('x', 9700, 'excellent'), result('y', 9300, 'good')],
      DEFAULT_POLICY,
      (r) => certified.get(r.storeCode as 'x' | 'y') ?? 'fail',
    )
    expect(out.map((r) => [r.storeCode, r.grade])).toEqual([
      ['y', 'good'],
      ['x', 'pass'],
    ])
  })
})

describe('rankStores and rankUnits', () => {
  const stores = [
    store({ code: 'GZ1', province: '广东', city: '广州' }),
    store({ code: 'GZ2', province: '广东', city: '广州' }),
    store({ code: 'SZ1', province: '广东', city: '深圳' }),
    store({ code: 'ZH1', province: '广东', city: '珠海', level: 4 }),
    store({ code: 'NJ1', province: '江苏', city: '南京' }),
    store({ code: 'SU1', province: '江苏', city: '苏州' }),
  ]
  const results: StoreResult[] = [
    result('GZ1', 9600, 'excellent'),
    result('GZ2', 8001, 'pass'),
    result('SZ1', 8800, 'pass'),
    {
      storeCode: 'ZH1',
      graded: false,
      ungradedReason: 'level-not-graded',
      redLines: [],
      notes: [],
    },
    result('NJ1', 8800, 'pass'),
    result('SU1', 7000, 'fail'),
  ]

  it('ranks stores within each city, province and the group; empty units stay listed', () => {
    const cities = rankStores(results, stores, DEFAULT_POLICY, 'city')
    expect(cities.map((c) => [c.key, c.entries.map((e) => `${e.rank}:${e.storeCode}`)])).toEqual([
      ['广东/广州', ['1:GZ1', '2:GZ2']],
      ['广东/深圳', ['1:SZ1']],
      ['广东/珠海', []],
      ['江苏/南京', ['1:NJ1']],
      ['江苏/苏州', ['1:SU1']],
    ])
    expect(cities[0]).toMatchObject({ province: '广东', city: '广州' })
    const provinces = rankStores(results, stores, DEFAULT_POLICY, 'province')
    expect(provinces.map((p) => p.entries.map((e) => e.storeCode))).toEqual([
      ['GZ1', 'SZ1', 'GZ2'],
      ['NJ1', 'SU1'],
    ])
    const group = rankStores(results, stores, DEFAULT_POLICY, 'group')
    expect(group).toHaveLength(1)
    expect(group[0]?.entries.map((e) => e.rank)).toEqual([1, 2, 3, 4, 5])
  })

  it('gives cities a mean (half up), grade counts and shares, ranked within their province', () => {
    const cityStats = rankUnits(results, stores, 'city')
    const byKey = Object.fromEntries(cityStats.map((c) => [c.key, c]))
    // (9600 + 8001) / 2 = 8800.5 → 8801
    expect(byKey['广东/广州']).toMatchObject({
      mean: 8801,
      count: 2,
      rank: 1,
      grades: { excellent: 1, pass: 1, good: 0, fail: 0 },
    })
    expect(byKey['广东/广州']?.shares.excellent).toBe(0.5)
    expect(byKey['广东/深圳']).toMatchObject({ mean: 8800, rank: 2 })
    expect(byKey['广东/珠海']).toMatchObject({ mean: null, rank: null, count: 0 })
    expect(byKey['江苏/南京']).toMatchObject({ rank: 1 })
    expect(byKey['江苏/苏州']).toMatchObject({
      rank: 2,
      shares: { fail: 1, excellent: 0, good: 0, pass: 0 },
    })
    // unit order: parent, then mean desc, with empty units last
    expect(cityStats.map((c) => c.key)).toEqual([
      '广东/广州',
      '广东/深圳',
      '广东/珠海',
      '江苏/南京',
      '江苏/苏州',
    ])
  })

  it('gives equal means the same rank', () => {
    const r = [
      result('GZ1', 8800, 'pass'),
      result('SZ1', 8800, 'pass'),
      result('NJ1', 9000, 'good'),
      result('SU1', 8000, 'pass'),
    ]
    const provinceStats = rankUnits(r, stores, 'province')
    expect(provinceStats.map((p) => [p.key, p.mean, p.rank])).toEqual([
      ['广东', 8800, 1],
      ['江苏', 8500, 2],
    ])
    const cityStats = rankUnits(r, stores, 'city').filter((c) => c.province === '广东')
    expect(cityStats.map((c) => [c.key, c.rank])).toEqual([
      ['广东/广州', 1],
      ['广东/深圳', 1],
      ['广东/珠海', null],
    ])
  })

  it('can count certified grades instead of result grades', () => {
    const stats = rankUnits(results, stores, 'province', () => 'good')
    expect(stats.find((p) => p.key === '广东')?.grades).toEqual({
      excellent: 0,
      good: 3,
      pass: 0,
      fail: 0,
    })
  })

  it('rankAll bundles every ranking', () => {
    const all = rankAll(results, stores, DEFAULT_POLICY)
    expect(all.group.entries).toHaveLength(5)
    expect(all.provinces).toHaveLength(2)
    expect(all.cities).toHaveLength(5)
    expect(all.provinceStats).toHaveLength(2)
    expect(all.cityStats).toHaveLength(5)
    expect(rankAll([], [], DEFAULT_POLICY).group.entries).toEqual([])
  })
})

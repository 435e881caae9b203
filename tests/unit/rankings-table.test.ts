import { describe, expect, it } from 'vitest'
import {
  DEFAULT_POLICY,
  proposeCertification,
  rankAll,
  storeResults,
  type EvaluationRecord,
} from '@/domain'
import {
  buildRankingRows,
  cityKeys,
  filterRows,
  sortRows,
  type RankingRow,
} from '@/domain/ranking-table'
import type { Store } from '@/domain/types'

const zh = new Intl.Collator('zh-CN-u-co-pinyin').compare

function fixture() {
  const stores: Store[] = [
    {
      code: 'A1',
      name: '南京新街口营业厅',
      province: '江苏',
      city: '南京',
      level: 1,
      type: 'self',
    },
    { code: 'A2', name: '南京河西营业厅', province: '江苏', city: '南京', level: 2, type: 'self' },
    {
      code: 'B1',
      name: '苏州观前街营业厅',
      province: '江苏',
      city: '苏州',
      level: 3,
      type: 'self',
    },
    { code: 'B2', name: '苏州木渎营业厅', province: '江苏', city: '苏州', level: 4, type: 'self' },
    {
      code: 'B3',
      name: '苏州合作营业厅',
      province: '江苏',
      city: '苏州',
      level: 2,
      type: 'partner',
    },
    { code: 'C1', name: '杭州西湖营业厅', province: '浙江', city: '杭州', level: 2, type: 'self' },
    { code: 'C2', name: '=HYPERLINK("x")', province: '浙江', city: '杭州', level: 3, type: 'self' },
  ]
  const rec = (storeCode: string, final: number): EvaluationRecord => ({
    id: `e-${storeCode}`,
    storeCode,
    reviewer: 'city',
    submittedAt: '2026-11-01T00:00:00Z',
    final,
  })
  const records = [
    rec('A1', 9600),
    rec('A2', 8800),
    rec('B1', 9100),
    rec('B2', 9900),
    rec('B3', 9500),
    rec('C1', 7900),
  ]
  const results = storeResults(stores, records, DEFAULT_POLICY)
  const proposal = proposeCertification(results, stores, DEFAULT_POLICY)
  const rankings = rankAll(results, stores, DEFAULT_POLICY)
  const rows = buildRankingRows(stores, results, rankings, proposal, {
    pending: new Map([['C2', '照片不清']]),
    evaluatorById: new Map([['e-A1', '王伟']]),
  })
  return { stores, rows }
}

const codes = (rows: RankingRow[]) => rows.map((r) => r.code)

describe('ranking table rows', () => {
  it('ranks graded stores and explains every ungraded one', () => {
    const { rows } = fixture()
    const by = new Map(rows.map((r) => [r.code, r]))
    expect(by.get('A1')).toMatchObject({
      graded: true,
      rankCity: 1,
      rankProvince: 1,
      rankGroup: 1,
      evaluatorName: '王伟',
      reviewer: 'city',
    })
    expect(by.get('B1')).toMatchObject({ rankCity: 1, rankProvince: 2, rankGroup: 2 })
    expect(by.get('C1')).toMatchObject({ rankProvince: 1, rankGroup: 4, grade: 'fail' })
    expect(by.get('B2')).toMatchObject({
      graded: false,
      ungradedReason: 'level-not-graded',
      rankGroup: null,
    })
    expect(by.get('B3')).toMatchObject({ graded: false, ungradedReason: 'type-not-graded' })
    expect(by.get('C2')).toMatchObject({
      graded: false,
      ungradedReason: 'pending',
      pendingReason: '照片不清',
    })
  })

  it('filters by unit, city, level, grade and text', () => {
    const { rows } = fixture()
    expect(
      codes(filterRows(rows, { unit: { scope: 'province', province: '江苏' }, graded: true })),
    ).toEqual(['A1', 'A2', 'B1'])
    expect(
      codes(filterRows(rows, { unit: { scope: 'city', province: '江苏', city: '苏州' } })),
    ).toEqual(['B1', 'B2', 'B3'])
    expect(codes(filterRows(rows, { unit: { scope: 'group' }, cityKey: '浙江/杭州' }))).toEqual([
      'C1',
      'C2',
    ])
    expect(codes(filterRows(rows, { unit: { scope: 'group' }, level: 2 }))).toEqual([
      'A2',
      'B3',
      'C1',
    ])
    expect(codes(filterRows(rows, { unit: { scope: 'group' }, grade: 'fail' }))).toEqual(['C1'])
    expect(codes(filterRows(rows, { unit: { scope: 'group' }, grade: 'ungraded' }))).toEqual([
      'B2',
      'B3',
      'C2',
    ])
    expect(codes(filterRows(rows, { unit: { scope: 'group' }, query: '  a ' }))).toEqual([
      'A1',
      'A2',
    ])
    expect(codes(filterRows(rows, { unit: { scope: 'group' }, query: '木渎' }))).toEqual(['B2'])
    expect(codes(filterRows(rows, { unit: { scope: 'group' }, query: 'hyperlink' }))).toEqual([
      'C2',
    ])
  })

  it('sorts by the unit rank, by score either way, and puts empty values last', () => {
    const { rows } = fixture()
    const all = { scope: 'group' } as const
    expect(codes(sortRows(rows, 'rank', 'asc', zh, all)).slice(0, 4)).toEqual([
      'A1',
      'B1',
      'A2',
      'C1',
    ])
    const jiangsu = { scope: 'province', province: '江苏' } as const
    expect(
      codes(
        sortRows(filterRows(rows, { unit: jiangsu, graded: true }), 'rank', 'asc', zh, jiangsu),
      ),
    ).toEqual(['A1', 'B1', 'A2'])
    const desc = sortRows(rows, 'score', 'desc', zh)
    expect(codes(desc).slice(0, 3)).toEqual(['B2', 'A1', 'B3'])
    expect(desc.at(-1)!.code).toBe('C2') // no score: last
    const asc = sortRows(rows, 'score', 'asc', zh)
    expect(asc[0]!.code).toBe('C1')
    expect(asc.at(-1)!.code).toBe('C2') // still last ascending
  })

  it('sorts names by pinyin through the collator it is given', () => {
    const { rows } = fixture()
    const names = sortRows(
      rows.filter((r) => r.name.includes('营业厅')),
      'name',
      'asc',
      zh,
    ).map((r) => r.city)
    // 杭州 (h) < 南京 (n) < 苏州 (s) in pinyin; code-point order would put 南 before 杭.
    expect(names).toEqual(['杭州', '南京', '南京', '苏州', '苏州', '苏州'])
    expect(cityKeys(rows, { scope: 'group' })).toEqual(['江苏/南京', '江苏/苏州', '浙江/杭州'])
  })

  it('sorts 20,000 rows quickly and keeps ties in code order', () => {
    const rows: RankingRow[] = Array.from({ length: 20_000 }, (_, i) => ({
      code: `S${String(19_999 - i).padStart(6, '0')}`,
      name: `店${i}`,
      province: 'P',
      city: `C${i % 10}`,
      level: 1,
      type: 'self',
      graded: true,
      final: 8000 + (i % 7),
      certifiedGrade: 'pass',
      certifiedBy: 'city',
      rankCity: null,
      rankProvince: null,
      rankGroup: null,
      notes: [],
    }))
    const t0 = performance.now()
    const sorted = sortRows(rows, 'score', 'desc', zh)
    expect(performance.now() - t0).toBeLessThan(500)
    for (let i = 1; i < sorted.length; i++) {
      const a = sorted[i - 1]!
      const b = sorted[i]!
      expect(a.final! > b.final! || (a.final === b.final && a.code < b.code)).toBe(true)
    }
  })
})

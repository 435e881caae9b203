import { describe, expect, it } from 'vitest'
import { DEFAULT_POLICY } from '../../src/domain/policy'
import { rankPeriod } from '../../src/domain/rankings-pipeline'
import type { CertificationEntry } from '../../src/domain/records'
import type { EvaluationRecord } from '../../src/domain/store-result'
import type { Store } from '../../src/domain/types'
import { parseCsv } from '../../src/io/csv'
import { rankingExportData, rankingStoresCsv, rankingWorkbook } from '../../src/io/ranking-export'
import { loadExcel } from '../helpers/exceljs'

function store(
  code: string,
  city: string,
  level: 1 | 2 | 3 | 4 = 1,
  name = `${city}${code}`,
): Store {
  return { code, name, province: '广东', city, level, type: 'self' }
}

// 20 graded stores in one province: 1 excellent place (5%), 4 good places (20%).
const stores: Store[] = [
  ...Array.from({ length: 10 }, (_, i) => store(`GZ${String(i).padStart(2, '0')}`, '广州')),
  ...Array.from({ length: 10 }, (_, i) => store(`SZ${String(i).padStart(2, '0')}`, '深圳')),
  store('GZ99', '广州', 4),
]
stores[0]!.name = '=HYPERLINK("http://evil","click")'
const scores: Record<string, number> = {
  GZ00: 9800,
  GZ01: 9700,
  SZ00: 9600,
  GZ02: 9300,
  SZ01: 9200,
  GZ99: 9900,
}
const records: EvaluationRecord[] = stores.map((s, i) => ({
  storeCode: s.code,
  reviewer: 'province',
  submittedAt: '2026-12-01T00:00:00Z',
  final: scores[s.code] ?? 8000 + i * 10,
}))

const log: CertificationEntry[] = [
  {
    id: 'o1',
    kind: 'override',
    period: '2026-Q4',
    unit: '广东',
    step: 'override',
    actor: '张三',
    at: '2026-12-20',
    storeCode: 'SZ09',
    payload: { grade: 'good', reason: '=cmd|"/c calc"!A1' },
  },
]

function build() {
  const ranked = rankPeriod({ register: stores, records, policy: DEFAULT_POLICY, log })
  return rankingExportData({ ranked, period: '2026-Q4' })
}

describe('rankingExportData', () => {
  it('exports the bonus earned apart from the capped score, and which red line failed', () => {
    const two: Store[] = [store('A1', '广州'), store('A2', '广州'), store('A3', '广州')]
    const recs: EvaluationRecord[] = [
      // scored before the cap: 100 + 3 bonus
      {
        storeCode: 'A1',
        reviewer: 'city',
        submittedAt: 'x',
        final: 10300,
        base: 10000,
        bonus: 300,
      },
      // a red line offset by a bonus back to 100
      {
        storeCode: 'A2',
        reviewer: 'city',
        submittedAt: 'x',
        final: 10000,
        base: 10000,
        bonus: 300,
        deductions: 300,
        redLines: ['dd-privacy-leak'],
      },
      { storeCode: 'A3', reviewer: 'city', submittedAt: 'x', final: 8000 },
    ]
    const ranked = rankPeriod({ register: two, records: recs, policy: DEFAULT_POLICY })
    const data = rankingExportData({ ranked })
    const by = new Map(data.stores.map((r) => [r.code, r]))
    expect(by.get('A1')).toMatchObject({ score: 100, bonus: 3, redLines: [] })
    expect(by.get('A2')).toMatchObject({
      score: 97,
      bonus: 3,
      certifiedGrade: 'fail',
      redLines: ['dd-privacy-leak'],
      rankCity: 3,
    })
    const csv = parseCsv(new TextDecoder().decode(rankingStoresCsv(data, 'zh'))).records.map(
      (r) => r.cells,
    )
    const header = csv[0]!
    const a2 = csv.find((c) => c[0] === 'A2')!
    expect(a2[header.indexOf('红线项')]).toBe('dd-privacy-leak')
    expect(a2[header.indexOf('亮点加分(获得)')]).toBe('3')
    expect(a2[header.indexOf('说明')]).toMatch(/红线项未通过：dd-privacy-leak/)
  })

  it('maps engine output to rows: ranks, certified grade, ungraded level 4', () => {
    const data = build()
    const byCode = new Map(data.stores.map((s) => [s.code, s]))
    expect(byCode.get('GZ00')).toMatchObject({
      score: 98,
      grade: 'excellent',
      certifiedGrade: 'excellent',
      rankCity: 1,
      rankProvince: 1,
      rankGroup: 1,
    })
    // Two excellent nominees, one place: the second falls to good by cascade.
    expect(byCode.get('GZ01')).toMatchObject({
      grade: 'excellent',
      certifiedGrade: 'good',
      rankGroup: 2,
    })
    expect(byCode.get('GZ01')!.notes.map((n) => n.code)).toContain('cascade-score')
    expect(byCode.get('GZ99')).toMatchObject({
      score: 99,
      certifiedGrade: 'ungraded',
      rankCity: null,
      rankGroup: null,
    })
    expect(byCode.get('SZ09')).toMatchObject({ certifiedGrade: 'good', certifiedBy: 'override' })
    expect(data.overrides).toEqual([
      {
        code: 'SZ09',
        name: '深圳SZ09',
        from: 'pass',
        to: 'good',
        reason: '=cmd|"/c calc"!A1',
        by: '张三',
        at: '2026-12-20',
      },
    ])
    expect(data.quota).toEqual([
      expect.objectContaining({
        unit: '广东',
        gradedCount: 20,
        placesExcellent: 1,
        placesGood: 4,
        usedExcellent: 1,
      }),
    ])
    expect(data.cities.map((c) => [c.city, c.count])).toEqual([
      ['广州', 10],
      ['深圳', 10],
    ])
  })
})

describe('ranking exports', () => {
  it('writes an XLSX with six sheets, Chinese headers and inert formula text', async () => {
    const bytes = await rankingWorkbook(build(), 'zh')
    const ExcelJS = await loadExcel()
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(bytes as unknown as ArrayBuffer)
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '营业厅',
      '地市',
      '省份',
      '名额使用',
      '人工调整',
      '认定记录',
    ])
    const ws = wb.worksheets[0]!
    expect(ws.getRow(1).getCell(1).value).toBe('营业厅编码')
    expect(ws.getRow(1).getCell(8).value).toBe('认定等级')
    const gz00 = ws.getRow(2)
    expect(gz00.getCell(1).value).toBe('GZ00')
    // A string cell is never a formula: the name is written as it is (issue 17).
    expect(gz00.getCell(2).value).toBe('=HYPERLINK("http://evil","click")')
    expect(gz00.getCell(2).type).toBe(ExcelJS.ValueType.String)
    expect(gz00.getCell(6).value).toBe(98)
    expect(gz00.getCell(8).value).toBe('优秀')
    let formulas = 0
    wb.eachSheet((sheet) =>
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          if (cell.type === ExcelJS.ValueType.Formula) formulas++
        }),
      ),
    )
    expect(formulas).toBe(0)
    const override = wb.getWorksheet('人工调整')!.getRow(2)
    expect(override.getCell(5).value).toBe('=cmd|"/c calc"!A1')
    expect(override.getCell(7).type).toBe(ExcelJS.ValueType.Date)
  })

  it('writes English headers and the CLI columns first', async () => {
    const bytes = await rankingWorkbook(build(), 'en')
    const ExcelJS = await loadExcel()
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(bytes as unknown as ArrayBuffer)
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'stores',
      'cities',
      'provinces',
      'quota use',
      'overrides',
      'certification record',
    ])
    const headers = (wb.worksheets[0]!.getRow(1).values as unknown[]).slice(1)
    expect(headers.slice(0, 12)).toEqual([
      'code',
      'name',
      'province',
      'city',
      'level',
      'score',
      'grade',
      'certified_grade',
      'rank_city',
      'rank_province',
      'rank_group',
      'note',
    ])
  })

  it('writes the stores sheet as CSV with BOM, neutralised', () => {
    const bytes = rankingStoresCsv(build(), 'zh')
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const { records } = parseCsv(new TextDecoder().decode(bytes))
    expect(records[0]!.cells[0]).toBe('营业厅编码')
    expect(records[1]!.cells.slice(0, 2)).toEqual(['GZ00', '\'=HYPERLINK("http://evil","click")'])
    const gz99 = records.find((r) => r.cells[0] === 'GZ99')!.cells
    expect(gz99[7]).toBe('不参评')
    expect(gz99[11]).toBe('4级厅不参与评级')
  })
})

describe('CSV encodings (issue 17)', () => {
  it('writes GBK without BOM that reads back as the same text, and UTF-8 with BOM', () => {
    const data = build()
    data.stores[1]!.name = '天河城营业厅 (旗舰) 😀'
    const utf8 = rankingStoresCsv(data, 'zh')
    expect([...utf8.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const gbk = rankingStoresCsv(data, 'zh', { encoding: 'gbk' })
    expect(gbk[0]).not.toBe(0xef)
    const text = new TextDecoder('gbk').decode(gbk)
    const expected = new TextDecoder().decode(utf8).replace('😀', '?') // decode drops the BOM
    expect(text).toBe(expected)
    expect(text).toContain('营业厅编码')
    expect(text).toContain("'=HYPERLINK") // CSV keeps the neutralisation
    // Not UTF-8: the Chinese header is two bytes a character.
    expect(gbk.length).toBeLessThan(utf8.length)
  })
})

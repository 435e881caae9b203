/**
 * Issue 11, "done when": one data set of several thousand stores through the app's pipeline
 * (rankPeriod, which the rankings screen, the charts and the exports read), the XLSX export and
 * the CLI gives the same score, certified grade and rank for every store; and every one of
 * them orders each unit by certified grade first.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main, nodeIo, type CliIo } from '../../src/cli/rankings'
import { gradeIndex } from '../../src/domain/grade'
import { DEFAULT_POLICY } from '../../src/domain/policy'
import { rankPeriod } from '../../src/domain/rankings-pipeline'
import type { EvaluationRecord } from '../../src/domain/store-result'
import type { Grade, Reviewer, Store } from '../../src/domain/types'
import { parseCsv } from '../../src/io/csv'
import { rankingExportData, rankingWorkbook } from '../../src/io/ranking-export'
import { loadExcel } from '../helpers/exceljs'

const N = 6000
const PROVINCES = ['广东', '江苏', '浙江', '四川', '湖北', '海南']

function dataSet(): { stores: Store[]; records: EvaluationRecord[] } {
  let a = 11
  const rand = () => {
    a = (a * 1103515245 + 12345) % 2147483648
    return a / 2147483648
  }
  const stores: Store[] = []
  const records: EvaluationRecord[] = []
  for (let i = 0; i < N; i++) {
    const province = PROVINCES[i % PROVINCES.length] as string
    const r = rand()
    const store: Store = {
      code: `S${String(i).padStart(5, '0')}`,
      name: `营业厅${i}`,
      province,
      city: `${province}市${Math.floor(rand() * 8)}`,
      level: (r < 0.15 ? 1 : r < 0.45 ? 2 : r < 0.85 ? 3 : 4) as Store['level'],
      type: rand() < 0.1 ? 'partner' : 'self',
    }
    stores.push(store)
    if (rand() < 0.05) continue // no evaluation this period
    // Scores crowd the bands (and ties at two decimals), so quotas and differentials bite.
    const score = Math.min(10000, Math.round(8500 + rand() * 1500))
    const reviewers: Reviewer[] = ['self']
    const x = rand()
    if (x < 0.6) reviewers.push('city')
    if (x < 0.3) reviewers.push('province')
    if (x < 0.1) reviewers.push('group')
    reviewers.forEach((reviewer, k) =>
      records.push({
        id: `${store.code}-${reviewer}`,
        storeCode: store.code,
        period: '2026-Q4',
        reviewer,
        submittedAt: `2026-12-${String(10 + k).padStart(2, '0')}T00:00:00Z`,
        final: reviewer === 'self' ? Math.min(10000, score + 200) : score - k * 7,
      }),
    )
  }
  return { stores, records }
}

type Row = {
  score: string
  grade: string
  rankCity: string
  rankProvince: string
  rankGroup: string
}

let dir: string
let app: Map<string, Row>
let xlsx: Map<string, Row>
let cli: Map<string, Row>
let stores: Store[]

const s = (v: unknown) => (v === null || v === undefined ? '' : String(v))

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipeline-cli-'))
  const data = dataSet()
  stores = data.stores

  // The app: the one pipeline, then the export model the screen's XLSX download writes.
  const ranked = rankPeriod({
    register: stores,
    records: data.records,
    policy: DEFAULT_POLICY,
    period: '2026-Q4',
  })
  const exported = rankingExportData({ ranked, period: '2026-Q4' })
  app = new Map(
    exported.stores.map((r) => [
      r.code,
      {
        score: s(r.score),
        grade: r.certifiedGrade,
        rankCity: s(r.rankCity),
        rankProvince: s(r.rankProvince),
        rankGroup: s(r.rankGroup),
      },
    ]),
  )
  // The screen's rows say the same as the export model.
  for (const row of ranked.rows) {
    expect(app.get(row.code)?.grade).toBe(row.certifiedGrade ?? 'ungraded')
    expect(app.get(row.code)?.rankProvince).toBe(s(row.rankProvince))
  }

  // The XLSX file, read back by an independent reader.
  const Excel = await loadExcel()
  const wb = new Excel.Workbook()
  await wb.xlsx.load((await rankingWorkbook(exported, 'en')) as unknown as ArrayBuffer)
  const sheet = wb.worksheets[0]!
  const header = (sheet.getRow(1).values as unknown[]).map((v) => s(v))
  const col = (name: string) => header.indexOf(name)
  xlsx = new Map()
  sheet.eachRow((row, n) => {
    if (n === 1) return
    const v = row.values as unknown[]
    xlsx.set(s(v[col('code')]), {
      score: s(v[col('score')]),
      grade: s(v[col('certified_grade')]),
      rankCity: s(v[col('rank_city')]),
      rankProvince: s(v[col('rank_province')]),
      rankGroup: s(v[col('rank_group')]),
    })
  })

  // The CLI, from CSV files, in-process (the compiled and tsx entry points run this `main`).
  const storesCsv = [
    'code,name,province,city,level,type',
    ...stores.map((x) => [x.code, x.name, x.province, x.city, x.level, x.type].join(',')),
  ].join('\n')
  const scoresCsv = [
    'code,period,score,reviewer',
    ...data.records.map((r) =>
      [r.storeCode, r.period, (r.final / 100).toFixed(2), r.reviewer].join(','),
    ),
  ].join('\n')
  await writeFile(join(dir, 'stores.csv'), storesCsv)
  await writeFile(join(dir, 'scores.csv'), scoresCsv)
  const err: string[] = []
  const io: CliIo = { ...nodeIo, stdout: () => {}, stderr: (l) => err.push(l) }
  const code = await main(
    [
      '--stores',
      join(dir, 'stores.csv'),
      '--scores',
      join(dir, 'scores.csv'),
      '--out',
      join(dir, 'out.csv'),
    ],
    io,
  )
  expect(err).toEqual([])
  expect(code).toBe(0)
  const [head, ...rows] = parseCsv(
    (await readFile(join(dir, 'out.csv'), 'utf8')).replace(/^\uFEFF/, ''),
  ).records.map((r) => r.cells)
  const at = (name: string) => (head as string[]).indexOf(name)
  cli = new Map(
    rows.map((c) => [
      c[at('code')] as string,
      {
        score: c[at('score')] ?? '',
        grade: c[at('certified_grade')] ?? '',
        rankCity: c[at('rank_city')] ?? '',
        rankProvince: c[at('rank_province')] ?? '',
        rankGroup: c[at('rank_group')] ?? '',
      },
    ]),
  )
}, 120_000)

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe(`${N} stores through the app pipeline, the XLSX export and the CLI`, () => {
  it('give every store the same score, certified grade and ranks', () => {
    expect(app.size).toBe(N)
    expect(xlsx.size).toBe(N)
    expect(cli.size).toBe(N)
    const differ: string[] = []
    for (const st of stores) {
      const a = JSON.stringify(app.get(st.code))
      if (a !== JSON.stringify(cli.get(st.code)) || a !== JSON.stringify(xlsx.get(st.code)))
        differ.push(st.code)
    }
    expect(differ).toEqual([])
    // the data set exercises every grade and the ungraded stores
    const grades = new Set([...app.values()].map((r) => r.grade))
    for (const g of ['excellent', 'good', 'pass', 'ungraded']) expect(grades.has(g), g).toBe(true)
  })

  it('orders every province by certified grade first, then score', () => {
    for (const province of PROVINCES) {
      const ranked = stores
        .filter((x) => x.province === province)
        .map((x) => cli.get(x.code)!)
        .filter((r) => r.rankProvince !== '')
        .sort((p, q) => Number(p.rankProvince) - Number(q.rankProvince))
      for (let i = 1; i < ranked.length; i++) {
        const p = ranked[i - 1]!
        const q = ranked[i]!
        const gp = gradeIndex(p.grade as Grade)
        const gq = gradeIndex(q.grade as Grade)
        expect(gp).toBeLessThanOrEqual(gq)
        if (gp === gq) expect(Number(p.score)).toBeGreaterThanOrEqual(Number(q.score))
      }
    }
  })
})

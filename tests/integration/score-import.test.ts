/**
 * Issue 17.1: a scores file (CSV in GBK or UTF-8, XLSX; Chinese or English headers) checked
 * against the register, then written all or nothing as evaluations without item answers, which
 * the one rankings pipeline ranks and certifies.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import iconv from 'iconv-lite'
import { openDatabase, type AppDatabase } from '@/db/database'
import { createBackupRepo } from '@/db/backup.repo'
import { createExchangeRepo } from '@/db/exchange.repo'
import { bytesSource, concat } from '@/io/bundle'
import { lookupTestRubric } from '../fixtures/exchange'
import { createRankingsRepo } from '@/db/rankings.repo'
import { createScoreImportRepo, StoresGoneError } from '@/db/score-import.repo'
import { IMPORTED_SCORE_SOURCE, importedScoreId } from '@/domain/imported-score'
import { DEFAULT_POLICY } from '@/domain/policy'
import { certifyAndRank, periodResults } from '@/domain/rankings-pipeline'
import type { Store } from '@/domain/types'
import { maxScoreFor, parseScoreFile, type ScoreImportResult } from '@/io/score-import'
import { parseStoreFile } from '@/io/store-import'
import { writeWorkbook } from '@/io/xlsx'

const clock = () => new Date('2026-12-01T08:00:00.000Z')
let db: AppDatabase
let n = 0
beforeEach(async () => {
  db = openDatabase(`score-import-${n++}`)
  await db.open()
  await db.stores.bulkPut(STORES)
})
afterEach(async () => {
  db.close()
  await db.delete()
})

const store = (code: string, city: string, level: 1 | 2 | 3 | 4 = 1): Store => ({
  code,
  name: `${city}${code}营业厅`,
  province: '江苏',
  city,
  level,
  type: 'self',
})
const STORES: Store[] = [
  store('JS01', '南京'),
  store('JS02', '南京'),
  store('JS03', '苏州', 2),
  store('JS04', '苏州', 3),
]
const CODES = new Set(STORES.map((s) => s.code))
const options = { storeCodes: CODES, maxScore: maxScoreFor(DEFAULT_POLICY) }

const ZH_CSV = [
  '营业厅编码,考核期,得分,评价方',
  'JS01,2026-Q4,96.5,市公司',
  'JS02,2026-Q4,91,市公司',
  'JS03,2026-Q4,85.25,省公司',
  'JS04,2026-Q4,88,自评',
].join('\r\n')

async function write(result: ScoreImportResult, fileName = 'scores.csv') {
  expect(result.problems).toEqual([])
  return createScoreImportRepo(db, clock).importScores({
    records: result.records,
    lines: result.lines,
    fileName,
    period: result.period ?? '2026-Q4',
    policy: DEFAULT_POLICY,
  })
}

async function ranked() {
  const src = await createRankingsRepo(db, { packFrom: Infinity }).load('2026-Q4')
  const out = certifyAndRank({
    register: src.stores,
    results: periodResults(src.stores, src.records, DEFAULT_POLICY),
    policy: DEFAULT_POLICY,
    log: [],
    extras: { evaluatorById: src.evaluatorById },
  })
  return { src, rows: new Map(out.rows.map((r) => [r.code, r])) }
}

describe('scores import', () => {
  it('reads a GBK CSV with Chinese headers and the rankings rank and certify the imported totals', async () => {
    const result = await parseScoreFile(iconv.encode(ZH_CSV, 'gbk'), 'scores.csv', options)
    expect(result.encoding).toBe('gbk')
    expect(result.period).toBe('2026-Q4')
    expect(result.lines).toEqual([2, 3, 4, 5])
    expect(await write(result)).toEqual({ written: 4, replaced: 0 })

    const e = await db.evaluations.get(importedScoreId('2026-Q4', 'city', 'JS01'))
    expect(e).toMatchObject({
      status: 'submitted',
      source: IMPORTED_SCORE_SOURCE,
      answers: {},
      importedFrom: { file: 'scores.csv', row: 2 },
      submittedAt: '2026-12-01T08:00:00.000Z',
    })
    expect(e!.result).toMatchObject({ final: 9650, base: 9650, bonus: 0, sections: [] })

    const { src, rows } = await ranked()
    expect(src.records.map((r) => r.final).sort()).toEqual([8525, 8800, 9100, 9650])
    expect([...src.importedIds!].sort()).toEqual([
      'imported-score:2026-Q4:city:JS01',
      'imported-score:2026-Q4:city:JS02',
      'imported-score:2026-Q4:province:JS03',
      'imported-score:2026-Q4:self:JS04',
    ])
    // No sections: the radar chart has nothing of these to draw.
    expect(src.sectionsById.size).toBe(0)
    expect(rows.get('JS01')).toMatchObject({ graded: true, final: 9650, scoreGrade: 'excellent' })
    expect(rows.get('JS03')).toMatchObject({ final: 8525, scoreGrade: 'pass' })
    // The self-assessment alone is capped at pass by the same rule as an answered one.
    expect(rows.get('JS04')!.grade).toBe('pass')
    expect(rows.get('JS01')!.rankProvince).toBe(1)
  })

  it('reads XLSX with English headers the same way', async () => {
    const bytes = await writeWorkbook([
      {
        name: 'scores',
        headers: ['Store code', 'Period', 'Score', 'Reviewer'],
        rows: [
          ['JS01', '2026-Q4', 96.5, 'city'],
          ['JS02', '2026-Q4', '91', 'City'],
        ],
      },
    ])
    const result = await parseScoreFile(bytes, 'scores.xlsx', options)
    expect(result.problems).toEqual([])
    expect(result.records.map((r) => [r.storeCode, r.final, r.reviewer])).toEqual([
      ['JS01', 9650, 'city'],
      ['JS02', 9100, 'city'],
    ])
  })

  it('importing a corrected file again replaces the earlier imported scores, not adds to them', async () => {
    await write(await parseScoreFile(iconv.encode(ZH_CSV, 'gbk'), 'a.csv', options))
    const fixed = ZH_CSV.replace('JS01,2026-Q4,96.5', 'JS01,2026-Q4,93')
    expect(
      await write(await parseScoreFile(new TextEncoder().encode(fixed), 'b.csv', options)),
    ).toEqual({ written: 4, replaced: 4 })
    expect(await db.evaluations.count()).toBe(4)
    expect(await db.results.count()).toBe(4)
    const { rows } = await ranked()
    expect(rows.get('JS01')).toMatchObject({ final: 9300, scoreGrade: 'good' })
  })

  it('lists every problem by row and column and gives no records to write', async () => {
    const csv = [
      'code,period,score,reviewer',
      'JS01,2026-Q4,96.5,city',
      'XX99,2026-Q4,90,city',
      'JS02,2026-Q4,abc,city',
      'JS03,2026-Q4,101,city',
      'JS04,2026-Q4,90,boss',
      'JS01,2026-Q4,95,city',
    ].join('\n')
    const r = await parseScoreFile(new TextEncoder().encode(csv), 's.csv', options)
    expect(r.records).toEqual([])
    expect(r.lines).toEqual([])
    expect(r.problemCount).toBe(5)
    expect(r.truncated).toBe(false)
    expect(r.problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [3, 'code', 'unknown-store'],
      [4, 'score', 'bad-score'],
      [5, 'score', 'score-out-of-range'],
      [6, 'reviewer', 'unknown-reviewer'],
      [7, null, 'duplicate-row'],
    ])
  })

  it('counts every problem past the list cut and says the list is cut', async () => {
    const lines = ['code,period,score,reviewer']
    for (let i = 0; i < 20_000; i++) lines.push('JS01,2026-Q4,90,city')
    const r = await parseScoreFile(new TextEncoder().encode(lines.join('\n')), 's.csv', options)
    expect(r.problemCount).toBe(19_999)
    expect(r.truncated).toBe(true)
    expect(r.problems).toHaveLength(1001)
    expect(r.problems.at(-1)).toMatchObject({ code: 'too-many-problems', params: { max: 1000 } })
  })

  it('the register import counts 20,000 duplicate codes truly too (not "1,001")', async () => {
    const lines = ['code,name,province,city,level,type']
    for (let i = 0; i < 20_000; i++) lines.push('JS01,南京一厅,江苏,南京,1,self')
    const r = await parseStoreFile(new TextEncoder().encode(lines.join('\n')), 'stores.csv')
    expect(r.problemCount).toBe(19_999)
    expect(r.truncated).toBe(true)
    expect(r.problems).toHaveLength(1001)
  })

  it('writes nothing when a store left the register after the preview', async () => {
    const result = await parseScoreFile(iconv.encode(ZH_CSV, 'gbk'), 'scores.csv', options)
    await db.stores.delete('JS04')
    await expect(write(result)).rejects.toBeInstanceOf(StoresGoneError)
    expect(await db.evaluations.count()).toBe(0)
    expect(await db.results.count()).toBe(0)
  })

  it('writes nothing when the write fails part-way (one transaction)', async () => {
    const lines = ['code,period,score,reviewer']
    for (const code of CODES) lines.push(`${code},2026-Q4,90,city`)
    const result = await parseScoreFile(
      new TextEncoder().encode(lines.join('\n')),
      's.csv',
      options,
    )
    let seen = 0
    // The results rows are written after the evaluations: fail on the third.
    db.results.hook('creating', () => {
      if (++seen === 3) throw new Error('disk gave up')
    })
    await expect(write(result)).rejects.toThrow('disk gave up')
    expect(seen).toBe(3)
    expect(await db.evaluations.count()).toBe(0)
    expect(await db.results.count()).toBe(0)
  })

  it('queues nothing for the sync server', async () => {
    await write(await parseScoreFile(iconv.encode(ZH_CSV, 'gbk'), 'scores.csv', options))
    expect(await db.evaluations.count()).toBe(4)
    // Nothing queued for the sync server: the server scores answers, and these have none.
    expect(await db.outbox.count()).toBe(0)
  })

  it('travels in an exchange bundle and a backup, still marked, and ranks the same on the other device', async () => {
    await write(await parseScoreFile(iconv.encode(ZH_CSV, 'gbk'), 'scores.csv', options))
    const before = (await ranked()).src.records.map((r) => [r.storeCode, r.final]).sort()

    const chunks: Uint8Array[] = []
    await createExchangeRepo(db, clock).exportBundle({}, lookupTestRubric, (c) => {
      chunks.push(c)
    })
    const other = openDatabase(`score-import-other-${n++}`)
    try {
      const repo = createExchangeRepo(other, clock)
      const opened = await repo.open(bytesSource(concat(chunks)), lookupTestRubric)
      if (!opened.ok) throw new Error(JSON.stringify(opened.error))
      await repo.apply(opened.bundle)
      const e = await other.evaluations.get(importedScoreId('2026-Q4', 'city', 'JS01'))
      expect(e).toMatchObject({ source: IMPORTED_SCORE_SOURCE, answers: {} })
      expect(e!.result).toMatchObject({ final: 9650 })
      const src = await createRankingsRepo(other, { packFrom: Infinity }).load('2026-Q4')
      expect(src.records.map((r) => [r.storeCode, r.final]).sort()).toEqual(before)
      expect(src.importedIds!.size).toBe(4)
    } finally {
      other.close()
      await other.delete()
    }

    const backup: Uint8Array[] = []
    await createBackupRepo(db, clock).backup(lookupTestRubric, (c) => {
      backup.push(c)
    })
    const restored = openDatabase(`score-import-restored-${n++}`)
    try {
      const repo = createBackupRepo(restored, clock)
      const opened = await repo.open(bytesSource(concat(backup)), lookupTestRubric)
      if (!opened.ok) throw new Error(JSON.stringify(opened.error))
      await repo.restore(opened.bundle)
      expect(await restored.evaluations.count()).toBe(4)
      expect(await restored.results.count()).toBe(4)
    } finally {
      restored.close()
      await restored.delete()
    }
  })
})

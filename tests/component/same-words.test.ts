/**
 * One catalogue of words: for the same results, the certification screen (vue-i18n), the XLSX
 * export and the rankings CLI say the same grade, the same reviewer and the same notes in
 * Chinese. (English files carry the engine's codes and messages, the CLI's documented columns.)
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { main, nodeIo } from '@/cli/rankings'
import CandidateList from '@/components/ranking/CandidateList.vue'
import GradeBadge from '@/components/common/GradeBadge.vue'
import type { CandidateRow } from '@/composables/useCertification'
import { DEFAULT_POLICY } from '@/domain/policy'
import { recordStage } from '@/domain/certification-record'
import { rankPeriod } from '@/domain/rankings-pipeline'
import { i18n, setLocale } from '@/i18n'
import { parseCsv } from '@/io/csv'
import { rankingExportData, rankingWorkbook } from '@/io/ranking-export'
import { parseScoreFile } from '@/io/score-import'
import { parseStoreFile } from '@/io/store-import'
import { loadExcel } from '../helpers/exceljs'

// 20 graded stores of one province (1 excellent place, 4 good places): three excellent
// nominees for one place, six good nominees for four; a self-assessed 96; a level-4 store.
const SCORES: Record<string, [number, string]> = {
  A01: [98, 'province'],
  A02: [97, 'city'],
  A03: [96, 'city'],
  A04: [96, 'self'],
  A05: [94, 'city'],
  A06: [93, 'city'],
  A07: [92, 'city'],
  A08: [91.5, 'city'],
  A09: [91, 'city'],
  A10: [90.5, 'city'],
  L4: [99, 'city'],
}
const codes = [...Array.from({ length: 20 }, (_, i) => `A${String(i + 1).padStart(2, '0')}`)]
const STORES = [
  'code,name,province,city,level,type',
  ...codes.map((c, i) => `${c},店${c},广东,${i < 10 ? '广州' : '深圳'},2,self`),
  'L4,小店,广东,广州,4,self',
].join('\n')
const SCORE_CSV = [
  'code,period,score,reviewer',
  ...[...codes, 'L4'].map((c) => {
    const [score, reviewer] = SCORES[c] ?? [85, 'city']
    return `${c},2026-Q4,${score},${reviewer}`
  }),
].join('\n')

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'same-words-'))
  await writeFile(join(dir, 's.csv'), STORES)
  await writeFile(join(dir, 'sc.csv'), SCORE_CSV)
})
afterAll(() => rm(dir, { recursive: true, force: true }))
beforeEach(() => setLocale('zh'))

async function ranked() {
  const enc = new TextEncoder()
  const stores = (await parseStoreFile(enc.encode(STORES), 's.csv')).stores
  const scores = await parseScoreFile(enc.encode(SCORE_CSV), 'sc.csv', {
    storeCodes: new Set(stores.map((s) => s.code)),
    maxScore: 105_00,
  })
  expect(scores.problems).toEqual([])
  return {
    stores,
    ranked: rankPeriod({ register: stores, records: scores.records, policy: DEFAULT_POLICY }),
  }
}

/** What the screen shows per store: certified grade word and the note lines. */
async function screen(): Promise<Map<string, { grade: string; notes: string[] }>> {
  const { stores, ranked: r } = await ranked()
  const byCode = new Map(stores.map((s) => [s.code, s]))
  const rows: CandidateRow[] = r.proposal.outcomes.map((outcome) => ({
    store: byCode.get(outcome.storeCode)!,
    outcome,
    stage: recordStage(outcome, byCode.get(outcome.storeCode)!, new Map()),
  }))
  const w = mount(CandidateList, {
    props: { rows, tieBreak: DEFAULT_POLICY.tieBreak },
    global: { plugins: [i18n, createPinia()] },
  })
  await w.get('[data-testid="show-all"]').trigger('click')
  const out = new Map<string, { grade: string; notes: string[] }>()
  for (const tr of w.findAll('[data-testid^="cand-"]')) {
    const code = tr.attributes('data-testid')!.slice(5)
    const cells = tr.findAll('td')
    const badge = cells[4]!.find('.grade-badge')
    const grade = badge.exists() ? badge.text() : ''
    // The why cell: standing lines first (none without standings), then one line per note.
    const notes = cells[5]!.findAll('div').map((d) => d.text())
    out.set(code, { grade, notes })
  }
  const badge = mount(GradeBadge, {
    props: { grade: 'ungraded' },
    global: { plugins: [i18n] },
  })
  out.set('ungraded', { grade: badge.text(), notes: [] })
  return out
}

describe('screen, XLSX and CLI use the same words', () => {
  it('for grades, reviewers and notes of the same results (zh)', async () => {
    const { ranked: r } = await ranked()
    // The XLSX's stores sheet.
    const ExcelJS = await loadExcel()
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(
      (await rankingWorkbook(rankingExportData({ ranked: r }), 'zh')) as unknown as ArrayBuffer,
    )
    const xlsx = new Map<string, { certified: string; note: string; reviewer: string }>()
    wb.worksheets[0]!.eachRow((row, n) => {
      if (n === 1) return
      const cell = (i: number) => String(row.getCell(i).value ?? '')
      xlsx.set(cell(1), { certified: cell(8), note: cell(12), reviewer: cell(14) })
    })
    // The CLI's CSV.
    const out = join(dir, 'r.csv')
    const io = { ...nodeIo, stdout: () => {}, stderr: () => {} }
    const code = await main(
      [
        '--stores',
        join(dir, 's.csv'),
        '--scores',
        join(dir, 'sc.csv'),
        '--lang',
        'zh',
        '--out',
        out,
      ],
      io,
    )
    expect(code).toBe(0)
    const [header, ...lines] = parseCsv(await readFile(out, 'utf8')).records.map((x) => x.cells)
    const col = (name: string) => header!.indexOf(name)
    const cli = new Map(
      lines.map((c) => [
        c[0]!,
        { certified: c[col('认定等级')]!, note: c[col('说明')]!, reviewer: c[col('计分评价')]! },
      ]),
    )

    const shown = await screen()
    const noteCodes = new Set(r.rows.flatMap((row) => row.notes.map((n) => n.code)))
    // The fixture reaches the notes that drifted before.
    expect(noteCodes).toContain('self-only')
    expect(noteCodes).toContain('ungraded-level')
    // (the default cascade reads by score since issue 11: cascade-score / cascade-score-none)
    expect([...noteCodes].some((c) => c.startsWith('cascade'))).toBe(true)

    for (const row of r.rows) {
      const x = xlsx.get(row.code)!
      expect(cli.get(row.code)).toEqual(x)
      const s = shown.get(row.code)!
      if (row.certifiedGrade === null) {
        expect(x.certified).toBe(shown.get('ungraded')!.grade)
        expect(x.certified).toBe('不参评')
      } else expect(s.grade).toBe(x.certified)
      expect(s.notes.join('; ')).toBe(x.note)
      if (row.reviewer !== undefined)
        expect(i18n.global.t(`scoredBy.${row.reviewer}`)).toBe(x.reviewer)
    }
  })
})

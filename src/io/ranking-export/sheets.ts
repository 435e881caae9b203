/**
 * The sheets of a ranking export, built from `RankingExportData` (./rows.ts): an XLSX workbook
 * (stores, cities, provinces, quota use, overrides, the certification record) and a CSV of the stores sheet, with Chinese
 * or English headers. CSV text cells are neutralised against formula injection (store names
 * come from files and people); XLSX writes them as string cells, which are never formulas, so
 * names keep their first character there. Times are date cells in the XLSX.
 */
import type { Note } from '../../domain/notes'
import type { Grade, Locale } from '../../domain/types'
import { noteText as wordsNoteText, WORDS } from '../../domain/words'
import { toCsv, toCsvText } from '../csv'
import { encodeGbk } from '../gbk-encode'
import type { CellValue } from '../spreadsheet-safety'
import type { SheetSpec } from '../xlsx'
import type {
  ExportOverrideRow,
  ExportQuotaRow,
  ExportRecordRow,
  ExportStoreRow,
  ExportUnitRow,
  RankingExportData,
} from './rows'

// Chinese files read the one catalogue of words (domain/words.ts), like the screen; English
// files carry the engine's codes and English messages, the CLI's documented machine values.
const ZH = WORDS.zh

export function noteText(n: Note, locale: Locale): string {
  return locale === 'zh' ? wordsNoteText(n, 'zh') : n.message
}

const gradeLabel = (g: Grade | 'ungraded' | null, locale: Locale): string =>
  g === null ? '' : locale === 'zh' ? ZH.grade[g] : g

type Column<T> = {
  en: string
  zh: string
  value: (row: T, locale: Locale) => CellValue
  width?: number
}

/** The first twelve are the CLI's documented columns, in order (issue 5). */
export const STORE_COLUMNS: readonly Column<ExportStoreRow>[] = [
  { en: 'code', zh: '营业厅编码', value: (r) => r.code, width: 14 },
  { en: 'name', zh: '营业厅名称', value: (r) => r.name, width: 30 },
  { en: 'province', zh: '省份', value: (r) => r.province },
  { en: 'city', zh: '地市', value: (r) => r.city },
  { en: 'level', zh: '等级', value: (r) => r.level, width: 8 },
  { en: 'score', zh: '得分', value: (r) => r.score, width: 8 },
  { en: 'grade', zh: '得分等级', value: (r, l) => gradeLabel(r.grade, l) },
  { en: 'certified_grade', zh: '认定等级', value: (r, l) => gradeLabel(r.certifiedGrade, l) },
  { en: 'rank_city', zh: '地市排名', value: (r) => r.rankCity },
  { en: 'rank_province', zh: '省内排名', value: (r) => r.rankProvince },
  { en: 'rank_group', zh: '集团排名', value: (r) => r.rankGroup },
  {
    en: 'note',
    zh: '说明',
    value: (r, l) => r.notes.map((n) => noteText(n, l)).join('; '),
    width: 50,
  },
  { en: 'type', zh: '类型', value: (r, l) => (l === 'zh' ? ZH.storeType[r.type] : r.type) },
  {
    en: 'reviewer',
    zh: '计分评价',
    value: (r, l) => (r.reviewer === null ? '' : l === 'zh' ? ZH.scoredBy[r.reviewer] : r.reviewer),
  },
  {
    en: 'certified_by',
    zh: '认定单位',
    value: (r, l) =>
      r.certifiedBy === null ? '' : l === 'zh' ? ZH.certifiedBy[r.certifiedBy] : r.certifiedBy,
  },
  { en: 'bonus_earned', zh: '亮点加分(获得)', value: (r) => r.bonus, width: 10 },
  { en: 'red_lines', zh: '红线项', value: (r) => r.redLines.join(', '), width: 24 },
  {
    en: 'certification_status',
    zh: '认定状态',
    value: (r, l) => (l === 'zh' ? ZH.stage[r.stage] : r.stage),
    width: 18,
  },
]

const unitColumns = (withCity: boolean): Column<ExportUnitRow>[] => [
  { en: 'province', zh: '省份', value: (r) => r.province },
  ...(withCity ? [{ en: 'city', zh: '地市', value: (r: ExportUnitRow) => r.city ?? '' }] : []),
  {
    en: withCity ? 'rank_in_province' : 'rank_in_group',
    zh: withCity ? '省内排名' : '集团排名',
    value: (r) => r.rank,
  },
  { en: 'graded_stores', zh: '参评营业厅数', value: (r) => r.count },
  { en: 'mean_score', zh: '平均分', value: (r) => r.mean },
  { en: 'excellent', zh: '优秀', value: (r) => r.grades.excellent },
  { en: 'good', zh: '良好', value: (r) => r.grades.good },
  { en: 'pass', zh: '达标', value: (r) => r.grades.pass },
  { en: 'fail', zh: '不达标', value: (r) => r.grades.fail },
]

const QUOTA_COLUMNS: readonly Column<ExportQuotaRow>[] = [
  { en: 'unit', zh: '名额单位', value: (r) => r.unit },
  { en: 'graded_stores', zh: '参评营业厅数', value: (r) => r.gradedCount },
  { en: 'evaluated_stores', zh: '已评价营业厅数', value: (r) => r.evaluatedCount },
  { en: 'excellent_places', zh: '优秀名额', value: (r) => r.placesExcellent },
  { en: 'good_places', zh: '良好名额', value: (r) => r.placesGood },
  { en: 'excellent_candidates', zh: '优秀候选', value: (r) => r.candidatesExcellent },
  { en: 'good_candidates', zh: '良好候选', value: (r) => r.candidatesGood },
  { en: 'excellent_differential_limit', zh: '优秀差额上限', value: (r) => r.limitExcellent },
  { en: 'good_differential_limit', zh: '良好差额上限', value: (r) => r.limitGood },
  { en: 'excellent_used', zh: '优秀已用', value: (r) => r.usedExcellent },
  { en: 'good_used', zh: '良好已用', value: (r) => r.usedGood },
  { en: 'cascaded', zh: '降级认定良好', value: (r) => r.cascaded },
  {
    en: 'over_quota',
    zh: '超出名额',
    value: (r, l) => (r.overQuota ? (l === 'zh' ? '是' : 'yes') : l === 'zh' ? '否' : 'no'),
  },
]

const OVERRIDE_COLUMNS: readonly Column<ExportOverrideRow>[] = [
  { en: 'code', zh: '营业厅编码', value: (r) => r.code },
  { en: 'name', zh: '营业厅名称', value: (r) => r.name, width: 30 },
  { en: 'proposed_grade', zh: '建议等级', value: (r, l) => gradeLabel(r.from, l) },
  { en: 'certified_grade', zh: '调整后等级', value: (r, l) => gradeLabel(r.to, l) },
  { en: 'reason', zh: '理由', value: (r) => r.reason, width: 50 },
  { en: 'by', zh: '操作人', value: (r) => r.by ?? '' },
  { en: 'at', zh: '时间', value: (r) => (r.at ? new Date(r.at) : null), width: 20 },
]

const countsText = (c: ExportRecordRow['counts'], l: Locale): string =>
  c === undefined
    ? ''
    : Object.entries(c)
        .map(
          ([g, n]) => `${g === 'nominated' ? WORDS[l].nominated : WORDS[l].grade[g as Grade]} ${n}`,
        )
        .join(l === 'zh' ? '，' : ', ')

/** The certification record: each step (what it froze, still in force or not) and override. */
const RECORD_COLUMNS: readonly Column<ExportRecordRow>[] = [
  { en: 'action', zh: '操作', value: (r, l) => (l === 'zh' ? ZH.step[r.kind] : r.kind), width: 16 },
  { en: 'unit', zh: '单位', value: (r) => r.unit, width: 16 },
  { en: 'code', zh: '营业厅编码', value: (r) => r.code ?? '' },
  { en: 'name', zh: '营业厅名称', value: (r) => r.name ?? '', width: 30 },
  { en: 'certified', zh: '认定内容', value: (r, l) => countsText(r.counts, l), width: 36 },
  { en: 'proposed_grade', zh: '建议等级', value: (r, l) => gradeLabel(r.from ?? null, l) },
  { en: 'decided_grade', zh: '调整后等级', value: (r, l) => gradeLabel(r.to ?? null, l) },
  { en: 'reason', zh: '理由', value: (r) => r.reason ?? '', width: 40 },
  {
    en: 'state',
    zh: '状态',
    value: (r, l) => (l === 'zh' ? ZH.recordState[r.state] : r.state),
    width: 18,
  },
  { en: 'by', zh: '操作人', value: (r) => r.by },
  { en: 'at', zh: '时间', value: (r) => new Date(r.at), width: 20 },
]

function sheet<T>(
  name: string,
  columns: readonly Column<T>[],
  rows: readonly T[],
  locale: Locale,
): SheetSpec {
  return {
    name,
    headers: columns.map((c) => c[locale]),
    rows: rows.map((row) => columns.map((c) => c.value(row, locale))),
    widths: columns.map(
      (c) => c.width ?? Math.max(10, c[locale].length * (locale === 'zh' ? 2 : 1) + 2),
    ),
  }
}

const SHEET_NAMES: Record<
  Locale,
  {
    stores: string
    cities: string
    provinces: string
    quota: string
    overrides: string
    record: string
  }
> = {
  en: {
    stores: 'stores',
    cities: 'cities',
    provinces: 'provinces',
    quota: 'quota use',
    overrides: 'overrides',
    record: 'certification record',
  },
  zh: {
    stores: '营业厅',
    cities: '地市',
    provinces: '省份',
    quota: '名额使用',
    overrides: '人工调整',
    record: '认定记录',
  },
}

export function rankingSheets(data: RankingExportData, locale: Locale): SheetSpec[] {
  const names = SHEET_NAMES[locale]
  return [
    sheet(names.stores, STORE_COLUMNS, data.stores, locale),
    sheet(names.cities, unitColumns(true), data.cities, locale),
    sheet(names.provinces, unitColumns(false), data.provinces, locale),
    sheet(names.quota, QUOTA_COLUMNS, data.quota, locale),
    sheet(names.overrides, OVERRIDE_COLUMNS, data.overrides, locale),
    sheet(names.record, RECORD_COLUMNS, data.record, locale),
  ]
}

/** The workbook as bytes (download in the browser, write in Node). */
export function rankingWorkbook(
  data: RankingExportData,
  locale: Locale,
  options: { created?: Date } = {},
): Promise<Uint8Array> {
  // The workbook writer loads with the first workbook: a CSV export does not need it.
  return import('../xlsx').then(({ writeWorkbook }) =>
    writeWorkbook(rankingSheets(data, locale), options),
  )
}

export type CsvEncoding = 'utf-8' | 'gbk'

/**
 * The stores sheet as CSV: UTF-8 with BOM (unless `bom: false`), or GBK (no BOM) for old Excel,
 * which reads a CSV in the Chinese ANSI code page. Characters GBK cannot hold become "?".
 */
export function rankingStoresCsv(
  data: RankingExportData,
  locale: Locale,
  options: { bom?: boolean; encoding?: CsvEncoding } = {},
): Uint8Array {
  // Row by row into the text: no table of 20 columns × 100,000 stores held in between.
  function* rows(): Generator<readonly CellValue[]> {
    const cells: CellValue[] = new Array<CellValue>(STORE_COLUMNS.length)
    for (const row of data.stores) {
      for (let i = 0; i < STORE_COLUMNS.length; i++)
        cells[i] = (STORE_COLUMNS[i] as Column<ExportStoreRow>).value(row, locale)
      yield cells
    }
  }
  const headers = STORE_COLUMNS.map((c) => c[locale])
  if (options.encoding === 'gbk') return encodeGbk(toCsvText(rows(), headers, { bom: false })).bytes
  return toCsv(rows(), headers, { bom: options.bom ?? true })
}

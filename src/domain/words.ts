/**
 * The one catalogue of words the engine's results are shown in: grades, reviewers, store types,
 * who certified, the notes attached to results and the problems found in imported files. Plain
 * locale objects, so vue-i18n registers them (src/i18n/locales/words.ts), and the exports
 * (src/io) and the CLI read them directly: the screen, the XLSX and the CLI say the same thing
 * for the same result.
 *
 * Templates use vue-i18n's named form `{name}` and nothing else of its syntax (no `@`, no `|`).
 * English files keep the engine's codes and English messages (the CLI's documented columns);
 * see io/ranking-export/sheets.ts.
 */
import type { CertifiedBy } from './certification'
import type { RecordStage } from './certification-record'
import type { CertificationStep } from './certification-steps'
import type { Note } from './notes'
import type { Grade, Locale, Reviewer, StoreType } from './types'

export type ProblemCode =
  | 'empty-file'
  | 'file-too-large'
  | 'too-many-rows'
  | 'bad-encoding'
  | 'unreadable-file'
  | 'archive-too-large'
  | 'archive-suspicious'
  | 'read-timeout'
  | 'csv-syntax'
  | 'missing-column'
  | 'duplicate-column'
  | 'missing-value'
  | 'missing-code'
  | 'duplicate-code'
  | 'code-format'
  | 'existing-code'
  | 'unknown-level'
  | 'unknown-type'
  | 'value-too-long'
  | 'too-many-problems'
  // Scores files (CLI)
  | 'unknown-store'
  | 'duplicate-row'
  | 'bad-score'
  | 'score-out-of-range'
  | 'unknown-reviewer'
  | 'bad-period'
  | 'mixed-periods'

/** Things that were cleaned rather than refused; they never block an import. */
export type WarningCode = 'formula-replaced' | 'control-chars-removed' | 'extra-cells'

/** Note codes with a wording of their own; others show the engine's English message. */
export const NOTE_CODES = [
  'red-line',
  'self-only',
  'ungraded-level',
  'ungraded-type',
  'no-evaluation',
  'pending',
  'over-quota',
  'differential',
  'cascade',
  'cascade-none',
  'cascade-score',
  'cascade-score-none',
  'override',
  'unknown-store',
] as const
export type NoteCode = (typeof NOTE_CODES)[number]

export interface Words {
  grade: Record<Grade | 'ungraded', string>
  /** The kind of evaluation (forms, lists): 市公司检查. */
  reviewer: Record<Reviewer, string>
  /** Who gave the counting score, in tables and files: 市公司. */
  scoredBy: Record<Reviewer, string>
  certifiedBy: Record<CertifiedBy, string>
  /** Whether a grade is settled by a step (certification-record.ts), on screen and in files. */
  stage: Record<RecordStage, string>
  /** The certification steps, in the record sheet. */
  step: Record<CertificationStep | 'override', string>
  /** A record line's standing: a step current or superseded, replaced by a later one, withdrawn. */
  recordState: Record<'current' | 'superseded' | 'replaced' | 'withdrawn', string>
  /** The city step's count of stores it sent up (good and above). */
  nominated: string
  storeType: Record<StoreType, string>
  /** Form steps that are not rubric sections. */
  formStep: { bonus: string; deductions: string }
  note: Record<NoteCode, string>
  problem: Record<ProblemCode | WarningCode, string>
}

const zh: Words = {
  grade: { excellent: '优秀', good: '良好', pass: '达标', fail: '不达标', ungraded: '不参评' },
  reviewer: { self: '自评', city: '市公司检查', province: '省公司检查', group: '集团检查' },
  scoredBy: { self: '自评', city: '市公司', province: '省公司', group: '集团' },
  certifiedBy: { city: '市公司', province: '省公司', group: '集团', override: '人工调整' },
  stage: {
    certified: '已认定',
    proposed: '拟认定',
    superseded: '已失效，需重新认定',
    ungraded: '不参评',
  },
  step: {
    'city-certify': '市公司认定',
    'province-certify': '省公司认定',
    'group-certify': '集团认定',
    override: '人工调整',
  },
  recordState: {
    current: '有效',
    superseded: '已失效，需重新认定',
    replaced: '已重新认定',
    withdrawn: '已撤销',
  },
  nominated: '上报良好以上',
  storeType: { self: '自营厅', partner: '社会合作厅' },
  formStep: { bonus: '加分项', deductions: '扣分项' },
  note: {
    'red-line': '红线项未通过：{items}',
    'self-only': '仅有自评，等级由{from}封顶为{to}',
    'ungraded-level': '{level}级厅不参与评级',
    'ungraded-type': '社会合作厅不参与评级',
    'no-evaluation': '本期无已提交的评价',
    pending: '退回复查中：{reason}',
    'over-quota': '超出{unit}{grade}名额（{places}个）',
    differential: '{by}差额评比未入选（候选 {nominees} 个，至多认定 {limit} 个）',
    cascade: '未认定为优秀，以剩余良好名额认定为良好',
    'cascade-none': '未认定为优秀，无剩余良好名额，认定为达标',
    'cascade-score': '未认定为优秀，与良好候选按得分同场评比，认定为良好',
    'cascade-score-none': '未认定为优秀，与良好候选按得分同场评比未入选，认定为达标',
    override: '人工调整为{grade}：{reason}',
    'unknown-store': '不在营业厅名录中',
  },
  problem: {
    'empty-file': '文件为空或没有数据行',
    'file-too-large': '文件过大（{size} 字节，上限 {max} 字节）',
    'too-many-rows': '数据行过多（上限 {max} 行）',
    'bad-encoding': '无法识别文件编码，请另存为 UTF-8 或 GBK 的 CSV，或 XLSX（{detail}）',
    'unreadable-file': '无法读取该文件（{detail}）',
    'archive-too-large':
      '表格文件解压后过大（{part}：{declared} MB，上限 {limit} MB），未读取；请另存为 CSV 或拆分后再导入',
    'archive-suspicious': '表格文件结构异常（{detail}），可能是压缩炸弹，未读取',
    'read-timeout':
      '读取文件超过 {seconds} 秒，已停止；文件可能已损坏，请另存为 CSV 或拆分后再导入',
    'csv-syntax': 'CSV 格式错误：{detail}',
    'missing-column': '缺少必需的列“{field}”',
    'duplicate-column': '列“{field}”出现了两次',
    'missing-value': '“{field}”为空',
    'missing-code': '缺少营业厅编码',
    'duplicate-code': '编码 {value} 重复（第 {firstRow} 行已出现）',
    'code-format': '编码 {value} 含有不允许的字符：只能用字母、数字、- 和 _',
    'existing-code': '编码 {value} 已存在于系统中',
    'unknown-level': '无法识别的等级“{value}”（应为 1–4 级）',
    'unknown-type': '无法识别的类型“{value}”（应为 自营厅 或 社会合作厅）',
    'value-too-long': '“{field}”过长（{length} 字符，上限 {max}）',
    'too-many-problems': '问题过多，仅列出前 {max} 个',
    'unknown-store': '未知的营业厅编码 {value}',
    'duplicate-row': '重复的记录（第 {firstRow} 行已出现）',
    'bad-score': '得分“{value}”不是数字',
    'score-out-of-range': '得分 {value} 超出范围 0–{max}',
    'unknown-reviewer': '无法识别的评价方“{value}”（应为 self、city、province 或 group）',
    'bad-period': '无效的考核期“{value}”',
    'mixed-periods': '文件包含多个考核期（{value}），请用 --period 指定',
    'formula-replaced': '公式已替换为其计算结果',
    'control-chars-removed': '已删除不可见的控制字符',
    'extra-cells': '该行的单元格多于表头，多余部分已忽略',
  },
}

const en: Words = {
  grade: {
    excellent: 'Excellent',
    good: 'Good',
    pass: 'Pass',
    fail: 'Fail',
    ungraded: 'Ungraded',
  },
  reviewer: {
    self: 'Self-assessment',
    city: 'City inspection',
    province: 'Province inspection',
    group: 'Group inspection',
  },
  scoredBy: { self: 'Self', city: 'City', province: 'Province', group: 'Group' },
  certifiedBy: { city: 'City', province: 'Province', group: 'Group', override: 'Override' },
  stage: {
    certified: 'Certified',
    proposed: 'Proposed',
    superseded: 'Superseded, certify again',
    ungraded: 'Ungraded',
  },
  step: {
    'city-certify': 'City certification',
    'province-certify': 'Province certification',
    'group-certify': 'Group certification',
    override: 'Override',
  },
  recordState: {
    current: 'In force',
    superseded: 'Superseded, certify again',
    replaced: 'Recorded again later',
    withdrawn: 'Withdrawn',
  },
  nominated: 'Nominated good and above',
  storeType: { self: 'Self-operated', partner: 'Partner store' },
  formStep: { bonus: 'Bonus', deductions: 'Deductions' },
  note: {
    'red-line': 'Red line failed: {items}',
    'self-only': 'Self-assessment only: {from} capped at {to}',
    'ungraded-level': 'Level {level} stores are not graded',
    'ungraded-type': 'Partner stores are not graded',
    'no-evaluation': 'No submitted evaluation in the period',
    pending: 'Sent back for re-inspection: {reason}',
    'over-quota': 'Over the {grade} quota of {unit} ({places} places)',
    differential:
      'Not selected by the {by} differential ({nominees} nominees, at most {limit} certified)',
    cascade: 'Not certified excellent; certified good from remaining places',
    'cascade-none': 'Not certified excellent; no good places left, certified pass',
    'cascade-score': 'Not certified excellent; certified good by score, with the good nominees',
    'cascade-score-none':
      'Not certified excellent; no good place by score with the good nominees, certified pass',
    override: 'Manual override to {grade}: {reason}',
    'unknown-store': 'Not in the store register',
  },
  problem: {
    'empty-file': 'The file is empty or has no data rows',
    'file-too-large': 'The file is too large ({size} bytes; the limit is {max})',
    'too-many-rows': 'Too many rows (the limit is {max})',
    'bad-encoding': 'Unreadable text encoding; save as UTF-8 or GBK CSV, or XLSX ({detail})',
    'unreadable-file': 'The file cannot be read ({detail})',
    'archive-too-large':
      'The workbook inflates too far ({part}: {declared} MB; the limit is {limit} MB) and was not read; save it as CSV or split it',
    'archive-suspicious': 'The workbook looks like a zip bomb ({detail}) and was not read',
    'read-timeout':
      'Reading the file took over {seconds} s and was stopped; it may be damaged: save it as CSV or split it',
    'csv-syntax': 'CSV syntax error: {detail}',
    'missing-column': 'Required column "{field}" is missing',
    'duplicate-column': 'Column "{field}" appears twice',
    'missing-value': '"{field}" is empty',
    'missing-code': 'Store code is missing',
    'duplicate-code': 'Duplicate code {value} (already on row {firstRow})',
    'code-format': 'Code {value} has characters a code cannot have: only letters, digits, - and _',
    'existing-code': 'Code {value} already exists',
    'unknown-level': 'Unknown level "{value}" (expected 1 to 4)',
    'unknown-type': 'Unknown type "{value}" (expected self or partner)',
    'value-too-long': '"{field}" is too long ({length} characters; the limit is {max})',
    'too-many-problems': 'Too many problems; only the first {max} are listed',
    'unknown-store': 'Unknown store code {value}',
    'duplicate-row': 'Duplicate row (same as row {firstRow})',
    'bad-score': 'Score "{value}" is not a number',
    'score-out-of-range': 'Score {value} is outside 0..{max}',
    'unknown-reviewer': 'Unknown reviewer "{value}" (expected self, city, province or group)',
    'bad-period': 'Invalid period "{value}"',
    'mixed-periods': 'The file has several periods ({value}); choose one with --period',
    'formula-replaced': 'A formula was replaced by its value',
    'control-chars-removed': 'Invisible control characters were removed',
    'extra-cells': 'This row has more cells than the header; the extra cells were ignored',
  },
}

export const WORDS: Readonly<Record<Locale, Words>> = { zh, en }

export type Params = Record<string, string | number>

/** `{name}` → params.name; a name without a value becomes `missing(name)` (kept by default). */
export function fill(
  template: string,
  params: Readonly<Params>,
  missing: (key: string) => string = (key) => `{${key}}`,
): string {
  return template.replace(/\{(\w+)\}/g, (_m, key: string) =>
    key in params ? String(params[key]) : missing(key),
  )
}

const isGrade = (v: unknown): v is Grade | 'ungraded' => typeof v === 'string' && v in zh.grade

/**
 * A note's params in words: grade codes become grade words, and a differential says who ran
 * it (`by`: the group for excellent, the province for good). vue-i18n's `t` and `noteText` both
 * take these, so the screen and the files fill the same template with the same values.
 */
export function noteParams(n: Note, locale: Locale): Params {
  const w = WORDS[locale]
  const out: Params = { ...(n.params ?? {}) }
  for (const key of ['from', 'to', 'grade'] as const) {
    const v = out[key]
    if (isGrade(v)) out[key] = w.grade[v]
  }
  if (n.code === 'differential')
    out.by = w.certifiedBy[n.params?.grade === 'excellent' ? 'group' : 'province']
  return out
}

export function isNoteCode(code: string): code is NoteCode {
  return (NOTE_CODES as readonly string[]).includes(code)
}

/** A note in words; a code without a wording of its own gives the engine's English message. */
export function noteText(n: Note, locale: Locale): string {
  if (!isNoteCode(n.code)) return n.message
  return fill(WORDS[locale].note[n.code], noteParams(n, locale), () => '')
}

/** A problem found in an imported file, in words (unknown params are kept as `{name}`). */
export function problemText(
  problem: { code: ProblemCode | WarningCode; params: Readonly<Params> },
  locale: Locale,
): string {
  return fill(WORDS[locale].problem[problem.code], problem.params)
}

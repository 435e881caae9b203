/**
 * The rankings screen's table model: one flat row per store (graded or not) built from the
 * engine's results, rankings and certification proposal, plus the filter and sort the screen
 * applies. Pure, so the 20,000-row case is tested in Node and the component only renders.
 *
 * Text sorting takes a comparison function (the locale's collator) as an argument: the domain
 * does not know the UI language.
 */
import type { CertificationProposal, CertifiedBy } from './certification'
import type { RecordStage } from './certification-record'
import { note, type Note } from './notes'
import { rankByStore, type Rankings } from './ranking'
import type { EvaluationRecord, StoreResult, UngradedReason } from './store-result'
import type { Centi, Grade, Reviewer, Store, StoreLevel, StoreType } from './types'
import { containsText, searchText, type Romaniser } from './text-search'

export interface RankingRow {
  code: string
  name: string
  province: string
  city: string
  level: StoreLevel
  type: StoreType
  graded: boolean
  /** Why the store has no grade; `pending` when a reviewing level sent its evaluation back. */
  ungradedReason?: UngradedReason | 'pending'
  final?: Centi
  /** Bonus earned by the counting evaluation (it may not all count: score cap, red line). */
  bonus?: Centi
  /** Red-line items the counting evaluation failed (empty when none or no evaluation). */
  redLines?: string[]
  /** The band of the score alone (before red lines and the self-only cap). */
  scoreGrade?: Grade
  /** After red lines and the self-only cap: what the store was nominated at. */
  grade?: Grade
  certifiedGrade: Grade | null
  certifiedBy: CertifiedBy | null
  /**
   * Whether the certified grade is settled by a current step (or an override), still a proposal
   * (拟认定), or superseded by a later change; set by the pipeline (certification-record.ts).
   */
  stage?: RecordStage
  rankCity: number | null
  rankProvince: number | null
  rankGroup: number | null
  reviewer?: Reviewer
  evaluationId?: string
  evaluatorName?: string
  /** Send-back reason while the store waits for a new evaluation. */
  pendingReason?: string
  notes: Note[]
}

export interface RowExtras {
  evaluatorById?: ReadonlyMap<string, string>
  /** Stores whose evaluation was sent back, with the reason. */
  pending?: ReadonlyMap<string, string>
  /** A pending store's evaluation that was sent back: shown (score, who), never graded. */
  heldBack?: ReadonlyMap<string, EvaluationRecord>
}

export function buildRankingRows(
  stores: readonly Store[],
  results: readonly StoreResult[],
  rankings: Rankings,
  proposal: CertificationProposal,
  extras: RowExtras = {},
): RankingRow[] {
  // The pipeline's results and outcomes are in register order, one per store: read them by
  // position, and build a by-code map only if a list is not (codes are unique in a register).
  const resultAt = byPosition(stores, results, (r) => r.storeCode)
  const outcomeAt = byPosition(stores, proposal.outcomes, (o) => o.storeCode)
  const city = rankByStore(rankings.cities)
  const province = rankByStore(rankings.provinces)
  const group = rankByStore([rankings.group])
  return stores.map((s, i) => {
    const r = resultAt(s.code, i)
    const o = outcomeAt(s.code, i)
    const row: RankingRow = {
      code: s.code,
      name: s.name,
      province: s.province,
      city: s.city,
      level: s.level,
      type: s.type,
      graded: r?.graded === true,
      certifiedGrade: o?.certifiedGrade ?? null,
      certifiedBy: o?.certifiedBy ?? null,
      rankCity: city.get(s.code) ?? null,
      rankProvince: province.get(s.code) ?? null,
      rankGroup: group.get(s.code) ?? null,
      notes: o?.notes ?? r?.notes ?? [],
    }
    if (r?.final !== undefined) {
      row.final = r.final
      row.bonus = r.bonus ?? 0
    }
    if (r && r.redLines.length > 0) row.redLines = [...r.redLines]
    if (r?.scoreGrade !== undefined) row.scoreGrade = r.scoreGrade
    if (r?.grade !== undefined) row.grade = r.grade
    if (r?.reviewer !== undefined) row.reviewer = r.reviewer
    if (r?.evaluationId !== undefined) {
      row.evaluationId = r.evaluationId
      const name = extras.evaluatorById?.get(r.evaluationId)
      if (name !== undefined) row.evaluatorName = name
    }
    const pending = extras.pending?.get(s.code)
    if (pending !== undefined) {
      row.ungradedReason = 'pending'
      row.pendingReason = pending
      row.notes = [
        ...row.notes.filter((n) => n.code !== 'no-evaluation'),
        note('pending', `sent back for re-inspection: ${pending}`, { reason: pending }),
      ]
      const held = extras.heldBack?.get(s.code)
      if (held !== undefined && row.final === undefined) showHeldBack(row, held, extras)
    } else if (r?.ungradedReason !== undefined) row.ungradedReason = r.ungradedReason
    return row
  })
}

/**
 * A lookup by store code that reads `list[i]` when it is the store's (a list in register order)
 * and falls back to a by-code map (the last item of a code, like `new Map(list)`) otherwise.
 */
export function byPosition<T>(
  stores: readonly Pick<Store, 'code'>[],
  list: readonly T[],
  codeOf: (x: T) => string,
): (code: string, i: number) => T | undefined {
  const aligned =
    list.length === stores.length && list.every((x, i) => codeOf(x) === stores[i]?.code)
  if (aligned) return (_code, i) => list[i]
  const by = new Map(list.map((x) => [codeOf(x), x]))
  return (code) => by.get(code)
}

/** The sent-back evaluation on a pending store's row: its score and who gave it, no grade. */
function showHeldBack(row: RankingRow, held: EvaluationRecord, extras: RowExtras): void {
  row.final = held.final
  row.bonus = held.bonus ?? 0
  if (held.redLines && held.redLines.length > 0) row.redLines = [...held.redLines]
  row.reviewer = held.reviewer
  if (held.id !== undefined) {
    row.evaluationId = held.id
    const name = extras.evaluatorById?.get(held.id)
    if (name !== undefined) row.evaluatorName = name
  }
}

/** The unit a screen looks at. */
export type UnitSelection =
  | { scope: 'group' }
  | { scope: 'province'; province: string }
  | { scope: 'city'; province: string; city: string }

export interface RankingFilter {
  unit: UnitSelection
  /** Narrows a province or group view to one city (`province/city`). */
  cityKey?: string
  level?: StoreLevel
  /** A certified grade, or `ungraded`. */
  grade?: Grade | 'ungraded'
  /** Code prefix/substring or name substring, case-insensitive. */
  query?: string
  /** Pinyin for the query (see text-search.ts); without it the query matches the text only. */
  romanise?: Romaniser | null
  /** true: graded stores only; false: ungraded only; undefined: all. */
  graded?: boolean
}

export function inUnit(row: Pick<RankingRow, 'province' | 'city'>, unit: UnitSelection): boolean {
  if (unit.scope === 'group') return true
  if (row.province !== unit.province) return false
  return unit.scope === 'province' || row.city === unit.city
}

export function filterRows(rows: readonly RankingRow[], f: RankingFilter): RankingRow[] {
  const q = searchText(f.query ?? '')
  return rows.filter((r) => {
    if (!inUnit(r, f.unit)) return false
    if (f.graded !== undefined && r.graded !== f.graded) return false
    if (f.cityKey !== undefined && `${r.province}/${r.city}` !== f.cityKey) return false
    if (f.level !== undefined && r.level !== f.level) return false
    if (f.grade !== undefined) {
      if (f.grade === 'ungraded' ? r.graded : r.certifiedGrade !== f.grade) return false
    }
    if (!containsText(q, [r.code, r.name], f.romanise)) return false
    return true
  })
}

export type SortKey =
  | 'rank'
  | 'code'
  | 'name'
  | 'city'
  | 'level'
  | 'score'
  | 'grade'
  | 'certified'
  | 'rankCity'
  | 'rankProvince'
  | 'rankGroup'
  | 'reviewer'
export type SortDir = 'asc' | 'desc'

const GRADE_RANK: Record<Grade, number> = { excellent: 0, good: 1, pass: 2, fail: 3 }
const REVIEWER_RANK: Record<Reviewer, number> = { group: 0, province: 1, city: 2, self: 3 }

/** The rank column that fits a unit: a city view ranks within the city, and so on. */
export function rankKeyFor(unit: UnitSelection): 'rankCity' | 'rankProvince' | 'rankGroup' {
  return unit.scope === 'city'
    ? 'rankCity'
    : unit.scope === 'province'
      ? 'rankProvince'
      : 'rankGroup'
}

type Value = number | string | null

function sortValue(r: RankingRow, key: Exclude<SortKey, 'rank'>): Value {
  switch (key) {
    case 'code':
      return r.code
    case 'name':
      return r.name
    case 'city':
      return r.city
    case 'level':
      return r.level
    case 'score':
      return r.final ?? null
    case 'grade':
      return r.grade === undefined ? null : GRADE_RANK[r.grade]
    case 'certified':
      return r.certifiedGrade === null ? null : GRADE_RANK[r.certifiedGrade]
    case 'rankCity':
      return r.rankCity
    case 'rankProvince':
      return r.rankProvince
    case 'rankGroup':
      return r.rankGroup
    case 'reviewer':
      return r.reviewer === undefined ? null : REVIEWER_RANK[r.reviewer]
  }
}

/**
 * A sorted copy. Empty values (no score, no rank) always go last whatever the direction, and
 * equal values keep a fixed order by code, so re-sorting never shuffles ties. `rank` means the
 * rank column of `unit`.
 */
export function sortRows(
  rows: readonly RankingRow[],
  key: SortKey,
  dir: SortDir,
  compareText: (a: string, b: string) => number,
  unit: UnitSelection = { scope: 'group' },
): RankingRow[] {
  const k = key === 'rank' ? rankKeyFor(unit) : key
  const sign = dir === 'asc' ? 1 : -1
  // Decorate once: 20,000 rows sort in a few ms when values are not recomputed per comparison.
  const decorated = rows.map((r) => ({ r, v: sortValue(r, k) }))
  decorated.sort((a, b) => {
    if (a.v === null || b.v === null) {
      if (a.v !== b.v) return a.v === null ? 1 : -1
    } else {
      const c =
        typeof a.v === 'number' && typeof b.v === 'number'
          ? a.v - b.v
          : compareText(String(a.v), String(b.v))
      if (c !== 0) return sign * c
    }
    return a.r.code < b.r.code ? -1 : a.r.code > b.r.code ? 1 : 0
  })
  return decorated.map((d) => d.r)
}

/** Distinct `province/city` keys of rows in a unit, for the city filter. */
export function cityKeys(rows: readonly RankingRow[], unit: UnitSelection): string[] {
  const set = new Set<string>()
  for (const r of rows) if (inUnit(r, unit)) set.add(`${r.province}/${r.city}`)
  return [...set]
}

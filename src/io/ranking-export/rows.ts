/**
 * The flat table model of a ranking export (`RankingExportData`) and `rankingExportData`, the
 * one place that maps the rankings pipeline's rows onto it; it never ranks again.
 */
import { fromCenti } from '../../domain/points'
import type { CertifiedBy, QuotaUsage } from '../../domain/certification'
import {
  frozenContent,
  stepKey,
  type FrozenGrade,
  type RecordStage,
} from '../../domain/certification-record'
import { CERTIFICATION_STEPS, type CertificationStep } from '../../domain/certification-steps'
import type { CertificationEntry } from '../../domain/records'
import type { Note } from '../../domain/notes'
import type { UnitStats } from '../../domain/ranking'
import type { CertifiedRanking } from '../../domain/rankings-pipeline'
import type { Grade, Period, Reviewer, StoreLevel, StoreType } from '../../domain/types'

export interface ExportStoreRow {
  code: string
  name: string
  province: string
  city: string
  level: StoreLevel
  type: StoreType
  /** Points (not Centi); null without a counting evaluation. At most the policy's scoreCap. */
  score: number | null
  /** Bonus earned (points), shown apart from the score: it may not all count (cap, red line). */
  bonus: number | null
  /** Red-line items the counting evaluation failed (any one makes the store 不达标). */
  redLines: string[]
  /** The band of the score alone. */
  grade: Grade | null
  /** After quotas, differentials and overrides; `ungraded` for stores outside grading. */
  certifiedGrade: Grade | 'ungraded'
  certifiedBy: CertifiedBy | null
  /** 已认定 / 拟认定 / 已失效: whether a current step settles the certified grade. */
  stage: RecordStage
  reviewer: Reviewer | null
  rankCity: number | null
  rankProvince: number | null
  rankGroup: number | null
  notes: Note[]
}

export interface ExportUnitRow {
  province: string
  /** Absent on province rows. */
  city?: string
  rank: number | null
  count: number
  /** Points; null when nothing is graded. */
  mean: number | null
  grades: Record<Grade, number>
}

export interface ExportQuotaRow {
  unit: string
  gradedCount: number
  evaluatedCount: number
  placesExcellent: number
  placesGood: number
  candidatesExcellent: number
  candidatesGood: number
  limitExcellent: number
  limitGood: number
  usedExcellent: number
  usedGood: number
  cascaded: number
  overQuota: boolean
}

export interface ExportOverrideRow {
  code: string
  name: string
  from: Grade | null
  to: Grade
  reason: string
  by?: string
  at?: string
}

/** One line of the certification record: a step or an override, with who and when. */
export interface ExportRecordRow {
  kind: CertificationStep | 'override'
  unit: string
  code?: string
  name?: string
  /** A step: what it froze, per grade; an override: none. */
  counts?: Partial<Record<FrozenGrade, number>>
  /** An override: the proposed and the decided grade (null: withdrawn). */
  from?: Grade | null
  to?: Grade | null
  reason?: string
  state: 'current' | 'superseded' | 'replaced' | 'withdrawn'
  by: string
  at: string
}

export interface RankingExportData {
  period?: Period
  stores: ExportStoreRow[]
  cities: ExportUnitRow[]
  provinces: ExportUnitRow[]
  quota: ExportQuotaRow[]
  overrides: ExportOverrideRow[]
  /** Steps and overrides in recording order. */
  record: ExportRecordRow[]
}

/**
 * The rankings pipeline's output (`rankPeriod` / `certifyAndRank` in domain/rankings-pipeline).
 * The export only reshapes it: it never ranks or certifies again, so a file shows exactly what
 * the screen shows.
 */
export interface RankingExportInput {
  ranked: Pick<CertifiedRanking, 'rows' | 'rankings' | 'proposal' | 'overrides'> &
    Partial<Pick<CertifiedRanking, 'steps'>>
  period?: Period
  /** The period's certification log, for the record sheet (none: an empty sheet). */
  log?: readonly CertificationEntry[]
}

const points = (c: number | undefined | null): number | null =>
  c === undefined || c === null ? null : fromCenti(c)

/** The one adapter from the pipeline's rows to the export tables. */
export function rankingExportData(input: RankingExportInput): RankingExportData {
  const { rows, rankings, proposal, overrides } = input.ranked
  const storeRows: ExportStoreRow[] = rows.map((r) => {
    const graded = r.certifiedGrade !== null
    return {
      code: r.code,
      name: r.name,
      province: r.province,
      city: r.city,
      level: r.level,
      type: r.type,
      score: points(r.final),
      bonus: r.final === undefined ? null : points(r.bonus ?? 0),
      redLines: [...(r.redLines ?? [])],
      grade: r.scoreGrade ?? null,
      certifiedGrade: r.certifiedGrade ?? 'ungraded',
      certifiedBy: graded ? r.certifiedBy : null,
      stage: graded ? (r.stage ?? 'proposed') : 'ungraded',
      reviewer: r.reviewer ?? null,
      rankCity: graded ? r.rankCity : null,
      rankProvince: graded ? r.rankProvince : null,
      rankGroup: graded ? r.rankGroup : null,
      notes: r.notes,
    }
  })

  const unitRow = (u: UnitStats): ExportUnitRow => {
    const row: ExportUnitRow = {
      province: u.province,
      rank: u.rank,
      count: u.count,
      mean: points(u.mean),
      grades: { ...u.grades },
    }
    if (u.city !== undefined) row.city = u.city
    return row
  }
  const nameByCode = new Map(rows.map((r) => [r.code, r.name]))
  const metaByCode = new Map(overrides.map((o) => [o.storeCode, o]))
  const overrideRows: ExportOverrideRow[] = []
  for (const o of proposal.outcomes) {
    if (!o.override) continue
    const row: ExportOverrideRow = {
      code: o.storeCode,
      name: nameByCode.get(o.storeCode) ?? '',
      from: o.override.from,
      to: o.override.to,
      reason: o.override.reason,
    }
    const meta = metaByCode.get(o.storeCode)
    if (meta !== undefined) {
      row.by = meta.actor
      row.at = meta.at
    }
    overrideRows.push(row)
  }
  const data: RankingExportData = {
    stores: storeRows,
    cities: rankings.cityStats.map(unitRow),
    provinces: rankings.provinceStats.map(unitRow),
    quota: proposal.units.map(quotaRow),
    overrides: overrideRows,
    record: recordRows(input.log ?? [], input.ranked.steps, nameByCode, proposal),
  }
  if (input.period !== undefined) data.period = input.period
  return data
}

function quotaRow(u: QuotaUsage): ExportQuotaRow {
  return {
    unit: u.key,
    gradedCount: u.gradedCount,
    evaluatedCount: u.evaluatedCount,
    placesExcellent: u.places.excellent,
    placesGood: u.places.good,
    candidatesExcellent: u.candidates.excellent,
    candidatesGood: u.candidates.good,
    limitExcellent: u.differentialLimit.excellent,
    limitGood: u.differentialLimit.good,
    usedExcellent: u.used.excellent,
    usedGood: u.used.good,
    cascaded: u.cascaded,
    overQuota: u.overQuota.excellent || u.overQuota.good,
  }
}

/** The log as record lines: each step with its frozen counts and state, each override. */
function recordRows(
  log: readonly CertificationEntry[],
  steps: CertifiedRanking['steps'] | undefined,
  nameByCode: ReadonlyMap<string, string>,
  proposal: RankingExportInput['ranked']['proposal'],
): ExportRecordRow[] {
  const lastOverride = new Map<string, string>()
  for (const e of log) if (e.kind === 'override' && e.storeCode) lastOverride.set(e.storeCode, e.id)
  const out: ExportRecordRow[] = []
  if (log.length === 0) return out
  const fromBy = new Map(proposal.outcomes.map((o) => [o.storeCode, o.proposedGrade]))
  for (const e of log) {
    if (e.kind === 'step' && (CERTIFICATION_STEPS as readonly string[]).includes(e.step)) {
      const status = steps?.get(stepKey(e.step as CertificationStep, e.unit))
      const row: ExportRecordRow = {
        kind: e.step as CertificationStep,
        unit: e.unit,
        state: status?.entry.id === e.id ? status.state : status ? 'replaced' : 'current',
        by: e.actor,
        at: e.at,
      }
      const frozen = frozenContent(e)
      if (frozen) row.counts = frozen.counts
      out.push(row)
    } else if (e.kind === 'override' && e.storeCode) {
      const p = e.payload as { grade?: Grade | null; reason?: string } | null
      const to = p?.grade ?? null
      out.push({
        kind: 'override',
        unit: e.unit,
        code: e.storeCode,
        name: nameByCode.get(e.storeCode) ?? '',
        from: fromBy.get(e.storeCode) ?? null,
        to,
        reason: p?.reason ?? '',
        state:
          to === null
            ? 'withdrawn'
            : lastOverride.get(e.storeCode) === e.id
              ? 'current'
              : 'replaced',
        by: e.actor,
        at: e.at,
      })
    }
  }
  return out
}

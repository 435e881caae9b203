/**
 * The group report's opening table: per province, its stores, how many are graded, the certified
 * grade mix and the quota use. Every figure is read from the rankings pipeline's result (the
 * province statistics, the certification proposal's quota units, the rows); nothing is ranked or
 * certified again here.
 */
import type { CertificationProposal, QuotaUsage } from './certification'
import type { Rankings } from './ranking'
import type { RankingRow } from './ranking-table'
import { GRADES, type Grade } from './types'

export interface QuotaUse {
  used: number
  places: number
}

export interface ProvinceSummaryRow {
  /** The province, or null for the group's total line. */
  province: string | null
  /** Stores of the register in the period (graded or not). */
  stores: number
  /** Graded stores with a score (the statistics' denominator). */
  graded: number
  grades: Record<Grade, number>
  /** grades / graded (0 when nothing is graded). */
  shares: Record<Grade, number>
  /** Certified excellent and good against their places; null when the quota unit is the group. */
  quota: { excellent: QuotaUse; good: QuotaUse } | null
}

const zero = (): Record<Grade, number> => ({ excellent: 0, good: 0, pass: 0, fail: 0 })

function quotaOf(units: readonly QuotaUsage[]): ProvinceSummaryRow['quota'] {
  if (units.length === 0) return null
  const sum = (g: 'excellent' | 'good') => ({
    used: units.reduce((n, u) => n + u.used[g], 0),
    places: units.reduce((n, u) => n + u.places[g], 0),
  })
  return { excellent: sum('excellent'), good: sum('good') }
}

/** One line per province (in the province statistics' rank order), then the total line. */
export function provinceSummary(
  rankings: Rankings,
  proposal: CertificationProposal,
  rows: readonly RankingRow[],
): ProvinceSummaryRow[] {
  const storesIn = new Map<string, number>()
  for (const r of rows) storesIn.set(r.province, (storesIn.get(r.province) ?? 0) + 1)
  // Quota units are provinces or cities (`province/city` keys); a group-wide quota has none.
  const unitsOf = (province: string) =>
    proposal.units.filter(
      (u) => u.unit !== 'group' && (u.key === province || u.key.startsWith(`${province}/`)),
    )
  const out: ProvinceSummaryRow[] = rankings.provinceStats.map((p) => ({
    province: p.province,
    stores: storesIn.get(p.province) ?? 0,
    graded: p.count,
    grades: { ...p.grades },
    shares: { ...p.shares },
    quota: quotaOf(unitsOf(p.province)),
  }))
  const grades = zero()
  for (const line of out) for (const g of GRADES) grades[g] += line.grades[g]
  const graded = out.reduce((n, l) => n + l.graded, 0)
  const shares = zero()
  for (const g of GRADES) shares[g] = graded === 0 ? 0 : grades[g] / graded
  out.push({
    province: null,
    stores: rows.length,
    graded,
    grades,
    shares,
    quota: quotaOf(proposal.units),
  })
  return out
}

/**
 * The recorded side of "自评上报,逐级认定,差额产生" (002:L146–150): which steps a unit has taken,
 * which proposed grades are therefore settled, the overrides in force, why a store is in or out
 * (its place among the nominees against the quota line) and what-if comparisons.
 *
 * The engine (certification.ts) proposes every grade; the log only says who confirmed what and
 * when. A grade counts as certified once the level that settles it has recorded its step:
 * pass/fail by the city, good by the province, excellent by the group; an override is a
 * decision of its own and counts when recorded.
 */
import type { CertificationProposal, Override, QuotaUsage } from './certification'
import type { Policy } from './policy'
import { orderComparator, isRankable, type RankableResult } from './ranking'
import type { CertificationEntry } from './records'
import type { StoreResult } from './store-result'
import type { Grade, Store } from './types'

export const CERTIFICATION_STEPS = ['city-certify', 'province-certify', 'group-certify'] as const
export type CertificationStep = (typeof CERTIFICATION_STEPS)[number]

/** The unit each step is recorded for: a city key `province/city`, or a province. */
export function stepUnit(step: CertificationStep, store: Pick<Store, 'province' | 'city'>): string {
  return step === 'city-certify' ? `${store.province}/${store.city}` : store.province
}

/** The latest recorded entry of a step for a unit, if any. */
export function stepDone(
  entries: readonly CertificationEntry[],
  step: CertificationStep,
  unit: string,
): CertificationEntry | undefined {
  let last: CertificationEntry | undefined
  for (const e of entries) if (e.kind === 'step' && e.step === step && e.unit === unit) last = e
  return last
}

/**
 * A step may be taken once the level below has taken its own for every unit it covers.
 * `settled` says whether a step stands (default: recorded; the record's rule also asks that no
 * later change superseded it, see certification-record.ts).
 */
export function stepBlockers(
  entries: readonly CertificationEntry[],
  step: CertificationStep,
  province: string,
  stores: readonly Store[],
  settled: (step: CertificationStep, unit: string) => boolean = (st, u) =>
    stepDone(entries, st, u) !== undefined,
): string[] {
  if (step === 'city-certify') return []
  if (step === 'group-certify') return settled('province-certify', province) ? [] : [province]
  const cities = new Set(
    stores.filter((s) => s.province === province).map((s) => `${s.province}/${s.city}`),
  )
  return [...cities].filter((c) => !settled('city-certify', c)).sort()
}

export interface OverrideRecord extends Override {
  actor: string
  at: string
}

/** Overrides in force: the latest per store; a payload with `grade: null` withdraws one. */
export function overridesFromLog(entries: readonly CertificationEntry[]): OverrideRecord[] {
  const latest = new Map<string, OverrideRecord | null>()
  for (const e of entries) {
    if (e.kind !== 'override' || e.storeCode === undefined) continue
    const p = e.payload as { grade?: Grade | null; reason?: string } | null
    if (!p || !p.grade) latest.set(e.storeCode, null)
    else
      latest.set(e.storeCode, {
        storeCode: e.storeCode,
        grade: p.grade,
        reason: p.reason ?? '',
        actor: e.actor,
        at: e.at,
      })
  }
  return [...latest.values()].filter((o): o is OverrideRecord => o !== null)
}

export interface Standing {
  /** The grade the store was nominated at (excellent or good); other grades have no standing. */
  grade: 'excellent' | 'good'
  /** 1-based place among that grade's nominees of the quota unit. */
  position: number
  nominees: number
  places: number
  differentialLimit: number
  /** The last place that is certified: min(places, differential limit). */
  line: number
  /** Same score as the neighbour across the line: the tie-break keys decided. */
  tieAtLine: boolean
}

/**
 * Each nominee's place against its unit's line, for "why in, why out". For good, the list is the
 * one the province certifies from: with `cascade: by-score` the excellent nominees the group did
 * not certify come first (they score more), so a good nominee's position counts them; cumulative
 * caps subtract the excellent certified.
 */
export function standings(
  results: readonly StoreResult[],
  proposal: CertificationProposal,
  policy: Policy,
): Map<string, Standing> {
  const order = orderComparator(policy)
  const byUnit = new Map<string, { excellent: RankableResult[]; good: RankableResult[] }>()
  const unitOf = new Map(proposal.outcomes.map((o) => [o.storeCode, o.unitKey]))
  for (const r of results) {
    if (!isRankable(r) || (r.grade !== 'excellent' && r.grade !== 'good')) continue
    const key = unitOf.get(r.storeCode)
    if (key === null || key === undefined) continue
    let u = byUnit.get(key)
    if (!u) byUnit.set(key, (u = { excellent: [], good: [] }))
    u[r.grade].push(r)
  }
  const usage = new Map<string, QuotaUsage>(proposal.units.map((u) => [u.key, u]))
  const out = new Map<string, Standing>()
  for (const [key, lists] of byUnit) {
    const u = usage.get(key)
    if (!u) continue
    lists.excellent.sort(order)
    lists.good.sort(order)
    const excellentLine = Math.min(u.places.excellent, u.differentialLimit.excellent)
    for (const grade of ['excellent', 'good'] as const) {
      // by-score: the excellent nominees past the group's line compete for good first.
      const dropped = grade === 'good' && policy.cascade === 'by-score'
      const ahead = dropped ? lists.excellent.slice(excellentLine) : []
      const list = [...ahead, ...lists[grade]]
      const places =
        grade === 'good' && policy.quota.caps === 'cumulative'
          ? Math.max(0, u.places.good - excellentLine)
          : u.places[grade]
      const limit = u.differentialLimit[grade]
      const line = Math.min(places, limit)
      const lineTie = line > 0 && line < list.length && list[line - 1]!.final === list[line]!.final
      list.forEach((r, i) => {
        if (i < ahead.length) return
        const position = i + 1
        out.set(r.storeCode, {
          grade,
          position,
          nominees: list.length,
          places,
          differentialLimit: limit,
          line,
          tieAtLine: lineTie && (position === line || position === line + 1),
        })
      })
    }
  }
  return out
}

/** Local changes to try without touching the recorded results. */
export interface WhatIfChanges {
  excellentShare?: number
  goodShare?: number
  groupExcellent?: number
  provinceGood?: number
}

export function policyWith(policy: Policy, c: WhatIfChanges): Policy {
  return {
    ...policy,
    quota: {
      ...policy.quota,
      excellentShare: c.excellentShare ?? policy.quota.excellentShare,
      goodShare: c.goodShare ?? policy.quota.goodShare,
    },
    differential: {
      ...policy.differential,
      groupExcellent: c.groupExcellent ?? policy.differential.groupExcellent,
      provinceGood: c.provinceGood ?? policy.differential.provinceGood,
      // A province-wide trial value replaces per-province settings too, or it would change nothing there.
      provinceGoodByProvince:
        c.provinceGood === undefined ? policy.differential.provinceGoodByProvince : {},
    },
  }
}

export interface Move {
  storeCode: string
  from: Grade | null
  to: Grade | null
}

/**
 * Quotas and the 差额 (differential) certification chain of 002:L144–150, under a policy:
 *
 * - places per quota unit (province by default) = share × graded count, rounded per policy;
 * - the city confirms pass/fail itself and nominates every store at good or above;
 * - the group certifies excellent: at most min(excellent places, differential limit of the
 *   nominees), with d = 0.2 by default ("exceed": floor(nominees / 1.2));
 * - the province certifies good the same way with its own d;
 * - an excellent nominee the group did not certify competes for the good places with the good
 *   nominees, by score (policy `cascade: by-score`, the default; `good-first` is the older
 *   reading where it only takes places left over, `none` makes it pass); a nominee that gets no
 *   good place is pass (no quota);
 * - manual overrides are applied last and recorded, and a unit they push over quota is flagged.
 *
 * Which nominees are certified follows the ranking order (score, tie-break, code), so the result
 * is deterministic. All input is plain data: a CSV-driven CLI can call this directly.
 */
import { note, type Note } from './notes'
import { provinceGoodDifferential, type Policy, type QuotaUnit } from './policy'
import { floorDiv, roundHalfUp } from './points'
import { gradeIndex } from './grade'
import { compareCodes, gradeOrder, isRankable, scoreOrder, type RankableResult } from './ranking'
import { isGradedStore, type StoreResult } from './store-result'
import type { Centi, Grade, Reviewer, Store } from './types'

export interface Override {
  storeCode: string
  grade: Grade
  reason: string
}

/** Who settled the certified grade. */
export type CertifiedBy = 'group' | 'province' | 'city' | 'override'

export interface CertificationOutcome {
  storeCode: string
  /** Key of the quota unit (`广东`, `广东/广州` or `group`); null for a code not in the register. */
  unitKey: string | null
  graded: boolean
  final?: Centi
  reviewer?: Reviewer
  /** The store result's grade (after red lines and the self-only cap): what it was nominated at. */
  qualifiedGrade?: Grade
  /** The grade the quota process gives, before overrides. */
  proposedGrade: Grade | null
  /** The final certified grade; null for ungraded stores. */
  certifiedGrade: Grade | null
  certifiedBy: CertifiedBy | null
  notes: Note[]
  override?: { from: Grade | null; to: Grade; reason: string }
}

export interface GradeCounts {
  excellent: number
  good: number
}

export interface QuotaUsage {
  unit: QuotaUnit
  key: string
  /** The quota denominator (see policy `quota.denominator`). */
  gradedCount: number
  /** Graded stores with a counting evaluation. */
  evaluatedCount: number
  places: GradeCounts
  /**
   * Nominees at each grade. Good: with `cascade: by-score` it includes the excellent nominees
   * the group did not certify (they compete for good); otherwise only the good nominees.
   */
  candidates: GradeCounts
  /** Most the differential allows from the nominees. */
  differentialLimit: GradeCounts
  /** Certified after overrides. With cumulative caps, `good` places include excellent ones. */
  used: GradeCounts
  /** Excellent nominees certified good through the cascade. */
  cascaded: number
  /** True where overrides pushed a grade past its places. */
  overQuota: { excellent: boolean; good: boolean }
}

export interface CertificationProposal {
  outcomes: CertificationOutcome[]
  units: QuotaUsage[]
  warnings: Note[]
}

const BP = 10000

/** A share or ratio as integer basis points (0.05 → 500), so quota maths stays in integers. */
function basisPoints(x: number): number {
  return Math.round(x * BP)
}

/** share × count rounded per policy: the places a unit has (5% of 15 → 0 with floor). */
export function quotaPlaces(
  count: number,
  share: number,
  rounding: Policy['quota']['rounding'],
): number {
  const num = count * basisPoints(share)
  if (rounding === 'floor') return floorDiv(num, BP)
  if (rounding === 'ceil') return -floorDiv(-num, BP)
  return roundHalfUp(num, BP)
}

/** How many of `nominees` the differential lets through (always rounded down: "at most"). */
export function differentialLimit(
  nominees: number,
  d: number,
  formula: Policy['differential']['formula'],
): number {
  const dBp = basisPoints(d)
  if (formula === 'exceed') return floorDiv(nominees * BP, BP + dBp)
  return Math.max(0, floorDiv(nominees * (BP - dBp), BP))
}

export function quotaUnitKey(store: Store, unit: QuotaUnit): string {
  if (unit === 'group') return 'group'
  if (unit === 'province') return store.province
  return `${store.province}/${store.city}`
}

interface UnitWork {
  usage: QuotaUsage
  province: string | null
  results: RankableResult[]
}

/**
 * Proposes the certified grade of every store. `results` come from `storeResults` (one per store
 * of the register); `overrides` are manual decisions applied on top and recorded.
 */
export function proposeCertification(
  results: readonly StoreResult[],
  stores: readonly Store[],
  policy: Policy,
  overrides: readonly Override[] = [],
  ordered?: readonly RankableResult[],
): CertificationProposal {
  const unitKind = policy.quota.unit
  const warnings: Note[] = []
  const units = new Map<string, UnitWork>()
  const unitByCode = new Map<string, UnitWork>()

  const unitFor = (store: Store): UnitWork => {
    const key = quotaUnitKey(store, unitKind)
    let u = units.get(key)
    if (!u) {
      u = {
        usage: {
          unit: unitKind,
          key,
          gradedCount: 0,
          evaluatedCount: 0,
          places: { excellent: 0, good: 0 },
          candidates: { excellent: 0, good: 0 },
          differentialLimit: { excellent: 0, good: 0 },
          used: { excellent: 0, good: 0 },
          cascaded: 0,
          overQuota: { excellent: false, good: false },
        },
        province: unitKind === 'group' ? null : store.province,
        results: [],
      }
      units.set(key, u)
    }
    return u
  }

  for (const s of stores) {
    const u = unitFor(s)
    unitByCode.set(s.code, u)
    if (policy.quota.denominator === 'eligible' && isGradedStore(s, policy))
      u.usage.gradedCount += 1
  }

  const outcomes: CertificationOutcome[] = []
  const outcomeByCode = new Map<string, CertificationOutcome>()
  for (const r of results) {
    const u = unitByCode.get(r.storeCode)
    const outcome: CertificationOutcome = {
      storeCode: r.storeCode,
      unitKey: u ? u.usage.key : null,
      graded: false,
      proposedGrade: null,
      certifiedGrade: null,
      certifiedBy: null,
      notes: [...r.notes],
    }
    if (r.final !== undefined) outcome.final = r.final
    if (r.reviewer !== undefined) outcome.reviewer = r.reviewer
    outcomes.push(outcome)
    outcomeByCode.set(r.storeCode, outcome)
    if (!u) {
      warnings.push(
        note('unknown-store', `result for ${r.storeCode}, which is not in the store register`, {
          storeCode: r.storeCode,
        }),
      )
      outcome.notes.push(note('unknown-store', 'not in the store register'))
      continue
    }
    if (!isRankable(r) || r.grade === undefined) continue
    outcome.graded = true
    outcome.qualifiedGrade = r.grade
    u.usage.evaluatedCount += 1
    if (policy.quota.denominator === 'evaluated') u.usage.gradedCount += 1
  }

  // One order for all units: splitting the sorted list keeps every unit in ranking order. The
  // score order (`scoreOrder`, shared with the rankings when the caller passes it) split by
  // result grade is that order without a second sort.
  // A rankable result is certified when its store is in the register (outcome.graded above).
  const inOrder = gradeOrder(ordered ?? scoreOrder(results, policy), (r) =>
    r.grade !== undefined && unitByCode.has(r.storeCode) ? gradeIndex(r.grade) : undefined,
  )
  for (const r of inOrder) (unitByCode.get(r.storeCode) as UnitWork).results.push(r)
  for (const u of units.values()) {
    certifyUnit(u, policy, (code) => outcomeByCode.get(code) as CertificationOutcome)
  }

  applyOverrides(overrides, outcomeByCode, warnings)

  for (const o of outcomes) {
    if (o.unitKey === null || o.certifiedGrade === null) continue
    const usage = (units.get(o.unitKey) as UnitWork).usage
    if (o.certifiedGrade === 'excellent') usage.used.excellent += 1
    if (o.certifiedGrade === 'good') usage.used.good += 1
  }
  for (const { usage } of units.values()) {
    const goodUsed =
      policy.quota.caps === 'cumulative' ? usage.used.good + usage.used.excellent : usage.used.good
    usage.overQuota.excellent = usage.used.excellent > usage.places.excellent
    usage.overQuota.good = goodUsed > usage.places.good
    for (const g of ['excellent', 'good'] as const) {
      if (usage.overQuota[g]) {
        warnings.push(
          note(
            'over-quota',
            `overrides put ${usage.key} over its ${g} quota (${usage.places[g]} places)`,
            {
              unit: usage.key,
              grade: g,
              places: usage.places[g],
            },
          ),
        )
      }
    }
  }

  return {
    outcomes,
    units: [...units.values()].map((u) => u.usage).sort((a, b) => compareCodes(a.key, b.key)),
    warnings,
  }
}

/** Certifies one quota unit; `u.results` is already in ranking order. */
function certifyUnit(
  u: UnitWork,
  policy: Policy,
  outcomeOf: (code: string) => CertificationOutcome,
): void {
  const { usage } = u
  const { formula } = policy.differential
  usage.places.excellent = quotaPlaces(
    usage.gradedCount,
    policy.quota.excellentShare,
    policy.quota.rounding,
  )
  usage.places.good = quotaPlaces(usage.gradedCount, policy.quota.goodShare, policy.quota.rounding)

  const sorted = u.results
  const excellent = sorted.filter((r) => r.grade === 'excellent')
  const good = sorted.filter((r) => r.grade === 'good')
  usage.candidates.excellent = excellent.length
  usage.candidates.good = good.length

  for (const r of sorted) {
    if (r.grade === 'pass' || r.grade === 'fail') settle(outcomeOf(r.storeCode), r.grade, 'city')
  }

  // Group: excellent.
  const dx = differentialLimit(excellent.length, policy.differential.groupExcellent, formula)
  usage.differentialLimit.excellent = dx
  const limitX = Math.min(usage.places.excellent, dx)
  const fallen: RankableResult[] = []
  excellent.forEach((r, i) => {
    const o = outcomeOf(r.storeCode)
    if (i < limitX) {
      settle(o, 'excellent', 'group')
      return
    }
    o.notes.push(
      usage.places.excellent <= dx
        ? note(
            'over-quota',
            `over excellent quota in ${usage.key} (${usage.places.excellent} places)`,
            {
              grade: 'excellent',
              unit: usage.key,
              places: usage.places.excellent,
            },
          )
        : note(
            'differential',
            `eliminated by group differential (${excellent.length} nominees, at most ${dx} certified)`,
            {
              grade: 'excellent',
              nominees: excellent.length,
              limit: dx,
            },
          ),
    )
    fallen.push(r)
  })

  // Province: good. With `by-score` the excellent nominees the group dropped compete for the
  // good places with the good nominees, by score (they all score more, so they come first), and
  // the province's differential counts all of them; with `good-first` they only take places the
  // good nominees left; with `none` they are pass.
  const goodPlaces =
    policy.quota.caps === 'cumulative' ? Math.max(0, usage.places.good - limitX) : usage.places.good
  const dProvince =
    u.province === null
      ? policy.differential.provinceGood
      : provinceGoodDifferential(policy, u.province)
  const byScore = policy.cascade === 'by-score'
  const pool = byScore ? [...fallen, ...good] : good
  const dg = differentialLimit(pool.length, dProvince, formula)
  if (byScore) usage.candidates.good = pool.length
  usage.differentialLimit.good = dg
  const limitG = Math.min(goodPlaces, dg)
  const wasExcellent = new Set(fallen)
  pool.forEach((r, i) => {
    const o = outcomeOf(r.storeCode)
    const dropped = wasExcellent.has(r)
    if (i < limitG) {
      if (dropped) {
        usage.cascaded += 1
        o.notes.push(
          note(
            'cascade-score',
            'not certified excellent; certified good by score, with the good nominees',
          ),
        )
      }
      settle(o, 'good', 'province')
      return
    }
    o.notes.push(
      goodPlaces <= dg
        ? note('over-quota', `over good quota in ${usage.key} (${goodPlaces} places)`, {
            grade: 'good',
            unit: usage.key,
            places: goodPlaces,
          })
        : note(
            'differential',
            `eliminated by province differential (${pool.length} nominees, at most ${dg} certified)`,
            {
              grade: 'good',
              nominees: pool.length,
              limit: dg,
            },
          ),
    )
    if (dropped)
      o.notes.push(
        note('cascade-score-none', 'not certified excellent; no good place by score, so pass'),
      )
    settle(o, 'pass', 'city')
  })
  if (byScore) return

  // good-first / none: excellent nominees the group did not certify take good places left over.
  let remaining = policy.cascade === 'good-first' ? goodPlaces - limitG : 0
  for (const r of fallen) {
    const o = outcomeOf(r.storeCode)
    if (remaining > 0) {
      remaining -= 1
      usage.cascaded += 1
      o.notes.push(
        note('cascade', 'not certified excellent; certified good from remaining good places'),
      )
      settle(o, 'good', 'province')
    } else {
      o.notes.push(
        note(
          'cascade-none',
          policy.cascade === 'good-first'
            ? 'not certified excellent; no good places left, so pass'
            : 'not certified excellent; pass (cascade off)',
        ),
      )
      settle(o, 'pass', 'city')
    }
  }
}

function settle(o: CertificationOutcome, grade: Grade, by: CertifiedBy): void {
  o.proposedGrade = grade
  o.certifiedGrade = grade
  o.certifiedBy = by
}

function applyOverrides(
  overrides: readonly Override[],
  outcomeByCode: Map<string, CertificationOutcome>,
  warnings: Note[],
): void {
  const seen = new Set<string>()
  for (const ov of overrides) {
    const o = outcomeByCode.get(ov.storeCode)
    if (!o || o.unitKey === null) {
      warnings.push(
        note('override-unknown-store', `override for unknown store ${ov.storeCode} ignored`, {
          storeCode: ov.storeCode,
        }),
      )
      continue
    }
    if (!o.graded) {
      warnings.push(
        note('override-ungraded', `override for ungraded store ${ov.storeCode} ignored`, {
          storeCode: ov.storeCode,
        }),
      )
      continue
    }
    if (seen.has(ov.storeCode)) {
      warnings.push(
        note('override-repeated', `several overrides for ${ov.storeCode}: the last one counts`, {
          storeCode: ov.storeCode,
        }),
      )
    }
    seen.add(ov.storeCode)
    o.override = { from: o.proposedGrade, to: ov.grade, reason: ov.reason }
    o.certifiedGrade = ov.grade
    o.certifiedBy = 'override'
    o.notes.push(
      note('override', `manual override to ${ov.grade}: ${ov.reason}`, {
        grade: ov.grade,
        reason: ov.reason,
      }),
    )
  }
}

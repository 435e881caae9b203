/**
 * The one rankings pipeline: register + evaluation records + policy + certification log →
 * store results → certification proposal (with the overrides in force) → rankings by certified
 * grade → one flat row per store. The rankings store, the exports, the charts, the CLI and the
 * sync server all call this module; nothing else calls `storeResults` for a period,
 * `proposeCertification` or `rankAll`.
 *
 * Two stages, so a caller that keeps the results (the app, after a certification step) does not
 * recompute them when only the log changed:
 *
 *   periodResults(register, records, policy, period?)            → StoreResult[]
 *   certifyAndRank({ register, results, policy, log, extras })  → ranked, certified rows
 *
 * `rankPeriod` runs both. Pure: no clock, no locale, no I/O.
 */
import { proposeCertification, type CertificationProposal, type Override } from './certification'
import {
  overridesFromLog,
  policyWith,
  type Move,
  type OverrideRecord,
  type WhatIfChanges,
} from './certification-steps'
import { recordStage, stepStatuses, type StepStatus } from './certification-record'
import type { Policy } from './policy'
import { rankAll, scoreOrder, type Rankings } from './ranking'
import { buildRankingRows, byPosition, type RankingRow, type RowExtras } from './ranking-table'
import type { CertificationEntry } from './records'
import { storeResults, type EvaluationRecord, type StoreResult } from './store-result'
import { registerFor } from './store-register'
import type { Period, Store } from './types'

export interface RankPeriodInput {
  /**
   * The store register (every store, graded or not): one row per store that counts in the
   * period comes out (a store closed before the period began does not, domain/store-register).
   */
  register: readonly Store[]
  /** Submitted, scored evaluations (the counting one per store is chosen here). */
  records: readonly EvaluationRecord[]
  policy: Policy
  /** Only records of this period count; all records when absent (already one period's). */
  period?: Period
  /**
   * The period's certification log (steps and overrides, in recording order). The latest
   * override per store is applied; steps do not change grades (they settle them, see
   * certification-record `recordStage`).
   */
  log?: readonly CertificationEntry[]
  /** Who evaluated (evaluation id → name) and which stores are pending, for the rows. */
  extras?: RowExtras
}

export interface CertifiedRanking {
  /** Overrides in force, with who recorded them and when (from the log). */
  overrides: OverrideRecord[]
  /** Quota use, per-store outcomes and warnings. */
  proposal: CertificationProposal
  /** Store ranks per scope and city/province statistics, by certified grade. */
  rankings: Rankings
  /** One row per store of the register, in register order; `stage` says certified or proposed. */
  rows: RankingRow[]
  /** The latest entry of each recorded step (`step|unit`), current or superseded. */
  steps: Map<string, StepStatus>
}

export interface RankedPeriod extends CertifiedRanking {
  /** One result per store of the register. */
  results: StoreResult[]
}

/** Stage 1: one result per store of the register (the counting evaluation, grade, notes). */
export function periodResults(
  register: readonly Store[],
  records: readonly EvaluationRecord[],
  policy: Policy,
  period?: Period,
): StoreResult[] {
  return storeResults(registerFor(register, period), records, policy, period)
}

/** Stage 2: certification with the log's overrides, rankings by certified grade, rows. */
export function certifyAndRank(input: {
  register: readonly Store[]
  results: readonly StoreResult[]
  policy: Policy
  log?: readonly CertificationEntry[]
  extras?: RowExtras
}): CertifiedRanking {
  const { register, results, policy } = input
  const overrides = overridesFromLog(input.log ?? [])
  // One sort by score serves both: certification splits it by result grade, the rankings by
  // certified grade.
  const ordered = scoreOrder(results, policy)
  const proposal = proposeCertification(results, register, policy, overrides, ordered)
  const certified = new Map(proposal.outcomes.map((o) => [o.storeCode, o.certifiedGrade]))
  const rankings = rankAll(
    results,
    register,
    policy,
    (r) => certified.get(r.storeCode) ?? r.grade ?? 'fail',
    ordered,
  )
  const rows = buildRankingRows(register, results, rankings, proposal, input.extras ?? {})
  const steps = stepStatuses(input.log ?? [], register, results, proposal)
  // Rows are in register order (one per store): the store of row i is register[i].
  const outcomeAt = byPosition(register, proposal.outcomes, (o) => o.storeCode)
  rows.forEach((row, i) => {
    const o = outcomeAt(row.code, i)
    row.stage = o ? recordStage(o, register[i] as Store, steps) : 'ungraded'
  })
  return { overrides, proposal, rankings, rows, steps }
}

/** The whole pipeline: register + records + policy + log → ranked, certified rows. */
export function rankPeriod(input: RankPeriodInput): RankedPeriod {
  // Stores closed before the period began are out of its rankings and quotas.
  const register = registerFor(input.register, input.period)
  const results = periodResults(register, input.records, input.policy, input.period)
  const ranked = certifyAndRank({
    register,
    results,
    policy: input.policy,
    ...(input.log !== undefined ? { log: input.log } : {}),
    ...(input.extras !== undefined ? { extras: input.extras } : {}),
  })
  return { results, ...ranked }
}

/**
 * What-if: the same results certified under trial quota shares or differentials. Returns the
 * trial proposal and the stores whose certified grade would move. The recorded log is untouched.
 */
export function whatIf(
  results: readonly StoreResult[],
  stores: readonly Store[],
  policy: Policy,
  overrides: readonly Override[],
  changes: WhatIfChanges,
  current?: CertificationProposal,
): { proposal: CertificationProposal; moves: Move[] } {
  const before = current ?? proposeCertification(results, stores, policy, overrides)
  const proposal = proposeCertification(results, stores, policyWith(policy, changes), overrides)
  const was = new Map(before.outcomes.map((o) => [o.storeCode, o.certifiedGrade]))
  const moves: Move[] = []
  for (const o of proposal.outcomes) {
    const from = was.get(o.storeCode) ?? null
    if (from !== o.certifiedGrade)
      moves.push({ storeCode: o.storeCode, from, to: o.certifiedGrade })
  }
  return { proposal, moves }
}

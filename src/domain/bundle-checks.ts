/**
 * What a bundle between devices is not believed on its word (issue 15): its stored results are
 * recomputed from the answers, and a device id known to sign that arrives unsigned or with
 * another key is refused unless the user deliberately accepts it.
 */
import { IMPORTED_SCORE_RUBRIC, importedScoreResult, isImportedScore } from './imported-score'
import { DEFAULT_POLICY } from './policy'
import { checkForSubmit } from './submit-check'
import type { StoredResult } from './submit-check'
import type { Evaluation } from './records'
import type { Rubric } from './rubric-schema'
import type { TrustedDevices } from './exchange-rules'

export interface ResultMismatch {
  id: string
  storeCode: string
  /** The final score the file claimed (centi-points), null when none. */
  stored: number | null
  recomputed: number | null
}

export type Recomputed<E extends Evaluation> =
  | { ok: true; evaluations: E[]; mismatches: ResultMismatch[] }
  | { ok: false; index: number; id: string; message: string }

const finalOf = (r: unknown): number | null => {
  const f = (r as { final?: unknown } | null | undefined)?.final
  return typeof f === 'number' ? f : null
}

/**
 * Every evaluation's result recomputed from its answers with its rubric version: drafts carry
 * none; a submitted or returned one gets what the engine gives. A locked evaluation whose
 * answers could not have been submitted (unanswered, missing evidence, invalid) is refused.
 */
export function recomputeResults<E extends Evaluation>(
  evaluations: readonly E[],
  rubricOf: (id: string, version: string) => Rubric | undefined,
): Recomputed<E> {
  const out: E[] = []
  const mismatches: ResultMismatch[] = []
  for (const [index, e] of evaluations.entries()) {
    if (e.status === 'draft') {
      out.push({ ...e, result: null })
      continue
    }
    // An imported total has no answers to recompute from: its result is rebuilt from the total
    // alone, and it arrives marked as imported (domain/imported-score.ts).
    if (isImportedScore(e)) {
      const final = finalOf(e.result)
      if (
        e.rubricId !== IMPORTED_SCORE_RUBRIC.id ||
        Object.keys(e.answers ?? {}).length > 0 ||
        final === null ||
        !Number.isInteger(final) ||
        final < 0
      )
        return {
          ok: false,
          index,
          id: e.id,
          message: 'an imported score has no answers and a total in whole hundredths',
        }
      out.push({ ...e, result: importedScoreResult(final, DEFAULT_POLICY) })
      continue
    }
    const rubric = rubricOf(e.rubricId, e.rubricVersion)
    if (!rubric)
      return {
        ok: false,
        index,
        id: e.id,
        message: `rubric ${e.rubricId}@${e.rubricVersion} missing`,
      }
    const check = checkForSubmit(rubric, e.answers, { crossBorderZone: e.crossBorderZone })
    if (!check.ok)
      return {
        ok: false,
        index,
        id: e.id,
        message: `submitted, but its answers could not have been: ${check.problems.map((p) => p.code).join(', ')}`,
      }
    const result: StoredResult | null = check.result
    const stored = finalOf(e.result)
    const recomputed = finalOf(result)
    const sameGrade =
      (e.result as { grade?: unknown } | null)?.grade ===
      (result as { grade?: unknown } | null)?.grade
    if (stored !== recomputed || !sameGrade)
      mismatches.push({ id: e.id, storeCode: e.storeCode, stored, recomputed })
    out.push({ ...e, result })
  }
  return { ok: true, evaluations: out, mismatches }
}

/** Why a bundle's signature does not match what this device learnt of its sender. */
export type TrustProblem =
  /** The device id signed before; this file has no signature (stripped, or another app). */
  | { kind: 'unsigned'; deviceId: string; pinned: string }
  /** The device id signed before with another key (device reset, or an impostor). */
  | { kind: 'key-changed'; deviceId: string; pinned: string; fingerprint: string }

export function trustProblem(
  list: TrustedDevices,
  deviceId: string,
  fingerprint: string | undefined,
): TrustProblem | null {
  const pinned = list[deviceId]
  if (pinned === undefined) return null
  if (fingerprint === undefined) return { kind: 'unsigned', deviceId, pinned }
  if (fingerprint !== pinned) return { kind: 'key-changed', deviceId, pinned, fingerprint }
  return null
}

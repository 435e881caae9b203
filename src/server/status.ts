/**
 * Live submission status (GET /api/status): the period's submitted evaluations of the stores in
 * the caller's units, counted by the domain's rule (src/domain/submission-status.ts). Under the
 * one access check: a user sees the stores their roles can read, nothing else.
 */
import { submissionStatus, type SubmittedEvaluation } from '../domain/submission-status'
import type { Reviewer } from '../domain/types'
import type { StatusResponse } from '../protocol'
import { readRoots, storePath, within, type Actor } from './access'
import type { Sql } from './db'
import { loadStores } from './results'

export async function submissionStatusFor(
  sql: Sql,
  actor: Actor,
  period: string,
  now: Date,
): Promise<StatusResponse> {
  const roots = readRoots(actor)
  const stores = (await loadStores(sql)).filter((s) => roots.some((r) => within(storePath(s), r)))
  const codes = new Set(stores.map((s) => s.code))
  const rows = await sql.query<{
    store_code: string
    reviewer: Reviewer
    submitted_at: string | null
  }>(
    `SELECT store_code, data->>'reviewer' AS reviewer, data->>'submittedAt' AS submitted_at
       FROM records
      WHERE kind = 'evaluation' AND period = $1 AND NOT deleted AND data->>'status' = 'submitted'`,
    [period],
  )
  const submitted: SubmittedEvaluation[] = rows
    .filter((r) => codes.has(r.store_code))
    .map((r) => ({ storeCode: r.store_code, reviewer: r.reviewer, submittedAt: r.submitted_at }))
  return { period, at: now.toISOString(), ...submissionStatus(stores, submitted, period, now) }
}

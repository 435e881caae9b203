/**
 * Rankings and certification on the server, with the engine of the app and the CLI: the
 * register and the period's submitted scores go through storeResults → proposeCertification →
 * rankingExportData (src/domain, src/io/ranking-export), exactly as `npm run rankings` does.
 * Certification steps, overrides and send-backs run here online, serialised per unit by a row
 * lock, so two certifiers racing for the last 优秀 place get one yes and one clear no.
 */
import { randomUUID } from 'node:crypto'
import {
  CERTIFICATION_STEPS,
  stepBlockers,
  type CertificationStep,
} from '../domain/certification-steps'
import { stepContent, stepOpen } from '../domain/certification-record'
import { quotaUnitKey } from '../domain/certification'
import type { Policy } from '../domain/policy'
import type { CertificationEntry, Evaluation } from '../domain/records'
import { rankPeriod, type RankedPeriod } from '../domain/rankings-pipeline'
import type { EvaluationRecord } from '../domain/store-result'
import { sendBackRule, type SendBackInput } from '../domain/result-rows'
import type { RowExtras } from '../domain/ranking-table'
import type { Grade, Store } from '../domain/types'
import { rankingExportData, STORE_COLUMNS } from '../io/ranking-export'
import { demand, may, provincePath, cityPath, storePath, type Actor } from './access'
import { stepPath } from '../protocol/access'
import type { Sql } from './db'
import { badRequest, conflict, forbidden, notFound, unprocessable } from './errors'
import { lockRecords, writeRecords, type WriteContext } from './records'

export interface PeriodData {
  stores: Store[]
  /** The counting candidates: submitted, scored, and not of a store held by a send-back. */
  records: EvaluationRecord[]
  entries: CertificationEntry[]
  /** Who evaluated, pending stores and their sent-back evaluations (the app's rule). */
  extras: RowExtras
}

export async function loadStores(sql: Sql): Promise<Store[]> {
  const rows = await sql.query<{ data: Store }>(
    "SELECT data FROM records WHERE kind = 'store' AND NOT deleted ORDER BY id",
  )
  return rows.map((r) => r.data)
}

type ScoredRow = SendBackInput & { record: EvaluationRecord; evaluatorName: string }

export async function loadPeriod(sql: Sql, period: string): Promise<PeriodData> {
  const stores = await loadStores(sql)
  const rows = await sql.query<{
    id: string
    store_code: string
    status: 'submitted' | 'returned'
    reviewer: EvaluationRecord['reviewer']
    evaluator: string | null
    submitted_at: string | null
    updated_at: string | null
    returned_reason: string | null
    final: number
    base: number
    bonus: number
    deductions: number
    red_lines: string[] | null
  }>(
    `SELECT id, store_code, data->>'status' AS status, data->>'reviewer' AS reviewer,
            data->>'evaluatorName' AS evaluator, data->>'submittedAt' AS submitted_at,
            data->>'updatedAt' AS updated_at, data->>'returnedReason' AS returned_reason,
            (data->'result'->>'final')::int AS final, (data->'result'->>'base')::int AS base,
            (data->'result'->>'bonus')::int AS bonus, (data->'result'->>'deductions')::int AS deductions,
            data->'result'->'redLines' AS red_lines
       FROM records
      WHERE kind = 'evaluation' AND period = $1 AND NOT deleted
        AND data->>'status' IN ('submitted', 'returned') AND jsonb_typeof(data->'result') = 'object'`,
    [period],
  )
  const scored: ScoredRow[] = rows.map((r) => ({
    storeCode: r.store_code,
    status: r.status,
    submittedAt: r.submitted_at,
    returnedAt: r.status === 'returned' ? r.updated_at : null,
    returnedReason: r.status === 'returned' ? (r.returned_reason ?? '') : null,
    evaluatorName: r.evaluator ?? '',
    record: {
      id: r.id,
      storeCode: r.store_code,
      period,
      reviewer: r.reviewer,
      submittedAt: r.submitted_at ?? '',
      final: r.final,
      base: r.base,
      bonus: r.bonus,
      deductions: r.deductions,
      redLines: r.red_lines ?? [],
    },
  }))
  // The send-back rule of src/domain, as the app applies it to its results rows.
  const rule = sendBackRule(scored)
  const evaluatorById = new Map(scored.map((r) => [r.record.id!, r.evaluatorName]))
  const heldBack = new Map([...rule.heldBack].map(([code, r]) => [code, r.record]))
  const entries = (
    await sql.query<{ data: CertificationEntry }>(
      "SELECT data FROM records WHERE kind = 'certification' AND period = $1 AND NOT deleted ORDER BY version",
      [period],
    )
  ).map((r) => r.data)
  return {
    stores,
    records: rule.counting.map((r) => r.record),
    entries,
    extras: { evaluatorById, pending: rule.pending, heldBack },
  }
}

/** The one rankings pipeline of src/domain, as the app and the CLI run it. */
export function compute(d: PeriodData, policy: Policy, period: string): RankedPeriod {
  return rankPeriod({
    register: d.stores,
    records: d.records,
    policy,
    period,
    log: d.entries,
    extras: d.extras,
  })
}

/** The unit path a ranking scope names, or 400. */
export function scopeUnit(scope: 'group' | 'province' | 'city', unit: string | undefined): string {
  if (scope === 'group') {
    if (unit !== undefined && unit !== 'group')
      throw badRequest('bad-unit', 'the group scope has no unit (or unit=group)')
    return 'group'
  }
  if (!unit)
    throw badRequest('bad-unit', `scope ${scope} needs unit (a province name, or province/city)`)
  const parts = unit.split('/')
  if (scope === 'province' && parts.length === 1) return provincePath(parts[0]!)
  if (scope === 'city' && parts.length === 2) return cityPath(parts[0]!, parts[1]!)
  throw badRequest(
    'bad-unit',
    scope === 'city' ? 'a city is written province/city' : 'a province is written by its name',
  )
}

/** The policies certification chooses from (a RubricSet). */
export interface Policies {
  policy: Policy
  policyFor(province: string): Policy
}

const RANK_KEY = { group: 'rankGroup', province: 'rankProvince', city: 'rankCity' } as const

/** The CLI's rows (its column names, English values) for the stores of one unit. */
export async function rankings(
  sql: Sql,
  actor: Actor,
  policies: Policies,
  q: { period: string; scope: 'group' | 'province' | 'city'; unit?: string | undefined },
): Promise<{
  period: string
  scope: string
  unit: string
  columns: string[]
  rows: Record<string, unknown>[]
}> {
  const path = scopeUnit(q.scope, q.unit)
  demand(actor, 'read', path)
  // A province (and its cities) is certified under its own policy; the group view under the
  // group's.
  const policy = q.scope === 'group' ? policies.policy : policies.policyFor(path.split('/')[1]!)
  const d = await loadPeriod(sql, q.period)
  const data = rankingExportData({ ranked: compute(d, policy, q.period), period: q.period })
  const key = RANK_KEY[q.scope]
  const rows = data.stores
    .filter((r) => storePath(r).startsWith(`${path}/`))
    .sort((a, b) => (a[key] ?? Infinity) - (b[key] ?? Infinity) || (a.code < b.code ? -1 : 1))
    .map((r) => Object.fromEntries(STORE_COLUMNS.map((c) => [c.en, c.value(r, 'en')])))
  return {
    period: q.period,
    scope: q.scope,
    unit: path,
    columns: STORE_COLUMNS.map((c) => c.en),
    rows,
  }
}

/** Serialises certification for one quota unit and period (the row is created once). */
async function lockUnit(sql: Sql, period: string, unit: string): Promise<void> {
  await sql.query(
    'INSERT INTO certification_locks (period, unit) VALUES ($1, $2) ON CONFLICT DO NOTHING',
    [period, unit],
  )
  await sql.query('SELECT 1 FROM certification_locks WHERE period = $1 AND unit = $2 FOR UPDATE', [
    period,
    unit,
  ])
}

function lockKey(policy: Policy, province: string): string {
  return policy.quota.unit === 'group' ? 'group' : province
}

function entryWrite(
  e: CertificationEntry,
  unitPath: string,
  storeCode: string | null,
  action: string,
) {
  return {
    kind: 'certification',
    id: e.id,
    unit: unitPath,
    storeCode,
    period: e.period,
    deleted: false,
    data: e,
    authorId: null,
    action,
  }
}

export async function recordStep(
  sql: Sql,
  actor: Actor,
  policies: Policies,
  req: { period: string; step: CertificationStep; unit: string },
  ctx: WriteContext,
): Promise<CertificationEntry> {
  if (!CERTIFICATION_STEPS.includes(req.step))
    throw badRequest('bad-step', `unknown step ${req.step}`)
  const parts = req.unit.split('/')
  const isCity = req.step === 'city-certify'
  const path = stepPath(req.step, req.unit)
  if (path === null)
    throw badRequest(
      'bad-unit',
      isCity
        ? 'city-certify is for a city, written province/city'
        : `${req.step} is for a province`,
    )
  const province = parts[0]!
  const policy = policies.policyFor(province)
  demand(actor, 'certify', path)
  await lockUnit(sql, req.period, lockKey(policy, province))
  const d = await loadPeriod(sql, req.period)
  if (!d.stores.some((s) => s.province === province && (!isCity || s.city === parts[1])))
    throw notFound(`no stores in ${req.unit}`)
  const ranked = compute(d, policy, req.period)
  // A step stands while nothing under it changed (domain/certification-record.ts): the level
  // below must stand, and a step is taken again only once a change superseded it.
  const settled = (st: CertificationStep, u: string) => !stepOpen(ranked.steps, st, u)
  const blockers = stepBlockers(d.entries, req.step, province, d.stores, settled)
  if (blockers.length > 0)
    throw conflict(
      'step-blocked',
      `${req.step} for ${req.unit} waits for the level below: ${blockers.join(', ')}`,
      { blockers },
    )
  if (settled(req.step, req.unit))
    throw conflict(
      'step-done',
      `${req.step} for ${req.unit} is already recorded for ${req.period}, and nothing under it has changed since`,
    )
  const { proposal, results } = ranked
  // Frozen from the server's own records, never from what a client says it certified.
  const content = stepContent(req.step, req.unit, d.stores, results, proposal)
  const entry: CertificationEntry = {
    id: randomUUID(),
    kind: 'step',
    period: req.period,
    unit: req.unit,
    step: req.step,
    actor: actor.displayName,
    at: new Date().toISOString(),
    payload: {
      ...content,
      units: proposal.units.filter(
        (u) => u.key === province || u.key.startsWith(`${province}/`) || u.key === 'group',
      ),
    },
  }
  await writeRecords(
    sql,
    [entryWrite(entry, isCity ? path : provincePath(province), null, 'certification-step')],
    ctx,
  )
  return entry
}

const GRADE_NAMES: Record<Grade, string> = {
  excellent: '优秀',
  good: '良好',
  pass: '达标',
  fail: '不达标',
}

export async function recordOverride(
  sql: Sql,
  actor: Actor,
  policies: Policies,
  req: { period: string; storeCode: string; grade: Grade | null; reason: string },
  ctx: WriteContext,
): Promise<CertificationEntry> {
  const [s] = await sql.query<{ data: Store }>(
    "SELECT data FROM records WHERE kind = 'store' AND id = $1 AND NOT deleted",
    [req.storeCode],
  )
  if (!s) throw notFound(`store ${req.storeCode} is not in the register`)
  const store = s.data
  demand(actor, 'certify', storePath(store))
  const policy = policies.policyFor(store.province)
  await lockUnit(sql, req.period, lockKey(policy, store.province))
  const d = await loadPeriod(sql, req.period)
  const entry: CertificationEntry = {
    id: randomUUID(),
    kind: 'override',
    period: req.period,
    unit: store.province,
    step: 'override',
    actor: actor.displayName,
    at: new Date().toISOString(),
    storeCode: store.code,
    payload: { grade: req.grade, reason: req.reason },
  }
  if (req.grade === 'excellent' || req.grade === 'good') {
    const after = compute({ ...d, entries: [...d.entries, entry] }, policy, req.period)
    const key = quotaUnitKey(store, policy.quota.unit)
    const u = after.proposal.units.find((x) => x.key === key)
    if (u?.overQuota[req.grade])
      throw conflict(
        'quota-full',
        `no ${GRADE_NAMES[req.grade]} (${req.grade}) place left in ${key} for ${req.period}: ${u.places[req.grade]} places, all used`,
        { unit: key, places: u.places[req.grade] },
      )
  }
  await writeRecords(
    sql,
    [entryWrite(entry, provincePath(store.province), store.code, 'certification-override')],
    ctx,
  )
  return entry
}

export async function recordSendback(
  sql: Sql,
  actor: Actor,
  req: { evaluationId: string; reason: string },
  ctx: WriteContext,
): Promise<Evaluation> {
  const locked = await lockRecords(sql, [{ kind: 'evaluation', id: req.evaluationId }])
  const rec = locked.get(`evaluation\u0000${req.evaluationId}`)
  if (!rec || rec.deleted || !rec.data) throw notFound(`no evaluation ${req.evaluationId}`)
  if (!may(actor, 'certify', rec.unit))
    throw forbidden(`${actor.username} may not send back evaluations of ${rec.unit}`)
  const ev = rec.data as unknown as Evaluation
  if (ev.status !== 'submitted')
    throw unprocessable(
      'not-submitted',
      `evaluation ${ev.id} is ${ev.status}; only a submitted evaluation is sent back`,
    )
  const returned: Evaluation = {
    ...ev,
    status: 'returned',
    returnedReason: req.reason,
    updatedAt: new Date().toISOString(),
  }
  const entry: CertificationEntry = {
    id: randomUUID(),
    kind: 'sendback',
    period: ev.period,
    unit: rec.unit.split('/').slice(1, 2).join('/'),
    step: 'sendback',
    actor: actor.displayName,
    at: returned.updatedAt,
    storeCode: ev.storeCode,
    payload: { evaluationId: ev.id, reason: req.reason },
  }
  await writeRecords(
    sql,
    [
      {
        kind: 'evaluation',
        id: ev.id,
        unit: rec.unit,
        storeCode: ev.storeCode,
        period: ev.period,
        deleted: false,
        data: returned,
        authorId: rec.author_id,
        action: 'send-back-evaluation',
      },
      entryWrite(
        entry,
        rec.unit.split('/').slice(0, 2).join('/'),
        ev.storeCode,
        'certification-sendback',
      ),
    ],
    ctx,
  )
  return returned
}

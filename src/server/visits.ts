/**
 * Visit plans (issue 13): an office user of a city, a province or the group plans which inspector
 * visits which stores by when. Every plan passes the one check (`mayPlanVisit`, shared with the
 * app: the planner's unit contains the store and the inspector) and is written as a synced record
 * of kind `visit` through `writeRecords`, so every write is in the audit log and the pull carries
 * it to the tablets. The record's unit is the store's city: the inspectors of the city and above
 * receive it; the store's own manager does not (visits are not announced to the store).
 */
import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { quarterOf } from '../domain/period'
import type { Store } from '../domain/types'
import {
  MAX_PLAN_STORES,
  mayPlanVisit,
  planningUnits,
  planVisits,
  type PlannableInspector,
  type VisitPlan,
} from '../protocol/visits'
import { cityPath, readRoots, storePath, within, type Actor } from './access'
import { parse, writeCtx } from './app'
import { rolesOf } from './auth'
import type { Context } from './context'
import type { Sql } from './db'
import { badRequest, forbidden, notFound } from './errors'
import { writeRecords, type RecordWrite } from './records'

async function storesByCode(sql: Sql, codes: readonly string[]): Promise<Map<string, Store>> {
  const rows = await sql.query<{ data: Store }>(
    `SELECT data FROM records WHERE kind = 'store' AND NOT deleted AND id = ANY($1::text[])`,
    [[...codes]],
  )
  return new Map(rows.map((r) => [r.data.code, r.data]))
}

/** Inspectors (enabled accounts with an inspector role) inside the caller's planning units. */
export async function plannableInspectors(sql: Sql, actor: Actor): Promise<PlannableInspector[]> {
  const units = planningUnits(actor.roles)
  if (units.length === 0) return []
  const rows = await sql.query<{
    id: number
    username: string
    display_name: string
    unit: string
  }>(
    `SELECT u.id, u.username, u.display_name, r.unit
       FROM users u JOIN roles r ON r.user_id = u.id
      WHERE r.role = 'inspector' AND NOT u.disabled
        AND EXISTS (SELECT 1 FROM unnest($1::text[]) AS p(path)
                     WHERE r.unit = p.path OR left(r.unit, length(p.path) + 1) = p.path || '/')
      ORDER BY u.display_name, u.id, r.unit`,
    [units],
  )
  const byId = new Map<number, PlannableInspector>()
  for (const r of rows) {
    const id = Number(r.id)
    const e = byId.get(id) ?? { id, username: r.username, displayName: r.display_name, units: [] }
    e.units.push(r.unit)
    byId.set(id, e)
  }
  return [...byId.values()]
}

/**
 * Plans one inspector's visits to the stores, in one transaction: any store outside the check
 * refuses the whole batch (nothing is half-written). A visit already planned for the same
 * inspector, store and date is returned as it is.
 */
export async function planVisitsFor(
  sql: Sql,
  actor: Actor,
  input: ReturnType<typeof planVisits.parse>,
  now: Date,
): Promise<VisitPlan[]> {
  if (planningUnits(actor.roles).length === 0)
    throw forbidden(`${actor.username} may not plan visits`)
  const codes = [...new Set(input.storeCodes)]
  const [inspector] = await sql.query<{ id: number; display_name: string; disabled: boolean }>(
    'SELECT id, display_name, disabled FROM users WHERE id = $1',
    [input.inspectorId],
  )
  if (!inspector || inspector.disabled)
    throw badRequest('unknown-inspector', `no enabled user ${input.inspectorId}`)
  const inspectorRoles = await rolesOf(sql, input.inspectorId)
  const stores = await storesByCode(sql, codes)
  const missing = codes.filter((c) => !stores.has(c))
  if (missing.length)
    throw badRequest('unknown-store', `no store ${missing.slice(0, 5).join(', ')}`, { missing })
  const refused = codes.filter(
    (c) => !mayPlanVisit(actor.roles, inspectorRoles, storePath(stores.get(c)!)),
  )
  if (refused.length)
    throw forbidden(
      `${actor.username} may not plan ${inspector.display_name} at ${refused.slice(0, 5).join(', ')}` +
        ' (the store and the inspector must both be in one of your units, and the inspector must cover the store)',
      'outside-units',
    )
  const existing = await sql.query<{ store_code: string; data: VisitPlan }>(
    `SELECT store_code, data FROM records
      WHERE kind = 'visit' AND NOT deleted AND store_code = ANY($1::text[])
        AND data ->> 'inspectorId' = $2 AND data ->> 'due' = $3`,
    [codes, String(input.inspectorId), input.due],
  )
  const have = new Map(existing.map((r) => [r.store_code, r.data]))
  const at = now.toISOString()
  const out: VisitPlan[] = []
  const writes: RecordWrite[] = []
  for (const code of codes) {
    const old = have.get(code)
    if (old) {
      out.push(old)
      continue
    }
    const s = stores.get(code)!
    const plan: VisitPlan = {
      id: randomUUID(),
      storeCode: code,
      inspectorId: Number(inspector.id),
      inspectorName: inspector.display_name,
      due: input.due,
      note: input.note ?? null,
      plannedById: actor.id,
      plannedByName: actor.displayName,
      plannedAt: at,
    }
    out.push(plan)
    writes.push({
      kind: 'visit',
      id: plan.id,
      unit: cityPath(s.province, s.city),
      storeCode: code,
      period: quarterOf(new Date(`${input.due}T04:00:00Z`)),
      deleted: false,
      data: plan,
      authorId: actor.id,
      action: 'plan-visit',
    })
  }
  await writeRecords(sql, writes, writeCtx(actor))
  return out
}

/** Cancels a planned visit (a tombstone, so the tablets drop it at their next pull). */
export async function cancelVisit(sql: Sql, actor: Actor, id: string): Promise<void> {
  const [row] = await sql.query<{ store_code: string; unit: string; data: VisitPlan }>(
    `SELECT store_code, unit, data FROM records WHERE kind = 'visit' AND id = $1 AND NOT deleted
        FOR UPDATE`,
    [id],
  )
  if (!row || !readRoots(actor).some((r) => within(row.unit, r))) throw notFound(`no visit ${id}`)
  const [store] = (await storesByCode(sql, [row.store_code])).values()
  const unit = store ? storePath(store) : `${row.unit}/${row.store_code}`
  if (!planningUnits(actor.roles).some((u) => within(unit, u)))
    throw forbidden(`${actor.username} may not cancel visits in ${row.unit}`, 'outside-units')
  await writeRecords(
    sql,
    [
      {
        kind: 'visit',
        id,
        unit: row.unit,
        storeCode: row.store_code,
        period: null,
        deleted: true,
        data: null,
        authorId: actor.id,
        action: 'cancel-visit',
      },
    ],
    writeCtx(actor),
  )
}

/** The planned visits the caller may read (their units), soonest first. */
export async function listVisits(sql: Sql, actor: Actor): Promise<VisitPlan[]> {
  const roots = readRoots(actor)
  if (roots.length === 0) return []
  const rows = await sql.query<{ data: VisitPlan }>(
    `SELECT data FROM records
      WHERE kind = 'visit' AND NOT deleted
        AND EXISTS (SELECT 1 FROM unnest($1::text[]) AS p(path)
                     WHERE records.unit = p.path OR left(records.unit, length(p.path) + 1) = p.path || '/')
      ORDER BY data ->> 'due', store_code`,
    [roots],
  )
  return rows.map((r) => r.data)
}

export async function visitRoutes(
  app: FastifyInstance,
  ctx: Context,
  actorOf: (req: FastifyRequest) => Promise<Actor>,
): Promise<void> {
  const { db } = ctx
  app.get('/api/visits/inspectors', async (req) => ({
    inspectors: await plannableInspectors(db, await actorOf(req)),
  }))
  app.get('/api/visits', async (req) => ({ visits: await listVisits(db, await actorOf(req)) }))
  app.post('/api/visits', { bodyLimit: 64 * 1024 + MAX_PLAN_STORES * 256 }, async (req, reply) => {
    const a = await actorOf(req)
    const body = parse(planVisits, req.body)
    const visits = await db.tx((sql) => planVisitsFor(sql, a, body, new Date()))
    return reply.code(201).send({ visits })
  })
  app.delete<{ Params: { id: string } }>('/api/visits/:id', async (req, reply) => {
    const a = await actorOf(req)
    await db.tx((sql) => cancelVisit(sql, a, req.params.id))
    return reply.code(204).send()
  })
}

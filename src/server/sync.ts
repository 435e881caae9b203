/**
 * Push and pull. A push is one device's batch with an increasing sequence number, applied in one
 * transaction: the device row is locked first and the batch's result stored under (device,
 * seq), so a repeated or parallel push has exactly one effect and gets the same answer. Any
 * refusal (outside the user's units, invalid answers, forged score, …) rolls the whole batch
 * back. Divergent copies follow the bundle merge rules (src/domain/merge.ts).
 */
import { forkSibling } from '../domain/forks'
import { classify, sameContent } from '../domain/merge'
import {
  SIGNATURE_ROLES,
  signatureProblem,
  type CorrectiveAction,
  type Evaluation,
} from '../domain/records'
import type { RubricEntry } from '../domain/rubric-registry'
import { checkForSubmit, liveStatus } from '../domain/submit-check'
import type { Store } from '../domain/types'
import type {
  Change,
  ChangeResult,
  EvaluationInput,
  PullResponse,
  PushRequest,
  PushResponse,
} from '../protocol'
import { reviewersFor, storePath, type Actor } from './access'
import { rolesOf } from './auth'
import type { Database, Sql } from './db'
import { badRequest, conflict, forbidden, HttpError, unprocessable } from './errors'
import {
  keyOf,
  lockRecords,
  readRecords,
  writeRecords,
  type RecordWrite,
  type StoredRecord,
} from './records'
import type { Rubrics } from './rubrics'

export interface SyncDeps {
  db: Database
  rubrics: Rubrics
  now?: () => Date
}

const SERVER_SET = new Set(['updatedAt', 'editSeq', 'result', 'submittedAt', 'evaluatorName'])

/** The fields that make an evaluation what it is (server-set times, counters and names aside). */
function evalProjection(e: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(e).filter(([k]) => !SERVER_SET.has(k)))
}

/** Fresh from the database inside the transaction: a user disabled or moved a moment ago counts. */
async function currentActor(sql: Sql, actor: Actor): Promise<Actor> {
  const [u] = await sql.query<{ disabled: boolean; display_name: string }>(
    'SELECT disabled, display_name FROM users WHERE id = $1 FOR SHARE',
    [actor.id],
  )
  if (!u || u.disabled) throw new HttpError(401, 'unauthorized', 'the account is disabled')
  return { ...actor, displayName: u.display_name, roles: await rolesOf(sql, actor.id) }
}

export async function push(deps: SyncDeps, caller: Actor, req: PushRequest): Promise<PushResponse> {
  const now = deps.now ?? (() => new Date())
  if (caller.deviceId !== null && caller.deviceId !== req.deviceId)
    throw forbidden('this token belongs to another device', 'device-mismatch')
  const seen = new Set<string>()
  for (const c of req.changes) {
    const k = keyOf(c.kind, c.op === 'delete' ? c.id : c.record.id)
    if (seen.has(k))
      throw badRequest(
        'duplicate-change',
        `${c.kind} ${k.split('\u0000')[1]} appears twice in one push`,
      )
    seen.add(k)
  }
  return deps.db.tx(async (sql) => {
    const actor = await currentActor(sql, caller)
    await sql.query(
      'INSERT INTO devices (id, user_id) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING',
      [req.deviceId, actor.id],
    )
    const [device] = await sql.query<{ last_seq: number; revoked_at: Date | null }>(
      'SELECT last_seq, revoked_at FROM devices WHERE id = $1 FOR UPDATE',
      [req.deviceId],
    )
    if (!device || device.revoked_at)
      throw forbidden('this device has been revoked', 'device-revoked')
    const [prev] = await sql.query<{ user_id: number; result: PushResponse }>(
      'SELECT user_id, result FROM pushes WHERE device_id = $1 AND seq = $2',
      [req.deviceId, req.seq],
    )
    if (prev) {
      if (prev.user_id !== actor.id)
        throw conflict('sequence-used', `push ${req.seq} of this device was sent by another user`)
      return { ...prev.result, replayed: true }
    }
    if (req.seq <= device.last_seq)
      throw conflict(
        'sequence-behind',
        `push ${req.seq} is not after this device's last push (${device.last_seq})`,
        { lastSeq: device.last_seq },
      )
    const results = await applyChanges(sql, deps, actor, req.changes, now(), req.deviceId)
    const response: PushResponse = { seq: req.seq, replayed: false, results }
    await sql.query(
      'INSERT INTO pushes (device_id, seq, user_id, result) VALUES ($1, $2, $3, $4::jsonb)',
      [req.deviceId, req.seq, actor.id, JSON.stringify(response)],
    )
    await sql.query('UPDATE devices SET last_seq = $2 WHERE id = $1', [req.deviceId, req.seq])
    return response
  })
}

interface Planned {
  result: ChangeResult
  write?: RecordWrite
}

/** Plans every change (throwing on the first refusal), then writes them all. */
export async function applyChanges(
  sql: Sql,
  deps: SyncDeps,
  actor: Actor,
  changes: readonly Change[],
  now: Date,
  deviceId: string | null,
): Promise<ChangeResult[]> {
  const rubrics = await deps.rubrics.current(sql)
  const storeCodes = new Set<string>()
  const keys: { kind: string; id: string }[] = []
  for (const c of changes) {
    if (c.op === 'delete') keys.push({ kind: c.kind, id: c.id })
    else {
      keys.push({ kind: c.kind, id: c.record.id })
      storeCodes.add(c.record.storeCode)
      if (c.kind === 'evaluation' && c.record.revisionOf)
        keys.push({ kind: 'evaluation', id: c.record.revisionOf })
    }
  }
  const locked = await lockRecords(sql, keys)
  // Revisions already on the server of every base a new revision revises (domain/forks.ts). The
  // base rows are locked above, so two pushes revising one base are serialised and the second
  // sees the first's revision here.
  const bases = [
    ...new Set(
      changes.flatMap((c) =>
        c.kind === 'evaluation' && c.op === 'put' && c.record.revisionOf
          ? [c.record.revisionOf]
          : [],
      ),
    ),
  ]
  const revising = new Map<string, { id: string; data: Evaluation }[]>()
  if (bases.length)
    for (const r of await sql.query<{ id: string; data: Evaluation }>(
      `SELECT id, data FROM records
        WHERE kind = 'evaluation' AND NOT deleted AND data->>'revisionOf' = ANY($1::text[])`,
      [bases],
    ))
      revising.set(r.data.revisionOf!, [...(revising.get(r.data.revisionOf!) ?? []), r])
  const stores = await readRecords(sql, 'store', [...storeCodes])
  const storeOf = (code: string): Store => {
    const s = stores.get(code)
    if (!s || s.deleted || !s.data)
      throw unprocessable('unknown-store', `store ${code} is not in the register`)
    return s.data as unknown as Store
  }

  const planned: Planned[] = []
  for (const c of changes) {
    if (c.kind === 'evaluation' && c.op === 'put')
      planned.push(planEvaluation(c.record, c.baseVersion))
    else if (c.kind === 'evaluation' && c.op === 'delete')
      planned.push(planDelete(c.id, c.baseVersion))
    else if (c.kind === 'action' && c.op === 'put')
      planned.push(planAction(c.record, c.baseVersion))
  }

  const writes = planned.flatMap((p) => (p.write ? [p.write] : []))
  const versions = await writeRecords(sql, writes, {
    userId: actor.id,
    username: actor.username,
    deviceId,
  })
  let i = 0
  for (const p of planned) if (p.write) p.result.version = versions[i++] ?? null
  return planned.map((p) => p.result)

  function planEvaluation(rec: EvaluationInput, baseVersion: number | null): Planned {
    const store = storeOf(rec.storeCode)
    const unit = storePath(store)
    const allowed = reviewersFor(actor, unit)
    if (allowed.length === 0)
      throw forbidden(`${actor.username} may not evaluate store ${store.code}`, 'outside-units')
    const reviewer = rec.reviewer ?? allowed[0]!
    if (!allowed.includes(reviewer))
      throw forbidden(
        `${actor.username} may evaluate store ${store.code} only as ${allowed.join(' or ')}, not ${reviewer}`,
        'reviewer-not-allowed',
      )
    const existing = locked.get(keyOf('evaluation', rec.id))
    const evaluatorName = (existing?.data?.evaluatorName as string | undefined) ?? actor.displayName
    if (rec.evaluatorName !== undefined && rec.evaluatorName !== evaluatorName)
      throw forbidden(
        `the evaluator of ${rec.id} is ${evaluatorName}, not ${rec.evaluatorName}`,
        'evaluator-not-allowed',
      )
    const entry = rubrics.registry.entry(rec.rubricId, rec.rubricVersion)
    if (!entry)
      throw unprocessable(
        'unknown-rubric',
        `rubric ${rec.rubricId}@${rec.rubricVersion} is not known to the server`,
      )
    if (!rubricFits(entry, store))
      throw unprocessable(
        'rubric-not-for-store',
        `rubric ${rec.rubricId}@${rec.rubricVersion} does not apply to store ${store.code}`,
      )
    if (rec.status === 'returned' && (existing?.data?.status !== 'returned' || !existing))
      throw unprocessable(
        'status-not-allowed',
        'only a certifier sends an evaluation back (POST /api/certification/sendbacks)',
      )

    const rubric = entry.rubric
    // The store's province policy (its score cap and bands), as the tablet uses it: the same
    // answers give the same score on both sides.
    const policy = rubrics.policyFor(store.province)
    let result: unknown = null
    if (rec.status === 'draft') {
      const live = liveStatus(rubric, rec.answers, policy)
      if (live.errors.length > 0)
        throw unprocessable(
          'invalid-answers',
          `evaluation ${rec.id}: ${live.errors.map((e) => e.message).join('; ')}`,
          live.errors,
        )
    } else {
      const check = checkForSubmit(
        rubric,
        rec.answers,
        { crossBorderZone: rec.crossBorderZone },
        policy,
      )
      if (!check.ok)
        throw unprocessable(
          'not-submittable',
          `evaluation ${rec.id} cannot be submitted: ${check.problems.map((p) => p.code).join(', ')}`,
          check.problems,
        )
      result = check.result
      const claimed = rec.result as { final?: unknown; grade?: unknown } | null | undefined
      const computed = check.result
      if (claimed !== undefined && claimed !== null) {
        if (
          computed === null ||
          claimed.final !== computed.final ||
          (claimed.grade !== undefined && claimed.grade !== computed.grade)
        )
          throw unprocessable(
            'score-mismatch',
            `evaluation ${rec.id}: the score sent (${String(claimed.final)}) is not what its answers give (${computed === null ? 'none' : computed.final})`,
          )
      }
    }
    const nowIso = now.toISOString()
    const submittedAt =
      rec.status === 'draft'
        ? null
        : ((existing?.data?.submittedAt as string | null | undefined) ??
          clampTime(rec.submittedAt ?? nowIso, rec.createdAt, nowIso))
    const record: Evaluation = {
      id: rec.id,
      storeCode: store.code,
      period: rec.period,
      reviewer,
      evaluatorName,
      rubricId: rec.rubricId,
      rubricVersion: rec.rubricVersion,
      status: rec.status,
      answers: rec.answers,
      revision: rec.revision,
      revisionOf: rec.revisionOf,
      createdAt: rec.createdAt,
      updatedAt: nowIso,
      submittedAt,
      result,
      editSeq: 0,
    }
    if (rec.crossBorderZone !== undefined) record.crossBorderZone = rec.crossBorderZone
    // The visit's signatures are content like the answers: a change of a draft is a change, a
    // submitted evaluation's only change by a new revision (sameContent/classify below).
    // A bundle upload reaches here without the route's schema: the domain rule again.
    const sigs = rec.signatures ?? {}
    for (const [role, sig] of Object.entries(sigs))
      if (
        !(SIGNATURE_ROLES as readonly string[]).includes(role) ||
        !sig ||
        signatureProblem(sig) !== null
      )
        throw unprocessable(
          'bad-signature',
          `evaluation ${rec.id}: the ${role} signature is not valid`,
        )
    if (Object.keys(sigs).length > 0)
      record.signatures = Object.fromEntries(
        Object.entries(sigs).map(([role, g]) => [
          role,
          { name: g.name.trim(), at: g.at, png: g.png },
        ]),
      )
    // The device that made it: kept from the first copy; else the one the device names, else
    // the pushing device (domain/forks.ts).
    const originDevice =
      (existing?.data?.originDevice as string | undefined) ??
      (existing ? undefined : (rec.originDevice ?? deviceId ?? undefined))
    if (originDevice !== undefined) record.originDevice = originDevice
    if (existing?.data?.returnedReason !== undefined)
      record.returnedReason = existing.data.returnedReason as string
    const write: RecordWrite = {
      kind: 'evaluation',
      id: rec.id,
      unit,
      storeCode: store.code,
      period: rec.period,
      deleted: false,
      data: record,
      authorId: existing?.author_id ?? actor.id,
      action: rec.status === 'submitted' ? 'submit-evaluation' : 'save-evaluation',
    }
    const base = { kind: 'evaluation', id: rec.id }

    if (!existing) {
      if (rec.revisionOf === null) {
        if (rec.revision !== 1)
          throw unprocessable(
            'bad-revision',
            `evaluation ${rec.id}: a first evaluation has revision 1`,
          )
      } else {
        const revised = locked.get(keyOf('evaluation', rec.revisionOf))
        const rd = revised?.data as Evaluation | null | undefined
        if (!rd || revised?.deleted)
          throw unprocessable(
            'unknown-revised',
            `evaluation ${rec.id} revises ${rec.revisionOf}, which the server does not have`,
          )
        if (rd.status === 'draft')
          throw conflict(
            'revises-draft',
            `evaluation ${rec.revisionOf} is a draft; edit it instead of revising it`,
          )
        if (
          rd.storeCode !== rec.storeCode ||
          rd.period !== rec.period ||
          rec.revision !== rd.revision + 1
        )
          throw unprocessable(
            'bad-revision',
            `evaluation ${rec.id} must be revision ${rd.revision + 1} of the same store and period as ${rd.id}`,
          )
        if (rd.reviewer !== reviewer)
          throw forbidden(
            `${actor.username} may not reopen a ${rd.reviewer} evaluation`,
            'reopen-not-allowed',
          )
        // Two revisions of one base may not both stand: the second is refused as a conflict
        // with the first, which comes back for the user to see (domain/forks.ts).
        const sibling = forkSibling(record, revising.get(rd.id)?.map((r) => r.data) ?? [])
        if (sibling)
          return {
            result: {
              ...base,
              outcome: 'conflict',
              reason: 'forked',
              version: null,
              server: sibling,
            },
          }
        revising.set(rd.id, [...(revising.get(rd.id) ?? []), { id: record.id, data: record }])
        write.action = 'reopen-evaluation'
      }
      return { result: { ...base, outcome: 'applied', version: null }, write }
    }
    const ex = existing.data as unknown as Evaluation | null
    if (existing.deleted || !ex)
      return { result: { ...base, outcome: 'conflict', version: existing.version, server: null } }
    if (
      ex.storeCode !== rec.storeCode ||
      ex.period !== rec.period ||
      ex.revision !== rec.revision ||
      ex.revisionOf !== rec.revisionOf ||
      ex.reviewer !== reviewer
    )
      throw conflict(
        'immutable-field',
        `evaluation ${rec.id}: store, period, revision and reviewer do not change; start a new evaluation`,
      )
    const incomingP = evalProjection(record as unknown as Record<string, unknown>)
    const serverP = evalProjection(ex as unknown as Record<string, unknown>)
    if (sameContent('evaluation', serverP, incomingP))
      return { result: { ...base, outcome: 'same', version: existing.version } }
    if (existing.author_id !== actor.id)
      throw forbidden(
        `evaluation ${rec.id} is ${ex.evaluatorName}'s; only its evaluator changes it`,
        'not-author',
      )
    const verdict = classify('evaluation', serverP, incomingP)
    if (ex.status !== 'draft')
      return {
        result: {
          ...base,
          outcome: verdict === 'older' ? 'older' : 'locked',
          version: existing.version,
          server: ex,
        },
      }
    if (baseVersion === existing.version || verdict === 'update')
      return { result: { ...base, outcome: 'applied', version: null }, write }
    return {
      result: {
        ...base,
        outcome: verdict === 'older' ? 'older' : 'conflict',
        version: existing.version,
        server: ex,
      },
    }
  }

  function planDelete(id: string, baseVersion: number | null): Planned {
    const existing = locked.get(keyOf('evaluation', id))
    const base = { kind: 'evaluation', id }
    if (!existing || existing.deleted)
      return { result: { ...base, outcome: 'same', version: existing?.version ?? null } }
    const ex = existing.data as unknown as Evaluation
    if (existing.author_id !== actor.id)
      throw forbidden(
        `evaluation ${id} is ${ex.evaluatorName}'s; only its evaluator deletes it`,
        'not-author',
      )
    if (ex.status !== 'draft')
      return { result: { ...base, outcome: 'locked', version: existing.version, server: ex } }
    if (baseVersion !== existing.version)
      return { result: { ...base, outcome: 'conflict', version: existing.version, server: ex } }
    return {
      result: { ...base, outcome: 'applied', version: null },
      write: {
        kind: 'evaluation',
        id,
        unit: existing.unit,
        storeCode: ex.storeCode,
        period: ex.period,
        deleted: true,
        data: null,
        authorId: existing.author_id,
        action: 'delete-evaluation',
      },
    }
  }

  function planAction(rec: CorrectiveAction, baseVersion: number | null): Planned {
    const store = storeOf(rec.storeCode)
    const unit = storePath(store)
    if (reviewersFor(actor, unit).length === 0)
      throw forbidden(
        `${actor.username} may not record actions for store ${store.code}`,
        'outside-units',
      )
    const existing: StoredRecord | undefined = locked.get(keyOf('action', rec.id))
    const base = { kind: 'action', id: rec.id }
    const write: RecordWrite = {
      kind: 'action',
      id: rec.id,
      unit,
      storeCode: store.code,
      period: null,
      deleted: false,
      data: rec,
      authorId: existing?.author_id ?? actor.id,
      action: 'save-action',
    }
    if (!existing || existing.deleted)
      return { result: { ...base, outcome: 'applied', version: null }, write }
    if (existing.unit !== unit)
      throw conflict('immutable-field', `action ${rec.id} belongs to another store`)
    if (sameContent('action', existing.data, rec))
      return { result: { ...base, outcome: 'same', version: existing.version } }
    const verdict = classify<unknown>('action', existing.data, rec)
    if (baseVersion === existing.version || verdict === 'update')
      return { result: { ...base, outcome: 'applied', version: null }, write }
    return {
      result: {
        ...base,
        outcome: verdict === 'older' ? 'older' : 'conflict',
        version: existing.version,
        server: existing.data,
      },
    }
  }
}

function rubricFits(entry: RubricEntry, store: Store): boolean {
  const a = entry.rubric.appliesTo
  if (!a.levels.includes(store.level) || !a.types.includes(store.type)) return false
  return entry.provinces === undefined || entry.provinces.some((p) => store.province.startsWith(p))
}

/** A device's clock is believed only between the evaluation's creation and now. */
function clampTime(t: string, min: string, max: string): string {
  const ms = Date.parse(t)
  if (Number.isNaN(ms)) return max
  return new Date(Math.min(Math.max(ms, Date.parse(min)), Date.parse(max))).toISOString()
}

export class CursorTooOld extends HttpError {
  constructor(horizon: number) {
    super(
      410,
      'cursor-too-old',
      'this cursor is older than the changes the server keeps; start again from cursor 0 (push what is unsent first)',
      { horizon },
    )
  }
}

/**
 * Everything in the caller's units after `cursor`, in version order, `limit` at a time; rubric
 * variants and policies of the units above theirs too (they are scored with them).
 */
export async function pull(
  db: Sql,
  actor: Actor,
  cursor: number,
  limit: number,
): Promise<PullResponse> {
  const [meta] = await db.query<{ horizon: number; scope_version: number }>(
    `SELECT (SELECT horizon FROM sync_clock WHERE id = 1) AS horizon,
            (SELECT scope_version FROM users WHERE id = $1) AS scope_version`,
    [actor.id],
  )
  const horizon = Number(meta?.horizon ?? 0)
  const scopeVersion = Number(meta?.scope_version ?? 0)
  if (cursor > 0 && (cursor < horizon || cursor < scopeVersion))
    throw new CursorTooOld(Math.max(horizon, scopeVersion))
  const units = [...new Set(actor.roles.map((r) => r.unit))]
  if (units.length === 0) return { changes: [], cursor, more: false }
  const rows = await db.query<{
    kind: string
    id: string
    version: number
    deleted: boolean
    data: unknown
    unit: string
  }>(
    `SELECT kind, id, version, deleted, data, unit FROM records
      WHERE version > $1
        AND EXISTS (SELECT 1 FROM unnest($3::text[]) AS u(path)
                     WHERE records.unit = u.path
                        OR left(records.unit, length(u.path) + 1) = u.path || '/'
                        OR (records.kind IN ('rubric', 'policy')
                            AND left(u.path, length(records.unit) + 1) = records.unit || '/'))
      ORDER BY version
      LIMIT $2`,
    [cursor, limit + 1, units],
  )
  const more = rows.length > limit
  const page = more ? rows.slice(0, limit) : rows
  const last = page.at(-1)
  // On the last page everything visible after the cursor was sent, so the cursor may move past
  // the horizon and the user's last change of units (or it would be "too old" at once).
  const end = last ? Number(last.version) : cursor
  return {
    changes: page.map((r) => ({
      kind: r.kind,
      id: r.id,
      version: Number(r.version),
      deleted: r.deleted,
      data: r.data,
      ...(r.kind === 'rubric' || r.kind === 'policy' ? { unit: r.unit } : {}),
    })),
    cursor: more ? end : Math.max(end, horizon, scopeVersion),
    more,
  }
}

/** Removes tombstones up to `version`; cursors before it then start again. */
export async function purgeTombstones(db: Database, upToVersion: number): Promise<number> {
  return db.tx(async (sql) => {
    const rows = await sql.query<{ n: number }>(
      `WITH d AS (DELETE FROM records WHERE deleted AND version <= $1 RETURNING 1)
       SELECT count(*)::int AS n FROM d`,
      [upToVersion],
    )
    await sql.query('UPDATE sync_clock SET horizon = greatest(horizon, $1) WHERE id = 1', [
      upToVersion,
    ])
    return rows[0]?.n ?? 0
  })
}

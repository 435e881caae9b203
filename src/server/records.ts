/**
 * The records table: every synced record (stores, evaluations, corrective actions, certification
 * entries, rubrics, policies) with its unit, a server-assigned version and a tombstone flag.
 * Writers allocate versions last, from the one-row clock whose lock they then hold until commit,
 * so versions become visible in increasing order and a pull by version never skips a row.
 */
import type { Sql } from './db'

export interface StoredRecord {
  kind: string
  id: string
  unit: string
  version: number
  deleted: boolean
  data: Record<string, unknown> | null
  author_id: number | null
}

export interface RecordWrite {
  kind: string
  id: string
  unit: string
  storeCode: string | null
  period: string | null
  deleted: boolean
  data: unknown
  authorId: number | null
  /** What the audit log says was done (`create`, `update`, `delete`, `submit`, …). */
  action: string
}

export const keyOf = (kind: string, id: string) => `${kind}\u0000${id}`

/** Reads records by (kind, id), locking them for the rest of the transaction. */
export async function lockRecords(
  sql: Sql,
  keys: readonly { kind: string; id: string }[],
): Promise<Map<string, StoredRecord>> {
  const out = new Map<string, StoredRecord>()
  if (keys.length === 0) return out
  const rows = await sql.query<StoredRecord & Record<string, unknown>>(
    `SELECT r.kind, r.id, r.unit, r.version, r.deleted, r.data, r.author_id
       FROM records r
       JOIN (SELECT * FROM unnest($1::text[], $2::text[]) AS k(kind, id)) k
         ON r.kind = k.kind AND r.id = k.id
      ORDER BY r.kind, r.id
        FOR UPDATE OF r`,
    [keys.map((k) => k.kind), keys.map((k) => k.id)],
  )
  for (const r of rows) out.set(keyOf(r.kind, r.id), r)
  return out
}

export async function readRecords(
  sql: Sql,
  kind: string,
  ids: readonly string[],
): Promise<Map<string, StoredRecord>> {
  const out = new Map<string, StoredRecord>()
  if (ids.length === 0) return out
  const rows = await sql.query<StoredRecord & Record<string, unknown>>(
    `SELECT kind, id, unit, version, deleted, data, author_id FROM records
      WHERE kind = $1 AND id = ANY($2::text[])`,
    [kind, [...ids]],
  )
  for (const r of rows) out.set(r.id, r)
  return out
}

export interface WriteContext {
  userId: number | null
  username: string | null
  deviceId: string | null
}

/**
 * Writes the records with fresh versions (in the order given) and one audit row each, in two
 * statements. Returns the versions. Call last in the transaction: the clock row stays locked.
 */
export async function writeRecords(
  sql: Sql,
  writes: readonly RecordWrite[],
  ctx: WriteContext,
): Promise<number[]> {
  if (writes.length === 0) return []
  const [clock] = await sql.query<{ version: number }>(
    'UPDATE sync_clock SET version = version + $1 WHERE id = 1 RETURNING version',
    [writes.length],
  )
  const last = Number(clock!.version)
  const first = last - writes.length + 1
  const rows = writes.map((w, i) => ({
    kind: w.kind,
    id: w.id,
    unit: w.unit,
    store_code: w.storeCode,
    period: w.period,
    version: first + i,
    deleted: w.deleted,
    data: w.deleted ? null : w.data,
    author_id: w.authorId,
    updated_by: ctx.userId,
  }))
  await sql.query(
    `INSERT INTO records (kind, id, unit, store_code, period, version, deleted, data, author_id, updated_by, updated_at)
     SELECT kind, id, unit, store_code, period, version, deleted, data, author_id, updated_by, now()
       FROM jsonb_to_recordset($1::jsonb) AS x(kind text, id text, unit text, store_code text,
            period text, version bigint, deleted boolean, data jsonb, author_id bigint, updated_by bigint)
     ON CONFLICT (kind, id) DO UPDATE SET
       unit = excluded.unit, store_code = excluded.store_code, period = excluded.period,
       version = excluded.version, deleted = excluded.deleted, data = excluded.data,
       author_id = excluded.author_id, updated_by = excluded.updated_by, updated_at = now()`,
    [JSON.stringify(rows)],
  )
  await refreshPhotoRefs(sql, writes)
  await audit(
    sql,
    ctx,
    writes.map((w, i) => ({
      action: w.action,
      kind: w.kind,
      target: w.id,
      unit: w.unit,
      detail: { version: first + i, data: w.deleted ? null : w.data },
    })),
  )
  return rows.map((r) => r.version)
}

const SHA = /^[0-9a-f]{64}$/

/** The photo hashes a record references: an evaluation's answers' photoIds, an action's evidence. */
export function photoHashesOf(kind: string, data: unknown): string[] {
  if (data === null || typeof data !== 'object') return []
  const d = data as { answers?: unknown; evidencePhotoIds?: unknown }
  const out = new Set<string>()
  const add = (ids: unknown) => {
    if (Array.isArray(ids))
      for (const x of ids) if (typeof x === 'string' && SHA.test(x)) out.add(x)
  }
  if (kind === 'evaluation' && d.answers && typeof d.answers === 'object')
    for (const a of Object.values(d.answers as Record<string, { photoIds?: unknown } | null>))
      add(a?.photoIds)
  if (kind === 'action') add(d.evidencePhotoIds)
  return [...out]
}

/** Replaces the photo_refs rows of the written evaluations and actions (a tombstone has none). */
async function refreshPhotoRefs(sql: Sql, writes: readonly RecordWrite[]): Promise<void> {
  const touched = writes.filter((w) => w.kind === 'evaluation' || w.kind === 'action')
  if (touched.length === 0) return
  await sql.query(
    `DELETE FROM photo_refs p USING unnest($1::text[], $2::text[]) AS k(kind, id)
      WHERE p.kind = k.kind AND p.id = k.id`,
    [touched.map((w) => w.kind), touched.map((w) => w.id)],
  )
  const refs = touched.flatMap((w) =>
    w.deleted
      ? []
      : photoHashesOf(w.kind, w.data).map((sha256) => ({
          sha256,
          kind: w.kind,
          id: w.id,
          unit: w.unit,
        })),
  )
  if (refs.length === 0) return
  await sql.query(
    `INSERT INTO photo_refs (sha256, kind, id, unit)
     SELECT sha256, kind, id, unit
       FROM jsonb_to_recordset($1::jsonb) AS x(sha256 text, kind text, id text, unit text)
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(refs)],
  )
}

export interface AuditEntry {
  action: string
  kind?: string | null
  target?: string | null
  unit?: string | null
  detail?: unknown
}

export async function audit(
  sql: Sql,
  ctx: WriteContext,
  entries: readonly AuditEntry[],
): Promise<void> {
  if (entries.length === 0) return
  await sql.query(
    `INSERT INTO audit (user_id, username, device_id, action, kind, target, unit, detail)
     SELECT $1, $2, $3, action, kind, target, unit, detail
       FROM jsonb_to_recordset($4::jsonb) AS x(action text, kind text, target text, unit text, detail jsonb)`,
    [
      ctx.userId,
      ctx.username,
      ctx.deviceId,
      JSON.stringify(
        entries.map((e) => ({
          action: e.action,
          kind: e.kind ?? null,
          target: e.target ?? null,
          unit: e.unit ?? null,
          detail: e.detail ?? null,
        })),
      ),
    ],
  )
}

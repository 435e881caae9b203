/**
 * The store register and the org units it implies: group → province → city → store. Stores are
 * records (they sync to devices like everything else); units are rows that roles bind to.
 */
import { storeRecord } from '../io/bundle/format'
import type { Store } from '../domain/types'
import { badUnitName, cityPath, demand, provincePath, storePath, type Actor } from './access'
import type { Sql } from './db'
import { badRequest } from './errors'
import { readRecords, writeRecords, type RecordWrite, type WriteContext } from './records'
import { sameContent } from '../domain/merge'

export function checkStore(raw: unknown, at: string): Store {
  const r = storeRecord.safeParse(raw)
  if (!r.success)
    throw badRequest(
      'invalid-store',
      `${at}: ${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message}`,
    )
  const s = r.data as unknown as Store
  for (const [field, v] of [
    ['code', s.code],
    ['province', s.province],
    ['city', s.city],
  ] as const)
    if (badUnitName(v))
      throw badRequest('invalid-store', `${at}: ${field} must be non-empty and contain no "/"`)
  return s
}

/** Adds or updates stores (and their units); refuses stores outside the actor's admin units. */
export async function upsertStores(
  sql: Sql,
  actor: Actor | null,
  stores: readonly Store[],
  ctx: WriteContext,
): Promise<{ written: number; same: number }> {
  if (actor) for (const s of stores) demand(actor, 'admin', storePath(s))
  const units = new Map<string, { kind: string; name: string; parent: string }>()
  for (const s of stores) {
    units.set(provincePath(s.province), { kind: 'province', name: s.province, parent: 'group' })
    units.set(cityPath(s.province, s.city), {
      kind: 'city',
      name: s.city,
      parent: provincePath(s.province),
    })
    units.set(storePath(s), { kind: 'store', name: s.name, parent: cityPath(s.province, s.city) })
  }
  await sql.query(
    `INSERT INTO units (path, kind, name, parent)
     SELECT path, kind, name, parent FROM jsonb_to_recordset($1::jsonb)
         AS x(path text, kind text, name text, parent text)
      ORDER BY length(path)
     ON CONFLICT (path) DO UPDATE SET name = excluded.name`,
    [JSON.stringify([...units].map(([path, u]) => ({ path, ...u })))],
  )
  const existing = await readRecords(
    sql,
    'store',
    stores.map((s) => s.code),
  )
  const writes: RecordWrite[] = []
  let same = 0
  for (const s of stores) {
    const ex = existing.get(s.code)
    if (ex && !ex.deleted && ex.unit !== storePath(s))
      throw badRequest(
        'store-moved',
        `store ${s.code} is registered in ${ex.unit}; moving a store is not supported yet`,
      )
    if (ex && !ex.deleted && sameContent('store', ex.data, s)) {
      same++
      continue
    }
    writes.push({
      kind: 'store',
      id: s.code,
      unit: storePath(s),
      storeCode: s.code,
      period: null,
      deleted: false,
      data: s,
      authorId: ctx.userId,
      action: ex ? 'update-store' : 'add-store',
    })
  }
  await writeRecords(sql, writes, ctx)
  return { written: writes.length, same }
}

export async function unitExists(sql: Sql, path: string): Promise<boolean> {
  const r = await sql.query('SELECT 1 FROM units WHERE path = $1', [path])
  return r.length > 0
}

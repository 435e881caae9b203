/**
 * User administration: an admin creates, changes and disables users only within their units
 * (every role granted must lie under one of the admin's own admin units, and so must every role
 * the user already holds), so no admin grants a role above their own or touches another
 * province's users. Every write leaves an audit row in its transaction. A change of roles moves
 * the user's pull horizon: their devices start their pull again instead of keeping rows of units
 * they no longer see. Passwords are hashed here (argon2id, auth.ts); no answer carries a hash.
 */
import type { ListedUser, RoleBinding, UserView } from '../protocol'
import { may, within, type Actor } from './access'
import { hashPassword, userView, type AuthConfig } from './auth'
import type { Sql } from './db'
import { badRequest, conflict, forbidden, notFound } from './errors'
import { audit, type WriteContext } from './records'

function demandAdminOver(actor: Actor | null, roles: readonly RoleBinding[]): void {
  if (!actor) return
  for (const r of roles)
    if (!may(actor, 'admin', r.unit))
      throw forbidden(`${actor.username} may not grant or change roles in ${r.unit}`)
}

/** Whether the admin covers every role a user holds (a user without roles: the group's admin only). */
function manages(actor: Actor, roles: readonly RoleBinding[]): boolean {
  if (roles.length === 0) return may(actor, 'admin', 'group')
  return roles.every((r) => may(actor, 'admin', r.unit))
}

async function checkUnits(sql: Sql, roles: readonly RoleBinding[]): Promise<void> {
  for (const r of roles) {
    const [u] = await sql.query<{ kind: string }>('SELECT kind FROM units WHERE path = $1', [
      r.unit,
    ])
    if (!u) throw badRequest('unknown-unit', `unit ${r.unit} does not exist`)
    if (r.role === 'store-manager' && u.kind !== 'store')
      throw badRequest('bad-role', 'a store manager is bound to one store')
    if (r.role === 'inspector' && u.kind === 'store')
      throw badRequest('bad-role', 'an inspector is bound to a city, a province or the group')
  }
}

export async function createUser(
  sql: Sql,
  cfg: AuthConfig,
  actor: Actor | null,
  input: { username: string; displayName: string; password: string; roles: RoleBinding[] },
  ctx: WriteContext,
): Promise<UserView> {
  demandAdminOver(actor, input.roles)
  await checkUnits(sql, input.roles)
  // Sign-in reads user names without regard to case, so `Li` beside `li` would make one of them
  // unreachable. The lock (creations only; pushes and sign-ins are not held up) makes the check
  // and the insert one step for concurrent creations.
  await sql.query('LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE')
  const [taken] = await sql.query<{ username: string }>(
    'SELECT username FROM users WHERE lower(username) = lower($1)',
    [input.username],
  )
  if (taken) throw conflict('user-exists', `user ${taken.username} already exists`)
  const hash = await hashPassword(input.password, cfg)
  const rows = await sql.query<{ id: number }>(
    `INSERT INTO users (username, display_name, password_hash) VALUES ($1, $2, $3)
     ON CONFLICT (username) DO NOTHING RETURNING id`,
    [input.username, input.displayName, hash],
  )
  const id = rows[0]?.id
  if (id === undefined) throw conflict('user-exists', `user ${input.username} already exists`)
  await setRoles(sql, id, input.roles)
  await audit(sql, ctx, [
    { action: 'create-user', kind: 'user', target: input.username, detail: { roles: input.roles } },
  ])
  return (await userView(sql, id))!
}

async function setRoles(sql: Sql, userId: number, roles: readonly RoleBinding[]): Promise<void> {
  await sql.query('DELETE FROM roles WHERE user_id = $1', [userId])
  for (const r of roles)
    await sql.query(
      'INSERT INTO roles (user_id, role, unit) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [userId, r.role, r.unit],
    )
}

export async function updateUser(
  sql: Sql,
  cfg: AuthConfig,
  actor: Actor,
  userId: number,
  input: {
    displayName?: string | undefined
    disabled?: boolean | undefined
    roles?: RoleBinding[] | undefined
    password?: string | undefined
  },
  ctx: WriteContext,
): Promise<UserView> {
  // Locks the user against a push running with the old roles (pushes take FOR SHARE).
  const [u] = await sql.query<{ id: number; username: string }>(
    'SELECT id, username FROM users WHERE id = $1 FOR UPDATE',
    [userId],
  )
  if (!u) throw notFound(`no user ${userId}`)
  const current = await sql.query<RoleBinding>('SELECT role, unit FROM roles WHERE user_id = $1', [
    userId,
  ])
  if (!manages(actor, current))
    throw forbidden(
      `${actor.username} may not change ${u.username}: a role lies outside their units`,
    )
  if (input.roles) {
    demandAdminOver(actor, input.roles)
    await checkUnits(sql, input.roles)
    if (userId === actor.id && !input.roles.some((r) => r.role === 'admin'))
      throw badRequest('self-lockout', 'an admin cannot take away their own admin role')
  }
  if (input.disabled === true && userId === actor.id)
    throw badRequest('self-lockout', 'an admin cannot disable themselves')
  if (input.password !== undefined && userId === actor.id)
    throw badRequest(
      'own-password',
      'change your own password under /api/me/password (it asks for the current one)',
    )
  if (input.displayName !== undefined)
    await sql.query('UPDATE users SET display_name = $2 WHERE id = $1', [userId, input.displayName])
  if (input.password !== undefined)
    await sql.query('UPDATE users SET password_hash = $2 WHERE id = $1', [
      userId,
      await hashPassword(input.password, cfg),
    ])
  if (input.disabled !== undefined)
    await sql.query('UPDATE users SET disabled = $2 WHERE id = $1', [userId, input.disabled])
  // A reset password or a disabled account ends the user's sessions, as changing one's own
  // password ends the others: whoever held the old one is signed out. Their devices keep what
  // they have not sent (the app says the account was signed out and offers a bundle).
  if (input.password !== undefined || input.disabled === true)
    await sql.query(
      'UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL',
      [userId],
    )
  if (input.roles) {
    await setRoles(sql, userId, input.roles)
    // A version of its own (no record carries it): every cursor from before the move is older.
    const [c] = await sql.query<{ version: number }>(
      'UPDATE sync_clock SET version = version + 1 WHERE id = 1 RETURNING version',
    )
    await sql.query('UPDATE users SET scope_version = $2 WHERE id = $1', [userId, c!.version])
  }
  await audit(sql, ctx, [
    {
      action: 'update-user',
      kind: 'user',
      target: u.username,
      detail: {
        ...input,
        password: input.password === undefined ? undefined : '(reset)',
        ...(input.roles ? { rolesBefore: current } : {}),
      },
    },
  ])
  return (await userView(sql, userId))!
}

/**
 * Users with at least one role inside the admin's units (the group's admin: also users without
 * roles). `manageable`: the admin covers all of the user's roles, so the server accepts changes.
 */
export async function listUsers(sql: Sql, actor: Actor): Promise<ListedUser[]> {
  const roots = actor.roles.filter((r) => r.role === 'admin').map((r) => r.unit)
  if (roots.length === 0) throw forbidden(`${actor.username} is not an admin`)
  const users = await sql.query<{ id: number }>('SELECT id FROM users ORDER BY id')
  const rows = await sql.query<{ user_id: number; unit: string }>('SELECT user_id, unit FROM roles')
  const unitsOf = new Map<number, string[]>()
  for (const r of rows) unitsOf.set(r.user_id, [...(unitsOf.get(r.user_id) ?? []), r.unit])
  const group = may(actor, 'admin', 'group')
  const ids = users
    .map((u) => u.id)
    .filter((id) => {
      const units = unitsOf.get(id) ?? []
      return units.length === 0 ? group : units.some((u) => roots.some((a) => within(u, a)))
    })
  const out: ListedUser[] = []
  for (const id of ids) {
    const v = await userView(sql, id)
    if (v) out.push({ ...v, manageable: manages(actor, v.roles) })
  }
  return out
}

export async function revokeDevice(
  sql: Sql,
  actor: Actor,
  deviceId: string,
  ctx: WriteContext,
): Promise<void> {
  const [d] = await sql.query<{ user_id: number }>(
    'SELECT user_id FROM devices WHERE id = $1 FOR UPDATE',
    [deviceId],
  )
  if (!d) throw notFound(`no device ${deviceId}`)
  if (d.user_id !== actor.id) {
    const roles = await sql.query<RoleBinding>('SELECT role, unit FROM roles WHERE user_id = $1', [
      d.user_id,
    ])
    if (roles.length === 0 || !roles.every((r) => may(actor, 'admin', r.unit)))
      throw forbidden(`${actor.username} may not revoke device ${deviceId}`)
  }
  await sql.query('UPDATE devices SET revoked_at = now() WHERE id = $1', [deviceId])
  await sql.query(
    'UPDATE sessions SET revoked_at = now() WHERE device_id = $1 AND revoked_at IS NULL',
    [deviceId],
  )
  await audit(sql, ctx, [{ action: 'revoke-device', kind: 'device', target: deviceId }])
}

/**
 * Passwords (argon2id), bearer tokens (random, stored only as SHA-256 hashes, with an expiry),
 * the login rate limit (kept in the database, so every server process counts the same) and the
 * actor behind a request (read from the database on every request: a disabled user's or a
 * revoked device's token stops at once).
 */
import { createHash, randomBytes } from 'node:crypto'
import { hash, verify } from '@node-rs/argon2'
import type { RoleBinding, UserView } from '../protocol'
import type { Actor } from './access'
import type { Sql } from './db'
import { HttpError } from './errors'

export interface AuthConfig {
  /** argon2id cost; tests lower it (the suite would spend minutes hashing otherwise). */
  argon2: { memoryCost: number; timeCost: number }
  tokenTtlMs: number
  login: { perUser: number; perAddress: number; windowMs: number }
}

export const DEFAULT_AUTH: AuthConfig = {
  argon2: { memoryCost: 19_456, timeCost: 2 },
  tokenTtlMs: 30 * 24 * 3600_000,
  login: { perUser: 5, perAddress: 30, windowMs: 15 * 60_000 },
}

/** Algorithm 2 = argon2id in @node-rs/argon2. */
export function hashPassword(password: string, cfg: AuthConfig = DEFAULT_AUTH): Promise<string> {
  return hash(password, { algorithm: 2, ...cfg.argon2 })
}

export async function checkPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password)
  } catch {
    return false
  }
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

export async function rolesOf(sql: Sql, userId: number): Promise<RoleBinding[]> {
  return sql.query<RoleBinding>(
    'SELECT role, unit FROM roles WHERE user_id = $1 ORDER BY unit, role',
    [userId],
  )
}

export async function userView(sql: Sql, userId: number): Promise<UserView | null> {
  const [u] = await sql.query<{
    id: number
    username: string
    display_name: string
    disabled: boolean
  }>('SELECT id, username, display_name, disabled FROM users WHERE id = $1', [userId])
  if (!u) return null
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    disabled: u.disabled,
    roles: await rolesOf(sql, userId),
  }
}

const unauthorized = (message = 'sign in first') => new HttpError(401, 'unauthorized', message)

/** The actor of a bearer token, or 401. */
export async function actorOf(sql: Sql, token: string | undefined): Promise<Actor> {
  if (!token) throw unauthorized()
  const [s] = await sql.query<{
    user_id: number
    device_id: string | null
    username: string
    display_name: string
  }>(
    `SELECT s.user_id, s.device_id, u.username, u.display_name
       FROM sessions s JOIN users u ON u.id = s.user_id
       LEFT JOIN devices d ON d.id = s.device_id
      WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
        AND NOT u.disabled AND d.revoked_at IS NULL`,
    [tokenHash(token)],
  )
  if (!s) throw unauthorized('the token is unknown, expired or revoked; sign in again')
  return {
    id: s.user_id,
    username: s.username,
    displayName: s.display_name,
    roles: await rolesOf(sql, s.user_id),
    deviceId: s.device_id,
  }
}

async function recentFailures(sql: Sql, key: string, windowMs: number): Promise<number> {
  const [r] = await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM login_failures
      WHERE key = $1 AND at > now() - make_interval(secs => $2)`,
    [key, windowMs / 1000],
  )
  return r?.n ?? 0
}

export interface LoginResult {
  token: string
  expiresAt: string
  userId: number
}

/**
 * Checks the password; on success a new token. Failures are counted per user name and per
 * address; past the limit every attempt is refused (429) until the window passes, even with the
 * right password, so guessing gains nothing.
 */
export async function login(
  sql: Sql,
  cfg: AuthConfig,
  req: { username: string; password: string; deviceId?: string | undefined; address: string },
): Promise<LoginResult> {
  const userKey = `user:${req.username.toLowerCase()}`
  const addrKey = `addr:${req.address}`
  const [byUser, byAddr] = await Promise.all([
    recentFailures(sql, userKey, cfg.login.windowMs),
    recentFailures(sql, addrKey, cfg.login.windowMs),
  ])
  if (byUser >= cfg.login.perUser || byAddr >= cfg.login.perAddress)
    throw new HttpError(429, 'too-many-attempts', 'too many failed sign-ins; wait and try again')
  const [u] = await sql.query<{ id: number; password_hash: string; disabled: boolean }>(
    'SELECT id, password_hash, disabled FROM users WHERE lower(username) = lower($1)',
    [req.username],
  )
  const ok = u !== undefined && (await checkPassword(u.password_hash, req.password))
  if (!u || !ok || u.disabled) {
    await sql.query('INSERT INTO login_failures (key) VALUES ($1), ($2)', [userKey, addrKey])
    throw unauthorized('wrong user name or password, or the account is disabled')
  }
  if (req.deviceId) {
    const [d] = await sql.query<{ user_id: number; revoked_at: Date | null }>(
      `INSERT INTO devices (id, user_id) VALUES ($1, $2)
         ON CONFLICT (id) DO UPDATE SET id = excluded.id
       RETURNING user_id, revoked_at`,
      [req.deviceId, u.id],
    )
    if (d?.revoked_at) throw new HttpError(403, 'device-revoked', 'this device has been revoked')
  }
  const token = newToken()
  const expires = new Date(Date.now() + cfg.tokenTtlMs)
  await sql.query(
    'INSERT INTO sessions (token_hash, user_id, device_id, expires_at) VALUES ($1, $2, $3, $4)',
    [tokenHash(token), u.id, req.deviceId ?? null, expires],
  )
  return { token, expiresAt: expires.toISOString(), userId: u.id }
}

/**
 * The HTTP API (Fastify). Routes stay thin: parse the body with the shared zod schema, find the
 * actor, call the module that holds the rule. No stack trace or SQL text ever leaves: errors are
 * `{error, message}` with a stable code.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import type { z } from 'zod'
import {
  certificationOverride,
  certificationSendback,
  certificationStep,
  createUser as createUserSchema,
  loginRequest,
  passwordChange,
  pullQuery,
  pushRequest,
  rankingsQuery,
  rubricUpload,
  statusQuery,
  updateUser as updateUserSchema,
} from '../protocol'
import { readRoots, within, type Actor } from './access'
import { actorOf, checkPassword, hashPassword, login, tokenHash, userView } from './auth'
import type { Context } from './context'
import { badRequest, HttpError, notFound } from './errors'
import { openApiDocument } from './openapi'
import { photoRoutes } from './photos'
import { bundleRoutes } from './bundles'
import { audit, type WriteContext } from './records'
import { checkStore, upsertStores } from './register'
import { submissionStatusFor } from './status'
import { loadStores, rankings, recordOverride, recordSendback, recordStep } from './results'
import { uploadRubric } from './rubric-upload'
import { pull, push } from './sync'
import { visitRoutes } from './visits'
import { createUser, listUsers, revokeDevice, updateUser } from './users'

export function parse<S extends z.ZodType>(schema: S, value: unknown, what = 'body'): z.infer<S> {
  const r = schema.safeParse(value)
  if (!r.success) {
    const first = r.error.issues[0]
    const where = first?.path.length ? first.path.join('.') : what
    throw badRequest(
      'invalid-request',
      `${where}: ${first?.message ?? 'invalid'}`,
      r.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message })),
    )
  }
  return r.data
}

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined
}

export function writeCtx(actor: Actor | null): WriteContext {
  return {
    userId: actor?.id ?? null,
    username: actor?.username ?? null,
    deviceId: actor?.deviceId ?? null,
  }
}

const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-site',
  'strict-transport-security': 'max-age=31536000',
  'cache-control': 'no-store',
}

export async function buildApp(ctx: Context): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: 1024 * 1024,
    trustProxy: ctx.config.trustProxy,
    // Requests carry no path parameters longer than this; a hostile URL is cut short.
    routerOptions: { maxParamLength: 200 },
  })
  const { db, config } = ctx
  const actor = (req: FastifyRequest) => actorOf(db, bearer(req))

  app.addHook('onRequest', async (req, reply) => {
    const origin = req.headers.origin
    if (origin !== undefined && config.appOrigin !== undefined && origin === config.appOrigin) {
      reply.header('access-control-allow-origin', origin)
      reply.header('vary', 'Origin')
      reply.header('access-control-allow-headers', 'authorization, content-type, content-range')
      reply.header('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE')
      reply.header('access-control-max-age', '600')
    }
  })
  app.addHook('onSend', async (_req, reply, payload) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS))
      if (!reply.hasHeader(k)) reply.header(k, v)
    return payload
  })
  app.options('/api/*', async (req, reply) => {
    const ok = config.appOrigin !== undefined && req.headers.origin === config.appOrigin
    return reply.code(ok ? 204 : 403).send()
  })

  app.setErrorHandler((err: unknown, _req, reply: FastifyReply) => {
    if (err instanceof HttpError) {
      const body: Record<string, unknown> = { error: err.code, message: err.message }
      if (err.details !== undefined) body.details = err.details
      return reply.code(err.status).send(body)
    }
    const e = err as { statusCode?: number; code?: string }
    const status = typeof e.statusCode === 'number' ? e.statusCode : 500
    if (status === 413)
      return reply.code(413).send({ error: 'too-large', message: 'the request body is too large' })
    if (status === 415)
      return reply
        .code(415)
        .send({ error: 'unsupported-media-type', message: 'unsupported content type' })
    if (status >= 400 && status < 500)
      return reply.code(status).send({
        error: 'bad-request',
        message: 'the request could not be read (malformed JSON or headers)',
      })
    // Logged for the operator, never sent.
    process.stderr.write(`server error: ${(err as Error)?.stack ?? String(err)}\n`)
    return reply.code(500).send({ error: 'internal', message: 'internal error' })
  })
  app.setNotFoundHandler((_req, reply) =>
    reply.code(404).send({ error: 'not-found', message: 'no such endpoint' }),
  )

  app.get('/api/health', async () => {
    const [m] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations')
    return { ok: true, engine: db.engine, migrations: m?.n ?? 0 }
  })

  app.get('/api/openapi.json', async () => openApiDocument())

  // Sessions -------------------------------------------------------------------------------
  app.post('/api/session', async (req) => {
    const body = parse(loginRequest, req.body)
    // Not one transaction: a failed attempt must stay counted when the sign-in is refused.
    const r = await login(db, config.auth, { ...body, address: req.ip })
    return { token: r.token, expiresAt: r.expiresAt, user: await userView(db, r.userId) }
  })
  app.delete('/api/session', async (req, reply) => {
    const a = await actor(req)
    await db.query('UPDATE sessions SET revoked_at = now() WHERE token_hash = $1', [
      tokenHash(bearer(req)!),
    ])
    await audit(db, writeCtx(a), [{ action: 'sign-out' }])
    return reply.code(204).send()
  })
  app.get('/api/me', async (req) => {
    const a = await actor(req)
    return { ...(await userView(db, a.id)), deviceId: a.deviceId }
  })
  app.post('/api/me/password', async (req, reply) => {
    const a = await actor(req)
    const body = parse(passwordChange, req.body)
    await db.tx(async (sql) => {
      const [u] = await sql.query<{ password_hash: string }>(
        'SELECT password_hash FROM users WHERE id = $1 FOR UPDATE',
        [a.id],
      )
      if (!u || !(await checkPassword(u.password_hash, body.currentPassword)))
        throw new HttpError(403, 'wrong-password', 'the current password is not right')
      await sql.query('UPDATE users SET password_hash = $2 WHERE id = $1', [
        a.id,
        await hashPassword(body.newPassword, config.auth),
      ])
      // Other sessions end: whoever knew the old password is signed out.
      await sql.query(
        'UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND token_hash <> $2 AND revoked_at IS NULL',
        [a.id, tokenHash(bearer(req)!)],
      )
      await audit(sql, writeCtx(a), [
        { action: 'change-password', kind: 'user', target: a.username },
      ])
    })
    return reply.code(204).send()
  })

  // Register and users ---------------------------------------------------------------------
  app.get('/api/stores', async (req) => {
    const a = await actor(req)
    const roots = readRoots(a)
    const stores = (await loadStores(db)).filter((s) =>
      roots.some((r) => within(`group/${s.province}/${s.city}/${s.code}`, r)),
    )
    return { stores }
  })
  app.put('/api/stores', { bodyLimit: 16 * 1024 * 1024 }, async (req) => {
    const a = await actor(req)
    const list = (req.body as { stores?: unknown } | null)?.stores
    if (!Array.isArray(list) || list.length === 0 || list.length > 50_000)
      throw badRequest('invalid-request', 'stores: an array of 1–50,000 stores')
    const stores = list.map((s, i) => checkStore(s, `stores.${i}`))
    return db.tx((sql) => upsertStores(sql, a, stores, writeCtx(a)))
  })
  app.get('/api/users', async (req) => {
    const a = await actor(req)
    return { users: await listUsers(db, a) }
  })
  app.post('/api/users', async (req, reply) => {
    const a = await actor(req)
    const body = parse(createUserSchema, req.body)
    const u = await db.tx((sql) => createUser(sql, config.auth, a, body, writeCtx(a)))
    return reply.code(201).send(u)
  })
  app.patch<{ Params: { id: string } }>('/api/users/:id', async (req) => {
    const a = await actor(req)
    const id = Number(req.params.id)
    if (!Number.isSafeInteger(id)) throw notFound('no such user')
    const body = parse(updateUserSchema, req.body)
    return db.tx((sql) => updateUser(sql, config.auth, a, id, body, writeCtx(a)))
  })
  app.post<{ Params: { id: string } }>('/api/devices/:id/revoke', async (req, reply) => {
    const a = await actor(req)
    await db.tx((sql) => revokeDevice(sql, a, req.params.id, writeCtx(a)))
    return reply.code(204).send()
  })

  // Sync -----------------------------------------------------------------------------------
  app.post('/api/sync/push', { bodyLimit: 32 * 1024 * 1024 }, async (req) => {
    const a = await actor(req)
    return push(ctx, a, parse(pushRequest, req.body))
  })
  app.get('/api/sync/pull', async (req) => {
    const a = await actor(req)
    const q = parse(pullQuery, req.query, 'query')
    return pull(db, a, q.cursor, q.limit)
  })

  // Rubrics, certification, rankings ---------------------------------------------------------
  app.post('/api/rubrics', async (req, reply) => {
    const a = await actor(req)
    const body = parse(rubricUpload, req.body)
    const r = await db.tx((sql) => uploadRubric(sql, ctx.rubrics, a, body, writeCtx(a)))
    return reply.code(r.written ? 201 : 200).send(r)
  })
  app.post('/api/certification/steps', async (req, reply) => {
    const a = await actor(req)
    const body = parse(certificationStep, req.body)
    const e = await db.tx(async (sql) =>
      recordStep(sql, a, await ctx.rubrics.current(sql), body, writeCtx(a)),
    )
    return reply.code(201).send(e)
  })
  app.post('/api/certification/overrides', async (req, reply) => {
    const a = await actor(req)
    const body = parse(certificationOverride, req.body)
    const e = await db.tx(async (sql) =>
      recordOverride(sql, a, await ctx.rubrics.current(sql), body, writeCtx(a)),
    )
    return reply.code(201).send(e)
  })
  app.post('/api/certification/sendbacks', async (req, reply) => {
    const a = await actor(req)
    const body = parse(certificationSendback, req.body)
    const e = await db.tx((sql) => recordSendback(sql, a, body, writeCtx(a)))
    return reply.code(201).send(e)
  })
  app.get('/api/rankings', async (req) => {
    const a = await actor(req)
    const q = parse(rankingsQuery, req.query, 'query')
    return rankings(db, a, await ctx.rubrics.current(db), q)
  })

  app.get('/api/status', async (req) => {
    const a = await actor(req)
    const q = parse(statusQuery, req.query, 'query')
    return submissionStatusFor(db, a, q.period, new Date())
  })

  await photoRoutes(app, ctx, actor)
  await bundleRoutes(app, ctx, actor)
  await visitRoutes(app, ctx, actor)
  return app
}

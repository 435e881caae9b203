/**
 * The app's side of the sync protocol (src/protocol): fetch calls whose answers are validated
 * with the shared zod schemas. Every failure is an ApiError with a kind the sync store turns into
 * what the user sees: `offline` (no answer at all), `unauthorized` (signed out or revoked by the
 * server), `refused` (a 4xx the server explained) or `server` (5xx, or an answer we cannot read).
 */
import {
  loginResponse,
  pullResponse,
  pushResponse,
  statusResponse,
  userList,
  userView,
  type ListedUser,
  type PullResponse,
  type PushRequest,
  type PushResponse,
  type RoleBinding,
  type StatusResponse,
  type UserView,
} from '@/protocol'
import {
  plannableInspectors,
  planVisitsResponse,
  visitList,
  type PlannableInspector,
  type PlanVisits,
  type VisitPlan,
} from '@/protocol/visits'
import { z } from 'zod'

export type ApiErrorKind = 'offline' | 'unauthorized' | 'refused' | 'server'

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/**
 * The server's base address, normalised (no trailing slash). The app's Content-Security-Policy
 * allows connections to its own origin only, so the API is served beside the app (a reverse
 * proxy, or the preview server's proxy): another origin is refused here with a clear reason
 * rather than by the browser with none.
 */
export function normaliseServerUrl(
  input: string,
  appOrigin: string,
): { ok: true; url: string } | { ok: false; reason: 'invalid' | 'other-origin' } {
  let u: URL
  try {
    u = new URL(input.trim() || appOrigin, appOrigin)
  } catch {
    return { ok: false, reason: 'invalid' }
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { ok: false, reason: 'invalid' }
  if (u.origin !== appOrigin) return { ok: false, reason: 'other-origin' }
  return { ok: true, url: `${u.origin}${u.pathname.replace(/\/+$/, '')}` }
}

const TIMEOUT_MS = 30_000

/** Photos go up in pieces of this size, so a dropped connection loses at most one piece. */
export const PHOTO_CHUNK_BYTES = 128 * 1024

const uploadState = z.object({
  complete: z.boolean(),
  received: z.number().int().min(0).nullable(),
})
const uploadAnswer = z.object({ received: z.number().int().min(0) })

export function createServerApi(base: string, token?: string, fetchFn: typeof fetch = fetch) {
  async function call<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S | null,
    body?: BodyInit | object,
    headers: Record<string, string> = {},
  ): Promise<z.infer<S>> {
    const h: Record<string, string> = { ...headers }
    if (token) h.authorization = `Bearer ${token}`
    let payload: BodyInit | undefined
    if (body !== undefined && !(body instanceof ArrayBuffer) && !(body instanceof Uint8Array)) {
      h['content-type'] = 'application/json'
      payload = JSON.stringify(body)
    } else payload = body as BodyInit | undefined
    let res: Response
    try {
      res = await fetchFn(`${base}${path}`, {
        method,
        headers: h,
        body: payload,
        signal: AbortSignal.timeout(TIMEOUT_MS),
        cache: 'no-store',
      })
    } catch (e) {
      throw new ApiError('offline', 0, 'network', (e as Error).message)
    }
    const text = await res.text()
    let json: unknown = null
    try {
      if (text) json = JSON.parse(text)
    } catch {
      // Not JSON (a proxy's error page): judged by the status alone.
    }
    if (!res.ok) {
      const b = (json ?? {}) as { error?: string; message?: string; details?: unknown }
      const code = b.error ?? `http-${res.status}`
      const message = b.message ?? res.statusText
      const revoked = res.status === 401 || code === 'device-revoked'
      const kind: ApiErrorKind = revoked
        ? 'unauthorized'
        : res.status >= 500 || res.status === 0
          ? 'server'
          : res.status === 404 && b.error === undefined
            ? 'server'
            : 'refused'
      throw new ApiError(kind, res.status, code, message, b.details)
    }
    if (!schema) return undefined as z.infer<S>
    const parsed = schema.safeParse(json)
    if (!parsed.success)
      throw new ApiError(
        'server',
        res.status,
        'bad-answer',
        'the server sent an answer not understood',
      )
    return parsed.data
  }

  return {
    login(username: string, password: string, deviceId: string) {
      return call('POST', '/api/session', loginResponse, { username, password, deviceId })
    },
    me(): Promise<UserView> {
      return call('GET', '/api/me', userView)
    },
    async logout(): Promise<void> {
      await call('DELETE', '/api/session', null)
    },
    push(req: PushRequest): Promise<PushResponse> {
      return call('POST', '/api/sync/push', pushResponse, req)
    },
    pull(cursor: number, limit = 1000): Promise<PullResponse> {
      return call('GET', `/api/sync/pull?cursor=${cursor}&limit=${limit}`, pullResponse)
    },
    /** The submission status of a period in the account's units. */
    status(period: string): Promise<StatusResponse> {
      return call('GET', `/api/status?period=${encodeURIComponent(period)}`, statusResponse)
    },
    /** Admin: the users of the account's units (no password hash is ever sent). */
    async users(): Promise<ListedUser[]> {
      return (await call('GET', '/api/users', userList)).users
    },
    createUser(req: {
      username: string
      displayName: string
      password: string
      roles: RoleBinding[]
    }): Promise<UserView> {
      return call('POST', '/api/users', userView, req)
    },
    /** Admin: rename, disable or enable, reset the password, or change roles and units. */
    updateUser(
      id: number,
      req: { displayName?: string; disabled?: boolean; password?: string; roles?: RoleBinding[] },
    ): Promise<UserView> {
      return call('PATCH', `/api/users/${id}`, userView, req)
    },
    /** Certification (connected): the server records it under its lock; the pull brings it. */
    certifyStep(req: { period: string; step: string; unit: string }): Promise<unknown> {
      return call('POST', '/api/certification/steps', null, req)
    },
    certifyOverride(req: {
      period: string
      storeCode: string
      grade: string | null
      reason: string
    }): Promise<unknown> {
      return call('POST', '/api/certification/overrides', null, req)
    },
    /** Visit plans (issue 13): who the account may plan, plan, list and cancel. */
    visitInspectors(): Promise<PlannableInspector[]> {
      return call('GET', '/api/visits/inspectors', plannableInspectors).then((r) => r.inspectors)
    },
    planVisits(req: PlanVisits): Promise<VisitPlan[]> {
      return call('POST', '/api/visits', planVisitsResponse, req).then((r) => r.visits)
    },
    listVisits(): Promise<VisitPlan[]> {
      return call('GET', '/api/visits', visitList).then((r) => r.visits)
    },
    async cancelVisit(id: string): Promise<void> {
      await call('DELETE', `/api/visits/${encodeURIComponent(id)}`, null)
    },
    certifySendback(req: { evaluationId: string; reason: string }): Promise<unknown> {
      return call('POST', '/api/certification/sendbacks', null, req)
    },
    /**
     * Uploads a photo resumably: asks the server how many bytes of it arrived before (a dropped
     * connection mid-photo), then sends the rest in chunks with `Content-Range`, each answered
     * with the count the server now holds. A photo the server already has is not sent again.
     */
    async uploadPhoto(
      sha256: string,
      bytes: ArrayBuffer,
      mime: string,
      chunkBytes = PHOTO_CHUNK_BYTES,
    ): Promise<{ sent: number; resumedAt: number }> {
      const path = `/api/photos/${sha256}`
      const total = bytes.byteLength
      const state = await call('GET', `${path}/upload`, uploadState)
      if (state.complete) return { sent: 0, resumedAt: total }
      // A partial as long as the photo (its last write stored nothing): its last chunk again.
      let offset = Math.min(state.received ?? 0, Math.max(0, total - 1))
      const resumedAt = offset
      let sent = 0
      for (let guard = 0; guard < 10_000; guard++) {
        const end = Math.min(total, offset + chunkBytes)
        let res: z.infer<typeof uploadAnswer>
        try {
          res = await call('PUT', path, uploadAnswer, new Uint8Array(bytes, offset, end - offset), {
            'content-type': mime,
            'content-range': `bytes ${offset}-${end - 1}/${total}`,
          })
        } catch (e) {
          // The server holds less than we thought (its partial was removed): from its count.
          const held = (e as ApiError).details as { received?: unknown } | undefined
          if (
            e instanceof ApiError &&
            e.code === 'range-gap' &&
            typeof held?.received === 'number'
          ) {
            offset = held.received
            continue
          }
          throw e
        }
        sent += end - offset
        if (res.received >= total) return { sent, resumedAt }
        offset = res.received
      }
      throw new ApiError(
        'server',
        0,
        'upload-stuck',
        `the upload of photo ${sha256} made no progress`,
      )
    },
    async getPhoto(sha256: string): Promise<{ bytes: ArrayBuffer; mime: string } | null> {
      const h: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {}
      let res: Response
      try {
        res = await fetchFn(`${base}/api/photos/${sha256}`, {
          headers: h,
          signal: AbortSignal.timeout(TIMEOUT_MS),
        })
      } catch (e) {
        throw new ApiError('offline', 0, 'network', (e as Error).message)
      }
      if (res.status === 404) return null
      if (res.status === 401) throw new ApiError('unauthorized', 401, 'unauthorized', 'signed out')
      if (!res.ok) throw new ApiError('server', res.status, `http-${res.status}`, res.statusText)
      return { bytes: await res.arrayBuffer(), mime: res.headers.get('content-type') ?? '' }
    },
  }
}

export type ServerApi = ReturnType<typeof createServerApi>

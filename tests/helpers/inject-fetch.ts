/**
 * `fetch` answered by the server app in this process, through Fastify's inject: the tablet's own
 * client code (io/server-api, the sync repository) runs against the real server app without a
 * socket. For the integration tests that drive a device against the server.
 */
import type { Harness } from '../server/harness'

export function injectFetch(h: Harness): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input))
    const headers = Object.fromEntries(
      Object.entries((init?.headers ?? {}) as Record<string, string>),
    )
    const body = init?.body
    const r = await h.app.inject({
      method: (init?.method ?? 'GET') as 'GET',
      url: url.pathname + url.search,
      headers,
      ...(body !== undefined && body !== null
        ? { payload: body instanceof Uint8Array ? Buffer.from(body) : (body as string) }
        : {}),
    })
    const hs = new Headers()
    for (const [k, v] of Object.entries(r.headers)) if (typeof v === 'string') hs.set(k, v)
    const empty = r.statusCode === 204 || r.statusCode === 304
    return new Response(empty ? null : new Uint8Array(r.rawPayload), {
      status: r.statusCode,
      headers: hs,
    })
  }) as typeof fetch
}

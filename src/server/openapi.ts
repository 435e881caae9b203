/** The OpenAPI document at /api/openapi.json, built from the same zod schemas that validate requests. */
import { z } from 'zod'
import * as p from '../protocol'
import * as v from '../protocol/visits'

const json = (schema: z.ZodType) => ({
  'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) },
})
const errors = {
  400: { description: 'invalid request', content: json(p.errorBody) },
  401: { description: 'no valid token', content: json(p.errorBody) },
  403: {
    description: 'outside the caller’s units or roles; nothing written',
    content: json(p.errorBody),
  },
}

type Op = {
  summary: string
  body?: z.ZodType
  query?: z.ZodType
  response?: z.ZodType
  raw?: string
  auth?: false
}

const OPS: Record<string, Record<string, Op>> = {
  '/api/health': { get: { summary: 'liveness and database engine', auth: false } },
  '/api/openapi.json': { get: { summary: 'this document', auth: false } },
  '/api/session': {
    post: {
      summary: 'sign in: a bearer token',
      body: p.loginRequest,
      response: p.loginResponse,
      auth: false,
    },
    delete: { summary: 'sign out (revokes this token)' },
  },
  '/api/me': { get: { summary: 'the signed-in user and roles', response: p.userView } },
  '/api/me/password': {
    post: { summary: 'change one’s own password (other sessions end)', body: p.passwordChange },
  },
  '/api/stores': {
    get: { summary: 'the stores of the caller’s units' },
    put: { summary: 'add or update stores of the register (admin of their units)' },
  },
  '/api/users': {
    get: { summary: 'users with roles in the admin’s units', response: p.userList },
    post: {
      summary: 'create a user within the admin’s units',
      body: p.createUser,
      response: p.userView,
    },
  },
  '/api/users/{id}': {
    patch: {
      summary: 'change, disable or move a user (admin of their units)',
      body: p.updateUser,
      response: p.userView,
    },
  },
  '/api/devices/{id}/revoke': { post: { summary: 'revoke a device: its tokens stop at once' } },
  '/api/sync/push': {
    post: {
      summary: 'one device batch, applied in one transaction; repeated → same answer, one effect',
      body: p.pushRequest,
      response: p.pushResponse,
    },
  },
  '/api/sync/pull': {
    get: {
      summary: 'changes in the caller’s units after a cursor (410 cursor-too-old: start from 0)',
      query: p.pullQuery,
      response: p.pullResponse,
    },
  },
  '/api/rubrics': {
    post: {
      summary: 'upload a rubric, variant or policy (validated in full first)',
      body: p.rubricUpload,
    },
  },
  '/api/certification/steps': {
    post: {
      summary: 'record a certification step (serialised per unit)',
      body: p.certificationStep,
    },
  },
  '/api/certification/overrides': {
    post: {
      summary: 'override a certified grade (409 quota-full when no place is left)',
      body: p.certificationOverride,
    },
  },
  '/api/certification/sendbacks': {
    post: { summary: 'send a submitted evaluation back', body: p.certificationSendback },
  },
  '/api/rankings': {
    get: {
      summary: 'ranking rows with the CLI’s columns for a unit the caller may see',
      query: p.rankingsQuery,
    },
  },
  '/api/status': {
    get: {
      summary: 'submission status of a period per city and store, in the caller’s units',
      query: p.statusQuery,
    },
  },
  '/api/visits': {
    get: { summary: 'planned visits in the caller’s units', response: v.visitList },
    post: {
      summary: 'plan visits: one inspector, one date, one or more stores (the planner’s units)',
      body: v.planVisits,
      response: v.planVisitsResponse,
    },
  },
  '/api/visits/inspectors': {
    get: { summary: 'the inspectors the caller may plan', response: v.plannableInspectors },
  },
  '/api/visits/{id}': { delete: { summary: 'cancel a planned visit' } },
  '/api/photos/{sha256}': {
    put: {
      summary: 'upload a photo by SHA-256 (JPEG/PNG/WebP; Content-Range resumes)',
      raw: 'application/octet-stream',
    },
    get: { summary: 'fetch a photo' },
  },
  '/api/photos/{sha256}/upload': {
    get: { summary: 'how many bytes of a resumable upload arrived' },
  },
  '/api/bundles': {
    post: { summary: 'import a bundle file through the push path', raw: 'application/zip' },
  },
}

export function openApiDocument(): unknown {
  const paths: Record<string, unknown> = {}
  for (const [path, ops] of Object.entries(OPS)) {
    const item: Record<string, unknown> = {}
    for (const [method, op] of Object.entries(ops)) {
      const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({
        name: m[1],
        in: 'path',
        required: true,
        schema: { type: 'string' },
      }))
      if (op.query) {
        const js = z.toJSONSchema(op.query, { io: 'input' }) as {
          properties?: Record<string, unknown>
          required?: string[]
        }
        for (const [name, schema] of Object.entries(js.properties ?? {}))
          params.push({
            name,
            in: 'query',
            required: (js.required ?? []).includes(name),
            schema,
          } as never)
      }
      item[method] = {
        summary: op.summary,
        ...(op.auth === false ? { security: [] } : {}),
        ...(params.length ? { parameters: params } : {}),
        ...(op.body ? { requestBody: { required: true, content: json(op.body) } } : {}),
        ...(op.raw
          ? {
              requestBody: {
                required: true,
                content: { [op.raw]: { schema: { type: 'string', format: 'binary' } } },
              },
            }
          : {}),
        responses: {
          200: { description: 'ok', ...(op.response ? { content: json(op.response) } : {}) },
          ...errors,
        },
      }
    }
    paths[path] = item
  }
  return {
    openapi: '3.1.0',
    info: { title: '营业厅服务评价 sync server', version: '1' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  }
}

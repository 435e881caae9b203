/**
 * The authorization matrix: every endpoint × every role × inside and outside the user's units.
 * The expected sets are written out by hand from the role rules, not derived from the
 * server's own access code.
 */
import { readFile } from 'node:fs/promises'
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InjectOptions } from 'fastify'
import type { Rubric } from '../../src/domain/rubric-schema'
import {
  answersFor,
  auth,
  ENGINES,
  evaluation,
  openHarness,
  pushBody,
  put,
  resetSeqs,
  rubric,
  signIn,
  syncPush,
  USERS,
  type Harness,
} from './harness'

const ALL = Object.keys(USERS)
const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4])
// A photo of the submitted 南京 evaluation (JSNJ002), and one uploaded but not yet referenced.
const evidence = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 9, 9, 9])
const unreferenced = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 7, 7, 7, 7])
const hashOf = (b: Buffer) => createHash('sha256').update(b).digest('hex')

interface Row {
  name: string
  allowed: string[]
  /** What a refused user gets (403 unless the row says otherwise: a hidden photo is 404). */
  denied?: number
  request: (user: string, i: number) => InjectOptions | Promise<InjectOptions>
}

describe.each(ENGINES)('authorization matrix on %s', (engine) => {
  let h: Harness
  let r: Rubric
  let variant: string
  let submittedId: string
  const t: Record<string, string> = {}

  beforeAll(async () => {
    resetSeqs()
    h = await openHarness(engine)
    r = await rubric(h)
    for (const u of ALL) t[u] = await signIn(h, u, `dev-${u}-0001`.replace(/[^A-Za-z0-9_-]/g, ''))
    variant = (await readFile('rubrics/ct-store-service-js@1.0.0.yaml', 'utf8')).replace(
      /^version: 1.0.0/m,
      'version: 1.0.5',
    )
    const answers = answersFor(r, 0.8, 50)
    const first = Object.values(answers)[0]!
    first.photoIds = [...(first.photoIds ?? []), hashOf(evidence)]
    const e = evaluation('JSNJ002', answers)
    submittedId = e.id as string
    for (const b of [evidence, unreferenced])
      await h.app.inject({
        method: 'PUT',
        url: `/api/photos/${hashOf(b)}`,
        headers: { ...auth(t['nj-inspector']!), 'content-type': 'image/png' },
        payload: b,
      })
    await syncPush(h, t['nj-inspector']!, pushBody('dev-nj-inspector-0001', [put(e)]))
  })
  afterAll(() => h.close())

  const ROWS: Row[] = [
    {
      name: 'push an evaluation of a 南京 store',
      allowed: ['nj-manager', 'nj-inspector', 'js-inspector', 'group-inspector'],
      request: (u, i) => ({
        method: 'POST',
        url: '/api/sync/push',
        payload: pushBody(`dev-${u}-0001`, [
          put(
            evaluation('JSNJ001', answersFor(r, 0.8, 200 + i), {
              status: 'draft',
              submittedAt: null,
            }),
          ),
        ]),
      }),
    },
    {
      name: 'push an evaluation of a 杭州 store',
      allowed: ['group-inspector', 'zj-inspector'],
      request: (u, i) => ({
        method: 'POST',
        url: '/api/sync/push',
        payload: pushBody(`dev-${u}-0001`, [
          put(
            evaluation('ZJHZ001', answersFor(r, 0.8, 300 + i), {
              status: 'draft',
              submittedAt: null,
            }),
          ),
        ]),
      }),
    },
    {
      name: 'push a corrective action of a 南京 store',
      allowed: ['nj-manager', 'nj-inspector', 'js-inspector', 'group-inspector'],
      request: (u, i) => ({
        method: 'POST',
        url: '/api/sync/push',
        payload: pushBody(`dev-${u}-0001`, [
          {
            kind: 'action',
            op: 'put',
            baseVersion: null,
            record: {
              id: `act-${u}-${i}`,
              storeCode: 'JSNJ001',
              evaluationId: 'e',
              itemId: 'x',
              what: '整改',
              who: '经理',
              due: '2026-12-31',
              status: 'open',
              createdAt: '2026-11-01T00:00:00.000Z',
              doneAt: null,
              doneEvaluationId: null,
              evidenceNote: null,
              evidencePhotoIds: [],
            },
          } as never,
        ]),
      }),
    },
    {
      name: 'override a 南京 store’s grade',
      allowed: ['js-certifier', 'nj-certifier'],
      request: () => ({
        method: 'POST',
        url: '/api/certification/overrides',
        payload: { period: '2026-Q4', storeCode: 'JSNJ001', grade: 'pass', reason: '复核' },
      }),
    },
    {
      name: 'override a 杭州 store’s grade',
      allowed: ['zj-certifier'],
      request: () => ({
        method: 'POST',
        url: '/api/certification/overrides',
        payload: { period: '2026-Q4', storeCode: 'ZJHZ001', grade: 'pass', reason: '复核' },
      }),
    },
    {
      name: 'record 南京’s city step',
      allowed: ['js-certifier', 'nj-certifier'],
      request: () => ({
        method: 'POST',
        url: '/api/certification/steps',
        payload: { period: '2026-Q4', step: 'city-certify', unit: '江苏/南京' },
      }),
    },
    {
      name: 'send a 南京 evaluation back',
      allowed: ['js-certifier', 'nj-certifier'],
      request: () => ({
        method: 'POST',
        url: '/api/certification/sendbacks',
        payload: { evaluationId: submittedId, reason: '重查' },
      }),
    },
    {
      name: 'rankings of 江苏',
      allowed: [
        'admin',
        'js-admin',
        'js-inspector',
        'group-inspector',
        'js-certifier',
        'js-viewer',
      ],
      request: () => ({
        method: 'GET',
        url: `/api/rankings?period=2026-Q4&scope=province&unit=${encodeURIComponent('江苏')}`,
      }),
    },
    {
      name: 'rankings of 南京',
      allowed: [
        'admin',
        'js-admin',
        'js-inspector',
        'group-inspector',
        'js-certifier',
        'js-viewer',
        'nj-inspector',
        'nj-certifier',
      ],
      request: () => ({
        method: 'GET',
        url: `/api/rankings?period=2026-Q4&scope=city&unit=${encodeURIComponent('江苏/南京')}`,
      }),
    },
    {
      name: 'group rankings',
      allowed: ['admin', 'group-inspector'],
      request: () => ({ method: 'GET', url: '/api/rankings?period=2026-Q4&scope=group' }),
    },
    {
      name: 'create a 南京 store manager',
      allowed: ['admin', 'js-admin'],
      request: (u) => ({
        method: 'POST',
        url: '/api/users',
        payload: {
          username: `new-${u}`,
          displayName: '新经理',
          password: 'a long password',
          roles: [{ role: 'store-manager', unit: 'group/江苏/南京/JSNJ002' }],
        },
      }),
    },
    {
      name: 'create a 杭州 inspector',
      allowed: ['admin'],
      request: (u) => ({
        method: 'POST',
        url: '/api/users',
        payload: {
          username: `zj-${u}`,
          displayName: '新检查员',
          password: 'a long password',
          roles: [{ role: 'inspector', unit: 'group/浙江/杭州' }],
        },
      }),
    },
    {
      name: 'list users',
      allowed: ['admin', 'js-admin'],
      request: () => ({ method: 'GET', url: '/api/users' }),
    },
    {
      name: 'upload a 江苏 rubric variant',
      allowed: ['admin', 'js-admin'],
      request: () => ({
        method: 'POST',
        url: '/api/rubrics',
        payload: { text: variant, unit: 'group/江苏' },
      }),
    },
    {
      name: 'add a store to 南京',
      allowed: ['admin', 'js-admin'],
      request: () => ({
        method: 'PUT',
        url: '/api/stores',
        payload: {
          stores: [
            {
              code: 'JSNJ009',
              name: '南京九号厅',
              province: '江苏',
              city: '南京',
              level: 3,
              type: 'self',
            },
          ],
        },
      }),
    },
    {
      name: 'add a store to 杭州',
      allowed: ['admin'],
      request: () => ({
        method: 'PUT',
        url: '/api/stores',
        payload: {
          stores: [
            {
              code: 'ZJHZ009',
              name: '杭州九号厅',
              province: '浙江',
              city: '杭州',
              level: 3,
              type: 'self',
            },
          ],
        },
      }),
    },
    {
      name: 'upload a photo',
      allowed: ['nj-manager', 'nj-inspector', 'js-inspector', 'group-inspector', 'zj-inspector'],
      request: () => ({
        method: 'PUT',
        url: `/api/photos/${createHash('sha256').update(png).digest('hex')}`,
        headers: { 'content-type': 'image/png' },
        payload: png,
      }),
    },
    {
      name: 'read a photo of a 南京 JSNJ002 evaluation',
      allowed: [
        'admin',
        'js-admin',
        'nj-inspector',
        'js-inspector',
        'group-inspector',
        'js-certifier',
        'nj-certifier',
        'js-viewer',
      ],
      denied: 404,
      request: () => ({ method: 'GET', url: `/api/photos/${hashOf(evidence)}` }),
    },
    {
      name: 'read a photo nobody references yet (its uploader only)',
      allowed: ['nj-inspector'],
      denied: 404,
      request: () => ({ method: 'GET', url: `/api/photos/${hashOf(unreferenced)}` }),
    },
  ]

  it.each(ROWS.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const outcome: Record<string, number> = {}
    for (const [i, u] of ALL.entries()) {
      const req = await row.request(u, i)
      const res = await h.app.inject({
        ...req,
        headers: { ...(req.headers ?? {}), ...auth(t[u]!) },
      })
      outcome[u] = res.statusCode
      if (res.statusCode >= 500) throw new Error(`${row.name} as ${u}: ${res.body}`)
    }
    const denied = row.denied ?? 403
    const expected = Object.fromEntries(
      ALL.map((u) => [u, row.allowed.includes(u) ? 'allowed' : denied]),
    )
    const refusals = [401, 403, denied]
    const got = Object.fromEntries(
      ALL.map((u) => [u, refusals.includes(outcome[u]!) ? outcome[u] : 'allowed']),
    )
    expect(got).toEqual(expected)
    // Without a token: 401.
    const anon = await h.app.inject(await row.request('anon', 999))
    expect(anon.statusCode).toBe(401)
  })

  it('reads are filtered to the caller’s units (stores and pull)', async () => {
    const visible: Record<string, string[]> = {
      admin: ['JSNJ001', 'JSNJ002', 'JSSZ001', 'ZJHZ001'],
      'nj-manager': ['JSNJ001'],
      'nj-inspector': ['JSNJ001', 'JSNJ002'],
      'js-viewer': ['JSNJ001', 'JSNJ002', 'JSSZ001'],
      'zj-inspector': ['ZJHZ001'],
    }
    for (const [u, codes] of Object.entries(visible)) {
      const s = await h.app.inject({ url: '/api/stores', headers: auth(t[u]!) })
      const got = (s.json().stores as { code: string }[])
        .map((x) => x.code)
        .filter((c) => !c.endsWith('9'))
      expect([u, got.sort()]).toEqual([u, codes])
      const p = await h.app.inject({
        url: '/api/sync/pull?cursor=0&limit=5000',
        headers: auth(t[u]!),
      })
      const stores = new Set(
        (p.json().changes as { kind: string; data: { storeCode?: string; code?: string } | null }[])
          .filter((c) => c.kind !== 'rubric' && c.kind !== 'policy' && c.data)
          .map((c) => c.data!.storeCode ?? c.data!.code)
          .filter((c): c is string => c !== undefined && !c.endsWith('9')),
      )
      expect([u, [...stores].every((c) => codes.includes(c))]).toEqual([u, true])
    }
  })
})

import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Rubric } from '../../src/domain/rubric-schema'
import type { Store } from '../../src/domain/types'
import { STORE_COLUMNS } from '../../src/io/ranking-export'
import { createUser } from '../../src/server/users'
import {
  answersFor,
  auth,
  ENGINES,
  evaluation,
  openHarness,
  PASSWORD,
  pushBody,
  put,
  resetSeqs,
  rubric,
  signIn,
  snapshot,
  TEST_AUTH,
  type Harness,
} from './harness'

type StepPayload = {
  counts: Record<string, number>
  stores: { code: string; evaluationId: string | null }[]
}

/** 20 graded stores in 江苏 (one 优秀 place at 5 %), two in 浙江. */
const REGISTER: Store[] = [
  ...Array.from({ length: 20 }, (_, i): Store => ({
    code: `JS${String(i + 1).padStart(3, '0')}`,
    name: `江苏${i + 1}号厅`,
    province: '江苏',
    city: i < 10 ? '南京' : '苏州',
    level: 2,
    type: 'self',
  })),
  { code: 'ZJ001', name: '浙江1号厅', province: '浙江', city: '杭州', level: 2, type: 'self' },
  { code: 'ZJ002', name: '浙江2号厅', province: '浙江', city: '杭州', level: 2, type: 'self' },
]

describe.each(ENGINES)('certification and rankings on %s', (engine) => {
  let h: Harness
  let r: Rubric
  const t: Record<string, string> = {}
  const post = (who: string, url: string, payload: object) =>
    h.app.inject({ method: 'POST', url, headers: auth(t[who]!), payload })

  beforeAll(async () => {
    resetSeqs()
    h = await openHarness(engine, { stores: REGISTER })
    await h.db.tx((sql) =>
      createUser(
        sql,
        TEST_AUTH,
        null,
        {
          username: 'js-certifier-2',
          displayName: '第二认定员',
          password: PASSWORD,
          roles: [{ role: 'certifier', unit: 'group/江苏' }],
        },
        { userId: null, username: 'test', deviceId: null },
      ),
    )
    for (const u of [
      'js-inspector',
      'js-certifier',
      'js-certifier-2',
      'nj-certifier',
      'zj-certifier',
      'js-viewer',
      'admin',
      'zj-inspector',
    ])
      t[u] = await signIn(h, u)
    // Province inspections, all below 95: no 优秀 nominee, so the one place is free.
    r = await rubric(h, 'ct-store-service-js', '1.0.0')
    const js = REGISTER.filter((s) => s.province === '江苏').map((s, i) =>
      put(evaluation(s.code, answersFor(r, 0.55, 100 + i), { rubricId: 'ct-store-service-js' })),
    )
    const res = await post('js-inspector', '/api/sync/push', pushBody('js-insp-dev', js))
    expect(res.statusCode).toBe(200)
  })
  afterAll(() => h.close())

  it('two certifiers racing for the last 优秀 place get one yes and one clear no', async () => {
    const [a, b] = await Promise.all([
      post('js-certifier', '/api/certification/overrides', {
        period: '2026-Q4',
        storeCode: 'JS001',
        grade: 'excellent',
        reason: '突出',
      }),
      post('js-certifier-2', '/api/certification/overrides', {
        period: '2026-Q4',
        storeCode: 'JS002',
        grade: 'excellent',
        reason: '突出',
      }),
    ])
    const codes = [a.statusCode, b.statusCode].sort()
    expect(codes).toEqual([201, 409])
    const no = a.statusCode === 409 ? a : b
    expect(no.json()).toMatchObject({
      error: 'quota-full',
      message: expect.stringContaining('优秀'),
    })
    const overrides = await h.db.query(
      "SELECT 1 FROM records WHERE kind = 'certification' AND data->>'kind' = 'override'",
    )
    expect(overrides).toHaveLength(1)
  })

  it('certification steps: by the unit’s certifier, in order, once', async () => {
    const outside = await post('zj-certifier', '/api/certification/steps', {
      period: '2026-Q4',
      step: 'city-certify',
      unit: '江苏/南京',
    })
    expect(outside.statusCode).toBe(403)
    const early = await post('js-certifier', '/api/certification/steps', {
      period: '2026-Q4',
      step: 'province-certify',
      unit: '江苏',
    })
    expect(early.statusCode).toBe(409)
    expect(early.json()).toMatchObject({
      error: 'step-blocked',
      details: { blockers: ['江苏/南京', '江苏/苏州'] },
    })
    expect(
      (
        await post('nj-certifier', '/api/certification/steps', {
          period: '2026-Q4',
          step: 'city-certify',
          unit: '江苏/南京',
        })
      ).statusCode,
    ).toBe(201)
    expect(
      (
        await post('nj-certifier', '/api/certification/steps', {
          period: '2026-Q4',
          step: 'city-certify',
          unit: '江苏/苏州',
        })
      ).statusCode,
    ).toBe(403)
    expect(
      (
        await post('js-certifier', '/api/certification/steps', {
          period: '2026-Q4',
          step: 'city-certify',
          unit: '江苏/苏州',
        })
      ).statusCode,
    ).toBe(201)
    const again = await post('js-certifier', '/api/certification/steps', {
      period: '2026-Q4',
      step: 'city-certify',
      unit: '江苏/苏州',
    })
    expect(again.json().error).toBe('step-done')
    expect(
      (
        await post('js-certifier', '/api/certification/steps', {
          period: '2026-Q4',
          step: 'province-certify',
          unit: '江苏',
        })
      ).statusCode,
    ).toBe(201)
    // The group step needs a group certifier.
    expect(
      (
        await post('js-certifier', '/api/certification/steps', {
          period: '2026-Q4',
          step: 'group-certify',
          unit: '江苏',
        })
      ).statusCode,
    ).toBe(403)
  })

  it('a certifier sends a submitted evaluation back; it reaches the devices as returned', async () => {
    const [row] = await h.db.query<{ id: string }>(
      "SELECT id FROM records WHERE kind = 'evaluation' AND store_code = 'JS003'",
    )
    expect(
      (
        await post('zj-certifier', '/api/certification/sendbacks', {
          evaluationId: row!.id,
          reason: '重查',
        })
      ).statusCode,
    ).toBe(403)
    const ok = await post('js-certifier', '/api/certification/sendbacks', {
      evaluationId: row!.id,
      reason: '重查',
    })
    expect(ok.statusCode).toBe(201)
    expect(ok.json()).toMatchObject({ status: 'returned', returnedReason: '重查' })
    const pulled = await h.app.inject({
      url: '/api/sync/pull?cursor=0&limit=5000',
      headers: auth(t['js-inspector']!),
    })
    expect(pulled.json().changes.find((c: { id: string }) => c.id === row!.id).data.status).toBe(
      'returned',
    )
  })

  it('rankings: the CLI’s columns, only for units the caller may see', async () => {
    const res = await h.app.inject({
      url: `/api/rankings?period=2026-Q4&scope=province&unit=${encodeURIComponent('江苏')}`,
      headers: auth(t['js-viewer']!),
    })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.columns).toEqual(STORE_COLUMNS.map((c) => c.en))
    expect(body.rows).toHaveLength(20)
    // JS003 was sent back: no counting evaluation, no rank; the others rank 1…19 in order.
    const ranks = body.rows.map((x: { rank_province: number | null }) => x.rank_province)
    expect(ranks).toEqual([...Array.from({ length: 19 }, (_, k) => k + 1), null])
    expect(body.rows.at(-1).code).toBe('JS003')
    // Issue 17.5: the send-back rule of src/domain, as the app applies it — the store keeps its
    // sent-back score, marked, with the right reason, and is out of the certified list.
    const held = body.rows.at(-1)
    expect(held.score).toEqual(expect.any(Number))
    expect(held.certified_grade).toBe('ungraded')
    expect(held.note).toContain('sent back for re-inspection: 重查')
    expect(held.note).not.toContain('No submitted evaluation')
    const overridden = body.rows.find((x: { code: string; certified_grade: string }) =>
      x.code === 'JS001' || x.code === 'JS002' ? x.certified_grade === 'excellent' : false,
    )
    expect(overridden.certified_by).toBe('override')
    // A store's score is its counting evaluation's recomputed final.
    const [e] = await h.db.query<{ final: number }>(
      "SELECT (data->'result'->>'final')::int AS final FROM records WHERE kind = 'evaluation' AND store_code = 'JS010'",
    )
    expect(body.rows.find((x: { code: string }) => x.code === 'JS010').score).toBe(e!.final / 100)
    const city = await h.app.inject({
      url: `/api/rankings?period=2026-Q4&scope=city&unit=${encodeURIComponent('江苏/南京')}`,
      headers: auth(t['js-viewer']!),
    })
    expect(city.json().rows).toHaveLength(10)
    for (const [q, who] of [
      [`scope=province&unit=${encodeURIComponent('浙江')}`, 'js-viewer'],
      ['scope=group', 'js-viewer'],
      [`scope=city&unit=${encodeURIComponent('江苏/南京')}`, 'zj-inspector'],
    ] as const) {
      const refused = await h.app.inject({
        url: `/api/rankings?period=2026-Q4&${q}`,
        headers: auth(t[who]!),
      })
      expect(refused.statusCode).toBe(403)
    }
    expect(
      (
        await h.app.inject({
          url: '/api/rankings?period=2026-Q4&scope=group',
          headers: auth(t.admin!),
        })
      ).json().rows,
    ).toHaveLength(22)
  })

  it('a step freezes what the server holds; a change under it supersedes it and the step may be taken again', async () => {
    const steps = await h.db.query<{ data: { unit: string; payload: StepPayload } }>(
      "SELECT data FROM records WHERE kind = 'certification' AND data->>'step' = 'city-certify' ORDER BY version",
    )
    const nj = steps.find((x) => x.data.unit === '江苏/南京')!.data.payload
    // Frozen before the send-back: all ten 南京 stores, JS003 with its evaluation.
    expect(nj.stores.map((x) => x.code)).toEqual(REGISTER.slice(0, 10).map((x) => x.code))
    expect(Object.values(nj.counts).reduce((a, b) => a + b, 0)).toBe(10)
    const [ev] = await h.db.query<{ id: string }>(
      "SELECT id FROM records WHERE kind = 'evaluation' AND store_code = 'JS003'",
    )
    expect(nj.stores.find((x) => x.code === 'JS003')!.evaluationId).toBe(ev!.id)
    // JS003 was sent back since: the 南京 step is superseded, 苏州's stands.
    const status = async (code: string) =>
      (
        await h.app.inject({
          url: `/api/rankings?period=2026-Q4&scope=province&unit=${encodeURIComponent('江苏')}`,
          headers: auth(t['js-viewer']!),
        })
      )
        .json()
        .rows.find((x: { code: string }) => x.code === code).certification_status
    expect(await status('JS005')).toBe('superseded')
    expect(await status('JS015')).not.toBe('superseded')
    const suzhou = await post('js-certifier', '/api/certification/steps', {
      period: '2026-Q4',
      step: 'city-certify',
      unit: '江苏/苏州',
    })
    expect(suzhou.json().error).toBe('step-done')
    const again = await post('nj-certifier', '/api/certification/steps', {
      period: '2026-Q4',
      step: 'city-certify',
      unit: '江苏/南京',
    })
    expect(again.statusCode).toBe(201)
    const payload = again.json().payload as StepPayload
    expect(payload.stores.map((x) => x.code)).not.toContain('JS003')
    expect(payload.stores).toHaveLength(9)
    expect(await status('JS005')).not.toBe('superseded')
  })

  it('validates an uploaded rubric, variant or policy in full before any device sees it', async () => {
    const base = await readFile('rubrics/ct-store-service@1.0.0.yaml', 'utf8')
    const before = await snapshot(h)
    const heavy = base
      .replace('version: 1.0.0', 'version: 1.1.0')
      .replace('weight: 18', 'weight: 68')
    const bad = await post('admin', '/api/rubrics', { text: heavy, unit: 'group' })
    expect(bad.statusCode).toBe(422)
    expect(bad.json().message).toMatch(/weight/)
    const policy = await readFile('rubrics/policy.default.yaml', 'utf8')
    const badPolicy = await post('admin', '/api/rubrics', {
      text: policy.replace('excellent: 95', 'excellent: 85'),
      unit: 'group',
    })
    expect(badPolicy.statusCode).toBe(422)
    const variant = await readFile('rubrics/ct-store-service-js@1.0.0.yaml', 'utf8')
    const v101 = variant.replace(/^version: 1.0.0/m, 'version: 1.0.1')
    expect(
      (await post('zj-certifier', '/api/rubrics', { text: v101, unit: 'group/江苏' })).statusCode,
    ).toBe(403)
    expect(await snapshot(h)).toBe(before)
    const t2 = await signIn(h, 'js-admin')
    const ok = await h.app.inject({
      method: 'POST',
      url: '/api/rubrics',
      headers: auth(t2),
      payload: { text: v101, unit: 'group/江苏' },
    })
    expect(ok.statusCode).toBe(201)
    const changed = await h.app.inject({
      method: 'POST',
      url: '/api/rubrics',
      headers: auth(t2),
      payload: { text: `${v101}\n# edited`, unit: 'group/江苏' },
    })
    expect(changed.json().error).toBe('version-exists')
    const pulled = await h.app.inject({
      url: '/api/sync/pull?cursor=0&limit=5000',
      headers: auth(t['js-inspector']!),
    })
    expect(
      pulled
        .json()
        .changes.some(
          (c: { kind: string; id: string }) =>
            c.kind === 'rubric' && c.id === 'ct-store-service-js@1.0.1',
        ),
    ).toBe(true)
    const zj = await h.app.inject({
      url: '/api/sync/pull?cursor=0&limit=5000',
      headers: auth(t['zj-inspector']!),
    })
    expect(zj.json().changes.some((c: { kind: string }) => c.kind === 'rubric')).toBe(false)
  })
})

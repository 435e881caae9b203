/**
 * A province that uploaded its own policy is certified under it (GET /api/rankings and the
 * certification steps); every other province keeps the group's (here the default).
 */
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { parsePolicy } from '../../src/domain/policy-schema'
import { checkForSubmit } from '../../src/domain/submit-check'
import type { Store } from '../../src/domain/types'
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
  type Harness,
} from './harness'

/** Ten graded stores in each province: the default 5 % gives no 优秀 place (floor of 0.5). */
const REGISTER: Store[] = (['江苏', '浙江'] as const).flatMap((province) =>
  Array.from({ length: 10 }, (_, i): Store => ({
    code: `${province === '江苏' ? 'JS' : 'ZJ'}${String(i + 1).padStart(3, '0')}`,
    name: `${province}${i + 1}号厅`,
    province,
    city: province === '江苏' ? '南京' : '杭州',
    level: 2,
    type: 'self',
  })),
)

describe.each(ENGINES)('province policies on %s', (engine) => {
  let h: Harness
  const t: Record<string, string> = {}
  const excellent = async (unit: string) => {
    const res = await h.app.inject({
      url: `/api/rankings?period=2026-Q4&scope=province&unit=${encodeURIComponent(unit)}`,
      headers: auth(t.admin!),
    })
    expect(res.statusCode).toBe(200)
    return (res.json().rows as { code: string; certified_grade: string }[])
      .filter((r) => r.certified_grade === 'excellent')
      .map((r) => r.code)
  }
  const places = (entry: {
    payload: { units: { key: string; places: { excellent: number } }[] }
  }) => Object.fromEntries(entry.payload.units.map((u) => [u.key, u.places.excellent]))

  beforeAll(async () => {
    resetSeqs()
    h = await openHarness(engine, { stores: REGISTER })
    for (const u of ['admin', 'group-inspector', 'js-certifier', 'zj-certifier'])
      t[u] = await signIn(h, u)
    const r = await rubric(h)
    const all = REGISTER.map((s, i) => put(evaluation(s.code, answersFor(r, 1, 500 + i))))
    const res = await syncPush(h, t['group-inspector']!, pushBody('group-insp-dev', all))
    expect(res.statusCode).toBe(200)
  })
  afterAll(() => h.close())

  it('certifies 江苏 under its uploaded quota share and 浙江 under the group’s', async () => {
    expect(await excellent('江苏')).toEqual([])
    expect(await excellent('浙江')).toEqual([])
    const text = (await readFile('rubrics/policy.default.yaml', 'utf8'))
      .replace(/^id: default$/m, 'id: js-policy')
      .replace(/^version: .*$/m, 'version: 1.0.0')
      .replace(/excellentShare: 0\.05/, 'excellentShare: 0.2')
    expect(text).toContain('excellentShare: 0.2')
    const up = await h.app.inject({
      method: 'POST',
      url: '/api/rubrics',
      headers: auth(t.admin!),
      payload: { text, unit: 'group/江苏' },
    })
    expect(up.statusCode).toBe(201)
    expect(await excellent('江苏')).toHaveLength(2)
    expect(await excellent('浙江')).toEqual([])
    const city = await h.app.inject({
      url: `/api/rankings?period=2026-Q4&scope=city&unit=${encodeURIComponent('江苏/南京')}`,
      headers: auth(t.admin!),
    })
    expect(
      (city.json().rows as { certified_grade: string }[]).filter(
        (r) => r.certified_grade === 'excellent',
      ),
    ).toHaveLength(2)

    const step = (who: string, unit: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api/certification/steps',
        headers: auth(t[who]!),
        payload: { period: '2026-Q4', step: 'city-certify', unit },
      })
    const js = await step('js-certifier', '江苏/南京')
    const zj = await step('zj-certifier', '浙江/杭州')
    expect([js.statusCode, zj.statusCode]).toEqual([201, 201])
    expect(places(js.json())['江苏']).toBe(2)
    expect(places(zj.json())['浙江']).toBe(0)
  })

  it('re-scores a pushed evaluation under its store’s province policy, as the tablet does', async () => {
    const text = (await readFile('rubrics/policy.default.yaml', 'utf8'))
      .replace(/^id: default$/m, 'id: js-policy')
      .replace(/^version: .*$/m, 'version: 1.1.0')
      .replace(/excellentShare: 0\.05/, 'excellentShare: 0.2')
      .replace(/^scoreCap: 100$/m, 'scoreCap: null')
    expect(text).toContain('scoreCap: null')
    const parsed = parsePolicy(parseYaml(text))
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues))
    const up = await h.app.inject({
      method: 'POST',
      url: '/api/rubrics',
      headers: auth(t.admin!),
      payload: { text, unit: 'group/江苏' },
    })
    expect(up.statusCode, up.body).toBe(201)
    const r = await rubric(h)
    // Full marks with a bonus: over 100 without a cap (江苏's policy), 100 under the group's.
    const scored = (seed: number) => {
      const answers = answersFor(r, 1, seed)
      return { answers, js: checkForSubmit(r, answers, {}, parsed.policy) }
    }
    const seed = Array.from({ length: 200 }, (_, i) => 900 + i).find((n) => {
      const x = scored(n).js
      return x.ok && x.result !== null && x.result.final > 10_000
    })
    expect(seed).toBeDefined()
    const { answers, js: capped } = scored(seed!)
    const plain = checkForSubmit(r, answers)
    if (!capped.ok || !plain.ok || !capped.result || !plain.result)
      throw new Error('the answers should be submittable')
    const mine = capped.result
    // Points are integer hundredths: 10,000 is 100.00.
    expect(mine.final).toBeGreaterThan(10_000)
    expect(plain.result.final).toBe(10_000)
    const pushOne = (code: string, final: number) =>
      syncPush(
        h,
        t['group-inspector']!,
        pushBody('group-insp-dev', [
          put(evaluation(code, answers, { result: { ...mine, final } })),
        ]),
      )
    // 江苏 has no cap: the tablet's score over 100 is the server's.
    const js = await pushOne('JS001', mine.final)
    expect(js.statusCode, js.body).toBe(200)
    expect(js.json().results[0].outcome).toBe('applied')
    // 浙江 keeps the group's cap of 100: the same score is not what its answers give there.
    const zj = await pushOne('ZJ001', mine.final)
    expect(JSON.stringify(zj.json())).toContain('score-mismatch')
  })
})

/**
 * Visit plans (issue 13): the planner's unit must contain the store and the inspector, every
 * write is in the audit log, a refused batch writes nothing, and the plans reach the inspectors'
 * tablets through the ordinary pull (not the store's manager), a cancellation as a tombstone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auth, ENGINES, openHarness, signIn, snapshot, type Harness } from './harness'

describe.each(ENGINES)('visit plans on %s', (engine) => {
  let h: Harness
  const t: Record<string, string> = {}
  const ids: Record<string, number> = {}
  const call = async (
    user: string,
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    payload?: object,
  ) => {
    const res = await h.app.inject({
      method,
      url,
      headers: auth(t[user]!),
      ...(payload ? { payload } : {}),
    })
    return { code: res.statusCode, body: res.body ? res.json() : null }
  }
  /** A plan of `inspector`'s visits to the stores, asked by `user`. */
  const plan = (user: string, inspector: string, storeCodes: string[], due = '2026-12-11') =>
    call(user, 'POST', '/api/visits', { inspectorId: ids[inspector], due, storeCodes })
  const pullVisits = async (user: string) => {
    const res = await call(user, 'GET', '/api/sync/pull?cursor=0&limit=5000')
    expect(res.code).toBe(200)
    return (
      res.body.changes as {
        kind: string
        id: string
        deleted: boolean
        data: { storeCode: string } | null
      }[]
    ).filter((c) => c.kind === 'visit')
  }

  beforeAll(async () => {
    h = await openHarness(engine)
    for (const u of [
      'js-admin',
      'nj-certifier',
      'zj-certifier',
      'nj-inspector',
      'js-inspector',
      'nj-manager',
      'zj-inspector',
      'js-viewer',
    ])
      t[u] = await signIn(h, u)
    const rows = await h.db.query<{ id: number; username: string }>(
      'SELECT id, username FROM users',
    )
    for (const r of rows) ids[r.username] = Number(r.id)
  }, 120_000)
  afterAll(() => h?.close())

  it('lists the inspectors inside the planner’s units only', async () => {
    const nj = await call('nj-certifier', 'GET', '/api/visits/inspectors')
    expect(nj.code).toBe(200)
    expect(nj.body.inspectors.map((i: { username: string }) => i.username)).toEqual([
      'nj-inspector',
    ])
    const js = await call('js-admin', 'GET', '/api/visits/inspectors')
    expect(js.body.inspectors.map((i: { username: string }) => i.username).sort()).toEqual([
      'js-inspector',
      'nj-inspector',
    ])
    // An inspector or a viewer plans nothing.
    expect((await call('js-viewer', 'GET', '/api/visits/inspectors')).body.inspectors).toEqual([])
    expect((await plan('js-inspector', 'nj-inspector', ['JSNJ001'], '2026-12-10')).code).toBe(403)
  })

  it('plans a batch in one write, logged; the same plan again is the same visit', async () => {
    const body = {
      inspectorId: ids['nj-inspector']!,
      due: '2026-12-10',
      storeCodes: ['JSNJ001', 'JSNJ002'],
      note: '复查排队',
    }
    const res = await call('nj-certifier', 'POST', '/api/visits', body)
    expect(res.code, JSON.stringify(res.body)).toBe(201)
    expect(res.body.visits).toHaveLength(2)
    expect(res.body.visits[0]).toMatchObject({
      storeCode: 'JSNJ001',
      inspectorName: 'nj-inspector 名',
      due: '2026-12-10',
      note: '复查排队',
      plannedByName: 'nj-certifier 名',
    })
    const audit = await h.db.query<{ action: string; target: string; username: string }>(
      "SELECT action, target, username FROM audit WHERE action = 'plan-visit' ORDER BY id",
    )
    expect(audit.map((a) => a.target).sort()).toEqual(
      res.body.visits.map((v: { id: string }) => v.id).sort(),
    )
    expect(audit.every((a) => a.username === 'nj-certifier')).toBe(true)
    const again = await call('nj-certifier', 'POST', '/api/visits', body)
    expect(again.code).toBe(201)
    expect(again.body.visits.map((v: { id: string }) => v.id)).toEqual(
      res.body.visits.map((v: { id: string }) => v.id),
    )
    expect(await h.db.query("SELECT 1 FROM audit WHERE action = 'plan-visit'")).toHaveLength(2)
  })

  it('refuses a store or an inspector outside the planner’s unit, writing nothing', async () => {
    const before = await snapshot(h)
    // 苏州 is outside the 南京 certifier's unit: the whole batch is refused.
    const outside = await plan('nj-certifier', 'nj-inspector', ['JSNJ001', 'JSSZ001'])
    expect(outside.code).toBe(403)
    expect(outside.body.error).toBe('outside-units')
    expect(outside.body.message).toContain('JSSZ001')
    // The province inspector is not inside the 南京 unit.
    expect((await plan('nj-certifier', 'js-inspector', ['JSNJ001'])).code).toBe(403)
    // The 南京 inspector does not cover 苏州, even for the province admin.
    expect((await plan('js-admin', 'nj-inspector', ['JSSZ001'])).code).toBe(403)
    // Another province's inspector, a store manager as "inspector", an unknown store, a bad date.
    expect((await plan('js-admin', 'zj-inspector', ['JSNJ001'])).code).toBe(403)
    expect((await plan('js-admin', 'nj-manager', ['JSNJ001'])).code).toBe(403)
    const unknown = await plan('js-admin', 'nj-inspector', ['NOPE'])
    expect(unknown.code).toBe(400)
    expect(unknown.body.error).toBe('unknown-store')
    const bad = await plan('js-admin', 'nj-inspector', ['JSNJ001'], '2026-13-45')
    expect(bad.code).toBe(400)
    expect(await snapshot(h)).toBe(before)
  })

  it('the plans reach the inspectors by the pull, not the store manager or another province', async () => {
    expect((await pullVisits('nj-inspector')).map((v) => v.data!.storeCode).sort()).toEqual([
      'JSNJ001',
      'JSNJ002',
    ])
    expect(await pullVisits('js-inspector')).toHaveLength(2)
    expect(await pullVisits('nj-manager')).toHaveLength(0)
    expect(await pullVisits('zj-inspector')).toHaveLength(0)
    const list = await call('zj-certifier', 'GET', '/api/visits')
    expect(list.body.visits).toEqual([])
  })

  it('a cancellation is a tombstone in the pull, logged; outside the unit it is refused', async () => {
    const [v] = await pullVisits('nj-inspector')
    const cursor = Number(
      (await h.db.query<{ v: number }>('SELECT max(version)::int AS v FROM records'))[0]!.v,
    )
    expect((await call('zj-certifier', 'DELETE', `/api/visits/${v!.id}`)).code).toBe(404)
    expect((await call('js-inspector', 'DELETE', `/api/visits/${v!.id}`)).code).toBe(403)
    expect((await call('js-admin', 'DELETE', `/api/visits/${v!.id}`)).code).toBe(204)
    const res = await call('nj-inspector', 'GET', `/api/sync/pull?cursor=${cursor}`)
    expect(res.body.changes).toEqual([
      expect.objectContaining({ kind: 'visit', id: v!.id, deleted: true, data: null }),
    ])
    expect(
      await h.db.query("SELECT 1 FROM audit WHERE action = 'cancel-visit' AND target = $1", [
        v!.id,
      ]),
    ).toHaveLength(1)
    expect((await call('nj-certifier', 'GET', '/api/visits')).body.visits).toHaveLength(1)
  })
})

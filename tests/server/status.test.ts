/**
 * GET /api/status (issue 13): a period's submission status per city and per store, under the
 * access check: inspected, only self-assessed, not yet, and overdue once the period is over.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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

describe.each(ENGINES)('submission status on %s', (engine) => {
  let h: Harness
  const t: Record<string, string> = {}
  const status = async (user: string, period: string) => {
    const res = await h.app.inject({ url: `/api/status?period=${period}`, headers: auth(t[user]!) })
    return { code: res.statusCode, body: res.json() }
  }

  beforeAll(async () => {
    resetSeqs()
    h = await openHarness(engine)
    for (const u of ['js-inspector', 'nj-manager', 'js-viewer', 'zj-certifier', 'nj-inspector'])
      t[u] = await signIn(h, u, `dev-${u}-0001`)
    const r = await rubric(h)
    // 南京一号厅 inspected and self-assessed, 南京二号厅 only a draft, 苏州 nothing.
    const push = async (user: string, rec: Record<string, unknown>) => {
      const res = await syncPush(h, t[user]!, pushBody(`dev-${user}-0001`, [put(rec)]))
      expect(res.statusCode, res.body).toBe(200)
    }
    await push('js-inspector', evaluation('JSNJ001', answersFor(r, 1, 1), { reviewer: 'province' }))
    await push('nj-manager', evaluation('JSNJ001', answersFor(r, 1, 2), { reviewer: 'self' }))
    await push(
      'js-inspector',
      evaluation('JSNJ002', answersFor(r, 1, 3), { status: 'draft', submittedAt: null }),
    )
  }, 120_000)
  afterAll(() => h?.close())

  it('counts per city and lists each store, for the stores the caller may see', async () => {
    const { code, body } = await status('js-viewer', '2026-Q4')
    expect(code).toBe(200)
    const city = Object.fromEntries(
      (body.cities as { city: string; total: number; counts: Record<string, number> }[]).map(
        (c) => [c.city, c],
      ),
    )
    expect(Object.keys(city).sort()).toEqual(['南京', '苏州'])
    expect(city['南京']!.total).toBe(2)
    expect(city['苏州']!.total).toBe(1)
    const states = Object.fromEntries(
      (body.stores as { code: string; state: string }[]).map((s) => [s.code, s.state]),
    )
    // 2026-Q4 is over by the server's clock (the tests run after it) only if today is later.
    const over = Date.now() >= Date.UTC(2026, 11, 31, 16)
    expect(states).toEqual({
      JSNJ001: 'inspected',
      // A draft is not a submission.
      JSNJ002: over ? 'overdue' : 'not-yet',
      JSSZ001: over ? 'overdue' : 'not-yet',
    })
    expect(body.stores.some((s: { code: string }) => s.code === 'ZJHZ001')).toBe(false)
  })

  it('a past period with nothing submitted is overdue everywhere; a store manager sees one store', async () => {
    const past = await status('js-viewer', '2025-Q1')
    expect((past.body.stores as { state: string }[]).every((s) => s.state === 'overdue')).toBe(true)
    const mine = await status('nj-manager', '2026-Q4')
    expect(mine.body.stores.map((s: { code: string }) => s.code)).toEqual(['JSNJ001'])
    const zj = await status('zj-certifier', '2026-Q4')
    expect(zj.body.stores.map((s: { code: string }) => s.code)).toEqual(['ZJHZ001'])
  })

  it('refuses a bad period and an unsigned caller', async () => {
    expect((await status('js-viewer', 'soon')).code).toBe(400)
    const res = await h.app.inject({ url: '/api/status?period=2026-Q4' })
    expect(res.statusCode).toBe(401)
  })
})

/**
 * Visit plans on a tablet (issue 13): the tablet's own sync store and visits store against the
 * real server app (fetch is the app's inject). Plans arrive with the ordinary pull and stay
 * offline; a cancellation removes one; the inspector's groups follow the device's evaluations;
 * sign-out removes the plans; an unconnected device has none.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { getDatabase, openDatabase, setDatabase } from '@/db/database'
import { repos } from '@/db/repos'
import { useSyncStore } from '@/stores/sync'
import { useVisitsStore } from '@/stores/visits'
import { chinaDay } from '@/domain/visit-plan'
import { auth, ENGINES, PASSWORD, signIn, STORES } from '../server/harness'
import { ORIGIN, useTabletServer } from '../helpers/tablet'
import { injectFetch } from '../helpers/inject-fetch'

const DAY = 86_400_000

describe.each(ENGINES)('visit plans on a tablet (%s)', (engine) => {
  const srv = useTabletServer(engine)
  let office: string
  let inspectorId = 0
  beforeAll(async () => {
    office = await signIn(srv.h, 'nj-certifier')
    const [u] = await srv.h.db.query<{ id: number }>(
      "SELECT id FROM users WHERE username = 'nj-inspector'",
    )
    inspectorId = Number(u!.id)
  }, 120_000)

  const plan = async (storeCodes: string[], due: string) => {
    const res = await srv.h.app.inject({
      method: 'POST',
      url: '/api/visits',
      headers: auth(office),
      payload: { inspectorId, due, storeCodes },
    })
    expect(res.statusCode, res.body).toBe(201)
    return res.json().visits as { id: string; storeCode: string }[]
  }

  it('plans come with the pull, stay offline, follow the evaluations, and leave at sign-out', async () => {
    setDatabase(openDatabase(`visits-${engine}-${Date.now()}`))
    setActivePinia(createPinia())
    const sync = useSyncStore()
    const visits = useVisitsStore()
    expect(await sync.signIn(ORIGIN, 'nj-inspector', PASSWORD)).toEqual({ ok: true })
    await sync.syncNow()
    await visits.load()
    expect(visits.mine).not.toBeNull()
    expect(Object.values(visits.mine!).flat()).toEqual([])

    const now = new Date()
    await plan(['JSNJ001'], chinaDay(now))
    const [late] = await plan(['JSNJ002'], chinaDay(new Date(now.getTime() - 2 * DAY)))
    await sync.syncNow()
    // Offline from here: the plans are on the device.
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')))
    await visits.load(now)
    expect(visits.mine!.today.map((v) => v.storeCode)).toEqual(['JSNJ001'])
    expect(visits.mine!.today[0]!.storeName).toBe(STORES[0]!.name)
    expect(visits.mine!.overdue.map((v) => v.storeCode)).toEqual(['JSNJ002'])

    // An inspection of JSNJ001 submitted on this device after the plan: the visit is done.
    const at = new Date(now.getTime() + 1000).toISOString()
    const ev = await repos().evaluations.create({
      storeCode: 'JSNJ001',
      period: '2026-Q4',
      reviewer: 'city',
      evaluatorName: 'nj-inspector 名',
      rubricId: 'ct-store-service',
      rubricVersion: '1.0.0',
    })
    await visits.load(now)
    expect(visits.mine!.today).toHaveLength(1) // a draft is not a visit done
    await getDatabase().evaluations.update(ev.id, { status: 'submitted', submittedAt: at })
    await visits.load(now)
    expect(visits.mine!.today).toEqual([])
    expect(visits.mine!.done.map((v) => [v.storeCode, v.evaluationId])).toEqual([
      ['JSNJ001', ev.id],
    ])

    // Cancelled on the server: gone from the tablet at the next pull.
    vi.stubGlobal('fetch', injectFetch(srv.h))
    const del = await srv.h.app.inject({
      method: 'DELETE',
      url: `/api/visits/${late!.id}`,
      headers: auth(office),
    })
    expect(del.statusCode).toBe(204)
    await sync.syncNow()
    await visits.load(now)
    expect(visits.mine!.overdue).toEqual([])

    // Sign-out removes the account's data, plans included.
    expect((await sync.signOut({ discard: true })).ok).toBe(true)
    expect(await (await repos().sync()).visits()).toEqual([])
    await visits.load(now)
    expect(visits.mine).toBeNull()
  })

  it('an unconnected device has no plans and no self-assessment notice', async () => {
    setDatabase(openDatabase(`visits-none-${engine}-${Date.now()}`))
    setActivePinia(createPinia())
    const visits = useVisitsStore()
    await visits.load()
    expect(visits.mine).toBeNull()
    expect(visits.selfDue).toEqual([])
  })
})

/**
 * Issue 13, "sync that loses nothing": a draft signed on a tablet (the inspector's and the store
 * manager's visit signatures) goes up with the tablet's own sync code to the real server app (on
 * PGlite and PostgreSQL) and a second device pulls it with its signatures; signing queues the
 * outbox entry in the same write, so a signature alone is sent.
 */
import { describe, expect, it } from 'vitest'
import { repos } from '@/db/repos'
import { outboxKey } from '@/db/outbox.repo'
import { ENGINES, STORES } from '../server/harness'
import { device, on, ORIGIN, useTabletServer } from '../helpers/tablet'

const png =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='

describe.each(ENGINES)('visit signatures from a tablet (%s)', (engine) => {
  const srv = useTabletServer(engine)

  it('a signed draft syncs and a second device pulls it with its signatures', async () => {
    const a = device()
    const b = device()
    const sa = on(a)
    expect((await sa.signIn(ORIGIN, 'js-inspector', 'correct horse battery')).ok).toBe(true)
    await sa.syncNow()
    const sb = on(b)
    expect((await sb.signIn(ORIGIN, 'js-inspector', 'correct horse battery')).ok).toBe(true)
    await sb.syncNow()

    on(a)
    await repos().stores.put(STORES.find((s) => s.code === 'JSSZ001')!)
    const ev = await repos().evaluations.create({
      storeCode: 'JSSZ001',
      period: '2026-Q4',
      reviewer: 'province',
      evaluatorName: 'js-inspector 名',
      rubricId: srv.r.id,
      rubricVersion: srv.r.version,
    })
    await sa.syncNow()
    expect(sa.waiting).toBe(0)

    // Signing alone queues the evaluation for the next push, in the same write.
    const inspector = { name: ' js-inspector 名 ', at: '2026-11-02T10:00:00.000Z', png }
    const manager = { name: '李店长', at: '2026-11-02T10:01:00.000Z', png }
    let cur = (await repos().evaluations.get(ev.id))!
    const s1 = await repos().evaluations.setSignature(ev.id, 'inspector', inspector, cur.editSeq)
    expect(await a.db.outbox.get(outboxKey('evaluation', ev.id))).toBeDefined()
    await repos().evaluations.setSignature(ev.id, 'manager', manager, s1.editSeq)
    await sa.syncNow()
    expect(sa.waiting).toBe(0)
    expect(sa.refusals).toEqual([])
    const expected = { inspector: { ...inspector, name: 'js-inspector 名' }, manager }
    const [row] = await srv.h.db.query<{ data: { signatures?: unknown } }>(
      "SELECT data FROM records WHERE kind = 'evaluation' AND id = $1",
      [ev.id],
    )
    expect(row?.data.signatures).toEqual(expected)
    // Its own change coming back leaves the open form alone.
    cur = (await repos().evaluations.get(ev.id))!
    expect(cur.signatures).toEqual(expected)

    on(b)
    await sb.syncNow()
    expect((await repos().evaluations.get(ev.id))?.signatures).toEqual(expected)

    // The manager's signature removed on A: B loses it too.
    on(a)
    await repos().evaluations.setSignature(ev.id, 'manager', null, cur.editSeq)
    await sa.syncNow()
    expect(sa.waiting).toBe(0)
    on(b)
    await sb.syncNow()
    expect((await repos().evaluations.get(ev.id))?.signatures).toEqual({
      inspector: expected.inspector,
    })
  })
})

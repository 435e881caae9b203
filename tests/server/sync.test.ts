import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Rubric } from '../../src/domain/rubric-schema'
import { scoreEvaluation } from '../../src/domain/scoring'
import { purgeTombstones } from '../../src/server/sync'
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
  snapshot,
  syncPush,
  type Harness,
} from './harness'

describe.each(ENGINES)('sync on %s', (engine) => {
  let h: Harness
  let r: Rubric
  const tokens: Record<string, string> = {}
  const push = (who: string, body: unknown) => syncPush(h, tokens[who]!, body)
  const pullAll = async (who: string, cursor = 0, limit = 1000) => {
    const out: { kind: string; id: string; version: number; deleted: boolean; data: unknown }[] = []
    for (;;) {
      const res = await h.app.inject({
        url: `/api/sync/pull?cursor=${cursor}&limit=${limit}`,
        headers: auth(tokens[who]!),
      })
      if (res.statusCode !== 200) return { status: res.statusCode, body: res.json(), out, cursor }
      const page = res.json()
      out.push(...page.changes)
      cursor = page.cursor
      if (!page.more) return { status: 200, out, cursor }
    }
  }

  beforeAll(async () => {
    resetSeqs()
    h = await openHarness(engine)
    r = await rubric(h)
    for (const u of [
      'nj-manager',
      'nj-inspector',
      'js-inspector',
      'zj-inspector',
      'admin',
      'js-viewer',
      'group-inspector',
    ])
      tokens[u] = await signIn(h, u)
  })
  afterAll(() => h.close())

  it('recomputes the score from the answers; reviewer and evaluator come from the account', async () => {
    const answers = answersFor(r, 0.8, 1)
    const e = evaluation('JSNJ001', answers)
    const res = await push('nj-manager', pushBody('mgr-device-1', [put(e)]))
    expect(res.statusCode).toBe(200)
    expect(res.json().results[0].outcome).toBe('applied')
    const [row] = await h.db.query<{ data: Record<string, unknown> }>(
      "SELECT data FROM records WHERE kind = 'evaluation' AND id = $1",
      [e.id],
    )
    const expected = scoreEvaluation(r, answers)
    expect(expected.ok).toBe(true)
    expect((row!.data.result as { final: number }).final).toBe(
      expected.ok ? expected.score.final : -1,
    )
    expect(row!.data.reviewer).toBe('self')
    expect(row!.data.evaluatorName).toBe('nj-manager 名')
    const audit = await h.db.query<{ username: string; device_id: string; action: string }>(
      'SELECT username, device_id, action FROM audit WHERE target = $1',
      [e.id],
    )
    expect(audit).toEqual([
      { username: 'nj-manager', device_id: 'mgr-device-1', action: 'submit-evaluation' },
    ])
  })

  it('keeps the cross-border zone answer (002:L134) and records it in the re-computed result', async () => {
    const e = evaluation('JSNJ002', answersFor(r, 0.85, 3), { crossBorderZone: true })
    const res = await push('nj-inspector', pushBody('insp-device-cb', [put(e)]))
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().results[0].outcome).toBe('applied')
    const [row] = await h.db.query<{ data: Record<string, unknown> }>(
      "SELECT data FROM records WHERE kind = 'evaluation' AND id = $1",
      [e.id],
    )
    expect(row!.data.crossBorderZone).toBe(true)
    expect((row!.data.result as { crossBorderZone?: boolean }).crossBorderZone).toBe(true)
    const bad = evaluation('JSNJ002', answersFor(r, 0.85, 3), { crossBorderZone: 'yes' })
    const refused = await push('nj-inspector', pushBody('insp-device-cb2', [put(bad)]))
    expect(refused.statusCode).toBe(400)
  })

  it('a repeated push, and the same push twice in parallel, have one effect', async () => {
    const body = pushBody('insp-device-1', [put(evaluation('JSNJ002', answersFor(r, 0.9, 2)))])
    const first = await push('nj-inspector', body)
    const before = await snapshot(h)
    const again = await push('nj-inspector', body)
    expect(again.json()).toEqual({ ...first.json(), replayed: true })
    expect(await snapshot(h)).toBe(before)

    const par = pushBody('insp-device-1', [put(evaluation('JSNJ002', answersFor(r, 0.7, 3)))])
    const [a, b] = await Promise.all([push('nj-inspector', par), push('nj-inspector', par)])
    expect(a.statusCode).toBe(200)
    expect(b.statusCode).toBe(200)
    expect([a.json().replayed, b.json().replayed].sort()).toEqual([false, true])
    const n = await h.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM audit WHERE target = $1',
      [par.changes[0]!.record!.id],
    )
    expect(n[0]!.n).toBe(1)
    // Sequence numbers only increase: one skipped and sent late is refused, nothing written.
    const e3 = pushBody('seq-device-1', [put(evaluation('JSNJ002', answersFor(r, 0.7, 4)))], 3)
    expect((await push('nj-inspector', e3)).statusCode).toBe(200)
    const late = await push(
      'nj-inspector',
      pushBody('seq-device-1', [put(evaluation('JSNJ002', answersFor(r, 0.7, 4)))], 2),
    )
    expect(late.statusCode).toBe(409)
    expect(late.json().error).toBe('sequence-behind')
  })

  it('refuses a forged score, a spoofed reviewer and a spoofed evaluator, writing nothing', async () => {
    const answers = answersFor(r, 0.6, 5)
    const before = await snapshot(h)
    const forged = evaluation('JSNJ001', answers, { result: { final: 10000, grade: 'excellent' } })
    const f = await push('nj-manager', pushBody('mgr-device-1', [put(forged)]))
    expect(f.statusCode).toBe(422)
    expect(f.json().error).toBe('score-mismatch')
    const spoof = await push(
      'nj-manager',
      pushBody('mgr-device-1', [put(evaluation('JSNJ001', answers, { reviewer: 'group' }))]),
    )
    expect(spoof.statusCode).toBe(403)
    expect(spoof.json().error).toBe('reviewer-not-allowed')
    const name = await push(
      'nj-inspector',
      pushBody('insp-device-1', [
        put(evaluation('JSNJ001', answers, { evaluatorName: '集团领导' })),
      ]),
    )
    expect(name.statusCode).toBe(403)
    expect(name.json().error).toBe('evaluator-not-allowed')
    expect(await snapshot(h)).toBe(before)
  })

  it('refuses unknown rubric versions and invalid answers with a clear 422', async () => {
    const before = await snapshot(h)
    const unknown = await push(
      'nj-inspector',
      pushBody('insp-device-1', [
        put(evaluation('JSNJ001', answersFor(r, 0.8, 6), { rubricVersion: '9.9.9' })),
      ]),
    )
    expect(unknown.statusCode).toBe(422)
    expect(unknown.json()).toMatchObject({
      error: 'unknown-rubric',
      message: expect.stringContaining('ct-store-service@9.9.9'),
    })
    const answers = answersFor(r, 0.8, 7)
    const firstItem = r.sections[0]!.items[0]!
    answers[firstItem.id] = { itemId: firstItem.id, value: 999 }
    const invalid = await push(
      'nj-inspector',
      pushBody('insp-device-1', [put(evaluation('JSNJ001', answers))]),
    )
    expect(invalid.statusCode).toBe(422)
    expect(invalid.json().error).toBe('not-submittable')
    expect(await snapshot(h)).toBe(before)
  })

  it('refuses a write outside the units (403), and the whole batch with it', async () => {
    const before = await snapshot(h)
    const inside = evaluation('JSNJ001', answersFor(r, 0.8, 8))
    const outside = evaluation('ZJHZ001', answersFor(r, 0.8, 9))
    const res = await push('nj-inspector', pushBody('insp-device-1', [put(inside), put(outside)]))
    expect(res.statusCode).toBe(403)
    expect(res.json().error).toBe('outside-units')
    const viewer = await push(
      'js-viewer',
      pushBody('viewer-device', [put(evaluation('JSNJ001', answersFor(r, 0.8, 10)))]),
    )
    expect(viewer.statusCode).toBe(403)
    expect(await snapshot(h)).toBe(before)
  })

  it('a submitted evaluation changes only as a new revision by someone allowed to reopen it', async () => {
    const e = evaluation('JSSZ001', answersFor(r, 0.8, 11))
    expect(
      (await push('js-inspector', pushBody('js-device', [put(e)]))).json().results[0].outcome,
    ).toBe('applied')
    const edited = { ...e, answers: answersFor(r, 0.95, 12) }
    const locked = await push('js-inspector', pushBody('js-device', [put(edited, 1)]))
    expect(locked.json().results[0]).toMatchObject({ outcome: 'locked' })
    // A city inspector evaluates at city level: it may not reopen a province inspection.
    const rev = { ...evaluation('JSSZ001', answersFor(r, 0.95, 12)), revision: 2, revisionOf: e.id }
    const other = await h.app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: 'group-inspector', password: 'correct horse battery' },
    })
    const gi = other.json().token
    const refused = await syncPush(h, gi, pushBody('gi-device', [put(rev)]))
    expect(refused.statusCode).toBe(403)
    expect(refused.json().error).toBe('reopen-not-allowed')
    const ok = await push('js-inspector', pushBody('js-device', [put(rev)]))
    expect(ok.json().results[0].outcome).toBe('applied')
    const rows = await h.db.query<{ id: string; rev: number }>(
      "SELECT id, (data->>'revision')::int AS rev FROM records WHERE kind = 'evaluation' AND store_code = 'JSSZ001' ORDER BY rev",
    )
    expect(rows.map((x) => x.rev)).toEqual([1, 2])
  })

  it('two devices editing one draft: the second gets a conflict; an edit racing a submit loses', async () => {
    const draft = evaluation('JSNJ002', answersFor(r, 0.8, 13), {
      status: 'draft',
      submittedAt: null,
    })
    const created = (await push('nj-inspector', pushBody('tab-a-0001', [put(draft)]))).json()
      .results[0]
    const v1 = created.version
    const editA = { ...draft, answers: answersFor(r, 0.7, 14) }
    const editB = { ...draft, answers: answersFor(r, 0.6, 15) }
    const a = (await push('nj-inspector', pushBody('tab-a-0001', [put(editA, v1)]))).json()
      .results[0]
    expect(a.outcome).toBe('applied')
    const b = (await push('nj-inspector', pushBody('tab-b-0001', [put(editB, v1)]))).json()
      .results[0]
    expect(b.outcome).toBe('conflict')
    expect(b.server.answers).toEqual(editA.answers)
    // A submits; B's late edit of the draft is older than the submitted copy.
    const submitted = (
      await push(
        'nj-inspector',
        pushBody('tab-a-0001', [put({ ...editA, status: 'submitted' }, a.version)]),
      )
    ).json().results[0]
    expect(submitted.outcome).toBe('applied')
    const late = (
      await push('nj-inspector', pushBody('tab-b-0001', [put(editB, a.version)]))
    ).json().results[0]
    expect(late.outcome).toBe('older')
    const [row] = await h.db.query<{ status: string }>(
      "SELECT data->>'status' AS status FROM records WHERE kind = 'evaluation' AND id = $1",
      [draft.id],
    )
    expect(row!.status).toBe('submitted')
  })

  it("another evaluator's draft is not theirs to change", async () => {
    const draft = evaluation('JSNJ002', answersFor(r, 0.8, 16), {
      status: 'draft',
      submittedAt: null,
    })
    await push('nj-inspector', pushBody('tab-a-0001', [put(draft)]))
    const other = await push(
      'js-inspector',
      pushBody('js-device', [put({ ...draft, reviewer: 'city', answers: answersFor(r, 0.5, 17) })]),
    )
    expect(other.statusCode).toBe(403)
  })

  it('pulls only the caller’s units, paged in version order, with tombstones; a too-old cursor starts again', async () => {
    const zj = evaluation('ZJHZ001', answersFor(r, 0.8, 18))
    expect((await push('zj-inspector', pushBody('zj-device', [put(zj)]))).statusCode).toBe(200)
    const mine = await pullAll('nj-inspector', 0, 3)
    expect(mine.status).toBe(200)
    const versions = mine.out.map((c) => c.version)
    expect(versions).toEqual([...versions].sort((x, y) => x - y))
    expect(mine.out.some((c) => c.id === zj.id)).toBe(false)
    expect(mine.out.some((c) => c.kind === 'store' && c.id === 'ZJHZ001')).toBe(false)
    expect(mine.out.some((c) => c.kind === 'store' && c.id === 'JSNJ001')).toBe(true)
    const group = await pullAll('admin')
    expect(group.out.some((c) => c.id === zj.id)).toBe(true)

    // A draft deleted: its tombstone reaches the device.
    const d = evaluation('JSNJ001', answersFor(r, 0.8, 19), { status: 'draft', submittedAt: null })
    const created = (await push('nj-inspector', pushBody('tab-a-0001', [put(d)]))).json().results[0]
    const del = await push(
      'nj-inspector',
      pushBody('tab-a-0001', [
        { kind: 'evaluation', op: 'delete', id: d.id, baseVersion: created.version },
      ]),
    )
    expect(del.json().results[0].outcome).toBe('applied')
    const after = await pullAll('nj-inspector', mine.cursor)
    expect(after.out.find((c) => c.id === d.id)).toMatchObject({ deleted: true, data: null })

    // The tombstones are purged: an old cursor must start again, and 0 still works.
    const [{ v }] = (await h.db.query<{ v: number }>('SELECT version AS v FROM sync_clock')) as [
      { v: number },
    ]
    expect(await purgeTombstones(h.db, v)).toBeGreaterThan(0)
    const old = await pullAll('nj-inspector', mine.cursor)
    expect(old.status).toBe(410)
    expect(old.body.error).toBe('cursor-too-old')
    // The device was offline all that time: what it had not pushed is still accepted.
    const pending = evaluation('JSNJ001', answersFor(r, 0.85, 21))
    const late = await push('nj-inspector', pushBody('offline-tab-1', [put(pending)]))
    expect(late.json().results[0].outcome).toBe('applied')
    const again = await pullAll('nj-inspector', 0)
    expect(again.out.some((c) => c.id === pending.id)).toBe(true)
    expect(again.status).toBe(200)
    expect(again.cursor).toBeGreaterThanOrEqual(v)
    expect(again.out.some((c) => c.id === d.id)).toBe(false)
    expect((await pullAll('nj-inspector', again.cursor)).status).toBe(200)
  })

  it('a user moved to another city mid-sync: the push is refused, nothing written, the pull starts again', async () => {
    const cursor = (await pullAll('nj-inspector')).cursor
    const admin = tokens.admin!
    const [u] = await h.db.query<{ id: number }>(
      "SELECT id FROM users WHERE username = 'nj-inspector'",
    )
    const moved = await h.app.inject({
      method: 'PATCH',
      url: `/api/users/${u!.id}`,
      headers: auth(admin),
      payload: { roles: [{ role: 'inspector', unit: 'group/江苏/苏州' }] },
    })
    expect(moved.statusCode).toBe(200)
    const before = await snapshot(h)
    const res = await push(
      'nj-inspector',
      pushBody('tab-a-0001', [put(evaluation('JSNJ001', answersFor(r, 0.8, 20)))]),
    )
    expect(res.statusCode).toBe(403)
    expect(await snapshot(h)).toBe(before)
    expect((await pullAll('nj-inspector', cursor)).status).toBe(410)
    const fresh = await pullAll('nj-inspector', 0)
    expect(
      fresh.out.every(
        (c) =>
          c.kind === 'rubric' ||
          c.kind === 'policy' ||
          (c.data as { storeCode?: string; code?: string } | null)?.storeCode !== 'JSNJ001',
      ),
    ).toBe(true)
    expect(fresh.out.some((c) => c.kind === 'store' && c.id === 'JSSZ001')).toBe(true)
  })
})

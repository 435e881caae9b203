/**
 * The tablet's sync code (the Pinia sync store, src/db/sync.repo.ts, src/io/server-api.ts) against
 * the real server app, on PGlite and on PostgreSQL: `fetch` is the Fastify app's inject, every
 * device is its own IndexedDB (fake-indexeddb). Issue 13: records from before the connection are
 * held until the user uploads them and what the server refuses is listed and stays; a conflict
 * the server reports shows both copies and the user's choice is what the server keeps; the
 * rubric versions and the province's policy come down with the pull and stay in force offline;
 * a connected certifier's step is recorded by the server and comes back with the pull.
 */
import { readFile } from 'node:fs/promises'
import { describe, expect, it, vi } from 'vitest'
import { createPinia } from 'pinia'
import { openDatabase } from '@/db/database'
import { repos } from '@/db/repos'
import { usePolicyStore } from '@/stores/policy'
import { useRubricStore } from '@/stores/rubrics'
import { useRankingsStore } from '@/stores/rankings'
import { useCertificationStore } from '@/stores/certification'
import type { Rubric } from '@/domain/rubric-schema'
import { auth, ENGINES, signIn, STORES } from '../server/harness'
import { device, on, ORIGIN, useTabletServer, type Device } from '../helpers/tablet'
import { injectFetch } from '../helpers/inject-fetch'

async function draft(d: Device, storeCode: string, r: Rubric, name: string) {
  on(d)
  await repos().stores.put(STORES.find((s) => s.code === storeCode)!)
  return repos().evaluations.create({
    storeCode,
    period: '2026-Q4',
    reviewer: 'city',
    evaluatorName: name,
    rubricId: r.id,
    rubricVersion: r.version,
  })
}

describe.each(ENGINES)('a tablet on the server (%s)', (engine) => {
  const srv = useTabletServer(engine)

  it('holds what was made before the connection, uploads it on request, lists and keeps refusals', async () => {
    const a = device()
    on(a)
    // Made before the device was connected: one the account may make, one under someone
    // else's name, and one for a store outside the account's city.
    const mine = await draft(a, 'JSNJ002', srv.r, 'nj-inspector 名')
    const other = await draft(a, 'JSNJ001', srv.r, '张三')
    const outside = await draft(a, 'JSSZ001', srv.r, 'nj-inspector 名')
    const sync = on(a)
    const res = await sync.signIn(ORIGIN, 'nj-inspector', 'correct horse battery')
    expect(res).toEqual({ ok: true })
    await sync.syncNow()
    // Nothing went up without the user's say-so.
    expect(sync.held).toBe(3)
    const onServer = async () =>
      (
        await srv.h.db.query<{ id: string }>("SELECT id FROM records WHERE kind = 'evaluation'")
      ).map((x) => x.id)
    expect(await onServer()).toEqual([])

    await sync.uploadHeld()
    expect(sync.held).toBe(0)
    expect(await onServer()).toEqual([mine.id])
    const refused = Object.fromEntries(sync.refusals.map((x) => [x.id, x]))
    expect(Object.keys(refused).sort()).toEqual([other.id, outside.id].sort())
    expect(refused[other.id]!.code).toBe('evaluator-not-allowed')
    expect(refused[outside.id]!.code).toBe('outside-units')
    expect(refused[outside.id]!.message).toMatch(/JSSZ001/)
    expect(refused[outside.id]!.storeCode).toBe('JSSZ001')
    // Refused records stay on the device, and in the count of what is unsent.
    expect(await repos().evaluations.get(other.id)).toBeDefined()
    expect(await repos().evaluations.get(outside.id)).toBeDefined()
    expect(sync.waiting).toBe(2)
    expect((await sync.signOut()).ok).toBe(false)
    // A retry does not lose them either.
    await sync.retryProblems()
    expect(sync.refusals.length).toBe(2)
  })

  it('a draft edited on two devices: both copies shown, the chosen one is what the server keeps', async () => {
    const a = device()
    const b = device()
    const sa = on(a)
    expect((await sa.signIn(ORIGIN, 'js-inspector', 'correct horse battery')).ok).toBe(true)
    await sa.syncNow()
    const sb = on(b)
    expect((await sb.signIn(ORIGIN, 'js-inspector', 'correct horse battery')).ok).toBe(true)
    await sb.syncNow()

    const store = 'JSSZ001'
    on(a)
    const ev = await repos().evaluations.create({
      storeCode: store,
      period: '2026-Q4',
      reviewer: 'province',
      evaluatorName: 'js-inspector 名',
      rubricId: srv.r.id,
      rubricVersion: srv.r.version,
    })
    await sa.syncNow()
    // Its own change pulled back leaves an open form's editSeq alone (its next save goes on).
    expect((await repos().evaluations.get(ev.id))?.editSeq).toBe(ev.editSeq)
    await on(b).syncNow()
    expect((await repos().evaluations.get(ev.id))?.status).toBe('draft')

    // Both answer the same item differently; A syncs first.
    const item = srv.r.sections[0]!.items.find((i) => i.kind === 'yesno')!
    const answer = (value: boolean) => ({
      itemId: item.id,
      value,
      ...(value ? {} : { note: '现场未做到' }),
    })
    on(a)
    let cur = (await repos().evaluations.get(ev.id))!
    await repos().evaluations.saveAnswer(ev.id, item.id, answer(true), cur.editSeq)
    await on(a).syncNow()
    on(b)
    cur = (await repos().evaluations.get(ev.id))!
    await repos().evaluations.saveAnswer(ev.id, item.id, answer(false), cur.editSeq)
    await on(b).syncNow()

    // B is told: its copy beside the server's, nothing overwritten on either side.
    expect(sb.disputes).toHaveLength(1)
    const d = sb.disputes[0]!
    expect(d.code).toBe('conflict')
    expect(d.kind === 'evaluation' && d.local?.answers[item.id]?.value).toBe(false)
    expect(
      (d.server as { answers: Record<string, { value: unknown }> }).answers[item.id]?.value,
    ).toBe(true)
    const serverValue = async () => {
      const [row] = await srv.h.db.query<{ data: { answers: Record<string, { value: unknown }> } }>(
        "SELECT data FROM records WHERE kind = 'evaluation' AND id = $1",
        [ev.id],
      )
      return row?.data.answers[item.id]?.value
    }
    expect(await serverValue()).toBe(true)

    // B keeps its own: the server keeps B's copy, and A receives it.
    await sb.resolve(d.key, 'local')
    expect(sb.disputes).toHaveLength(0)
    expect(sb.waiting).toBe(0)
    expect(await serverValue()).toBe(false)
    await on(a).syncNow()
    expect((await repos().evaluations.get(ev.id))?.answers[item.id]?.value).toBe(false)

    // Again, and this time B takes the server's copy: nothing of B's is sent.
    on(a)
    cur = (await repos().evaluations.get(ev.id))!
    await repos().evaluations.saveAnswer(
      ev.id,
      item.id,
      { ...answer(true), note: 'A' },
      cur.editSeq,
    )
    await on(a).syncNow()
    on(b)
    cur = (await repos().evaluations.get(ev.id))!
    await repos().evaluations.saveAnswer(
      ev.id,
      item.id,
      { ...answer(false), note: 'B' },
      cur.editSeq,
    )
    await on(b).syncNow()
    expect(sb.disputes).toHaveLength(1)
    await sb.resolve(sb.disputes[0]!.key, 'server')
    expect(sb.waiting).toBe(0)
    expect(await serverValue()).toBe(true)
    on(b)
    expect((await repos().evaluations.get(ev.id))?.answers[item.id]?.note).toBe('A')
  })

  it("a connected certifier's step is the server's record, under the account's name", async () => {
    const d = device()
    const sync = on(d)
    expect((await sync.signIn(ORIGIN, 'nj-certifier', 'correct horse battery')).ok).toBe(true)
    await sync.syncNow()
    useRankingsStore().period = '2026-Q4'
    const cert = useCertificationStore()
    expect(cert.actor).toBe('nj-certifier 名')
    expect(sync.certifiesStep('city-certify', '江苏/南京')).toBe(true)
    expect(sync.certifiesStep('city-certify', '江苏/苏州')).toBe(false)
    expect(sync.certifiesStep('province-certify', '江苏')).toBe(false)
    expect(await cert.recordStep('city-certify', '江苏/南京')).toBe(true)
    const [row] = await srv.h.db.query<{ data: { actor: string; unit: string } }>(
      "SELECT data FROM records WHERE kind = 'certification'",
    )
    expect(row?.data).toMatchObject({ actor: 'nj-certifier 名', unit: '江苏/南京' })
    // The pull brought it into the device's log; nothing was written only locally.
    const log = await repos().certification.list('2026-Q4')
    expect(log.map((e) => [e.step, e.unit, e.actor])).toEqual([
      ['city-certify', '江苏/南京', 'nj-certifier 名'],
    ])
    expect(useRankingsStore().log).toHaveLength(1)
    // Outside the account's units the server says no, and the device shows why.
    expect(await cert.recordStep('city-certify', '江苏/苏州')).toBe(false)
    expect(cert.error).toMatch(/may not certify/)
    expect(await repos().certification.list('2026-Q4')).toHaveLength(1)
  })

  it("the province's policy and rubric versions come with the pull and stay in force offline", async () => {
    const admin = await signIn(srv.h, 'admin')
    const upload = async (text: string, unit: string) => {
      const res = await srv.h.app.inject({
        method: 'POST',
        url: '/api/rubrics',
        headers: auth(admin),
        payload: { text, unit },
      })
      expect(res.statusCode, res.body).toBeLessThan(300)
    }
    const base = await readFile('rubrics/policy.default.yaml', 'utf8')
    const policy = (id: string, excellent: number) =>
      base
        .replace(/^id: default$/m, `id: ${id}`)
        .replace(/^version: .*$/m, 'version: 1.0.0')
        .replace(/^ {2}excellent: 95$/m, `  excellent: ${excellent}`)
    await upload(policy('group-policy', 96), 'group')
    await upload(policy('js-policy', 97), 'group/江苏')
    await upload(policy('zj-policy', 93), 'group/浙江')
    // A new version of the Jiangsu variant, published by the server only.
    const variant = (await readFile('rubrics/ct-store-service-js@1.1.0.yaml', 'utf8')).replace(
      /^version: 1\.1\.0$/m,
      'version: 1.9.0',
    )
    await upload(variant, 'group/江苏')

    const d = device()
    const sync = on(d)
    await useRubricStore().load()
    expect((await sync.signIn(ORIGIN, 'nj-inspector', 'correct horse battery')).ok).toBe(true)
    await sync.syncNow()
    const inForce = usePolicyStore()
    expect(inForce.source).toEqual({ kind: 'server' })
    expect(inForce.policy.id).toBe('js-policy')
    expect(inForce.policy.grades.excellent).toBe(97)
    const rubrics = useRubricStore()
    expect(rubrics.get('ct-store-service-js', '1.9.0')).toBeDefined()
    // A new evaluation of a Jiangsu store picks the server's newest version.
    const picked = rubrics.pick(STORES[1]!)
    expect(picked.ok && picked.entry.rubric.version).toBe('1.9.0')

    // Offline, a new start of the app: read from the device, the same policy.
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('offline')))
    const again: Device = { db: openDatabase(d.db.name), pinia: createPinia() }
    const s2 = on(again)
    await s2.init()
    expect(usePolicyStore().policy.id).toBe('js-policy')
    await useRubricStore().load()
    expect(useRubricStore().get('ct-store-service-js', '1.9.0')).toBeDefined()
    await s2.syncNow()
    expect(s2.error?.kind).toBe('offline')
    expect(usePolicyStore().policy.id).toBe('js-policy')
    vi.stubGlobal('fetch', injectFetch(srv.h))
    again.db.close()
  })
})

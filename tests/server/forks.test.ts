/**
 * Revisions that cannot fork, on the server (issue 17 item 6): a second revision of a base the
 * server already has a revision of is refused as a `conflict` with reason `forked`, the other
 * revision coming back; nothing of it is written. Evaluations keep the device that made them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Rubric } from '../../src/domain/rubric-schema'
import {
  answersFor,
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

describe.each(ENGINES)('revision forks on %s', (engine) => {
  let h: Harness
  let r: Rubric
  let token = ''
  const push = (body: unknown) => syncPush(h, token, body)
  const stored = async (id: string) =>
    (
      await h.db.query<{ data: Record<string, unknown> }>(
        "SELECT data FROM records WHERE kind = 'evaluation' AND id = $1",
        [id],
      )
    )[0]?.data

  beforeAll(async () => {
    resetSeqs()
    h = await openHarness(engine)
    r = await rubric(h)
    token = await signIn(h, 'js-inspector')
  })
  afterAll(() => h.close())

  it('the second revision of one base from another device is refused as forked, the first comes back', async () => {
    const base = evaluation('JSSZ001', answersFor(r, 0.8, 21))
    expect((await push(pushBody('tablet-aaaa', [put(base)]))).json().results[0].outcome).toBe(
      'applied',
    )
    expect((await stored(base.id as string))?.originDevice).toBe('tablet-aaaa')
    const revA: Record<string, unknown> = {
      ...evaluation('JSSZ001', answersFor(r, 0.95, 22)),
      revision: 2,
      revisionOf: base.id,
      originDevice: 'tablet-aaaa',
    }
    const revB: Record<string, unknown> = {
      ...evaluation('JSSZ001', answersFor(r, 0.7, 23)),
      revision: 2,
      revisionOf: base.id,
      originDevice: 'tablet-bbbb',
    }
    expect((await push(pushBody('tablet-aaaa', [put(revA)]))).json().results[0].outcome).toBe(
      'applied',
    )
    const res = await push(pushBody('tablet-bbbb', [put(revB)]))
    expect(res.statusCode).toBe(200)
    const out = res.json().results[0]
    expect(out).toMatchObject({ outcome: 'conflict', reason: 'forked', version: null })
    expect(out.server.id).toBe(revA.id)
    expect(await stored(revB.id as string)).toBeUndefined()
    const revs = await h.db.query<{ id: string }>(
      "SELECT id FROM records WHERE kind = 'evaluation' AND data->>'revisionOf' = $1",
      [base.id],
    )
    expect(revs.map((x) => x.id)).toEqual([revA.id])
    expect((await stored(revA.id as string))?.originDevice).toBe('tablet-aaaa')
  })

  it('two revisions of one base in one push: the second is refused as forked', async () => {
    const base = evaluation('JSNJ001', answersFor(r, 0.8, 31))
    await push(pushBody('tablet-cccc', [put(base)]))
    const one: Record<string, unknown> = {
      ...evaluation('JSNJ001', answersFor(r, 0.9, 32)),
      revision: 2,
      revisionOf: base.id,
    }
    const two: Record<string, unknown> = {
      ...evaluation('JSNJ001', answersFor(r, 0.6, 33)),
      revision: 2,
      revisionOf: base.id,
    }
    const results = (await push(pushBody('tablet-cccc', [put(one), put(two)]))).json().results
    expect(results.map((x: { outcome: string }) => x.outcome)).toEqual(['applied', 'conflict'])
    expect(results[1].reason).toBe('forked')
    expect(results[1].server.id).toBe(one.id)
  })

  it('the origin device is kept from the first copy: a later push cannot rewrite it', async () => {
    const draft = evaluation('JSNJ002', answersFor(r, 0.8, 41), {
      status: 'draft',
      submittedAt: null,
    })
    const v = (await push(pushBody('tablet-dddd', [put(draft)]))).json().results[0].version
    const edited = { ...draft, answers: answersFor(r, 0.9, 42), originDevice: 'tablet-eeee' }
    expect((await push(pushBody('tablet-dddd', [put(edited, v)]))).json().results[0].outcome).toBe(
      'applied',
    )
    expect((await stored(draft.id as string))?.originDevice).toBe('tablet-dddd')
  })
})

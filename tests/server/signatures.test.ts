/**
 * Issue 13, "sync that loses nothing": an evaluation's visit signatures go up with the push, are
 * stored with the record and come down to another user of the unit; a malformed one (not base64,
 * too long, unknown role, no name) refuses the push with nothing written; a draft's signature
 * change is a change like any other, a submitted evaluation's signatures do not change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Rubric } from '../../src/domain/rubric-schema'
import { SIGNATURE_MAX_CHARS, type Evaluation } from '../../src/domain/records'
import { scoreEvaluation } from '../../src/domain/scoring'
import { writeBundleToBytes } from '../../src/io/bundle'
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
  STORES,
  syncPush,
  type Harness,
} from './harness'

const png =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='
const inspector = { name: '王伟', at: '2026-10-10T09:30:00.000Z', png }
const manager = { name: '李店长', at: '2026-10-10T09:31:00.000Z', png }

describe.each(ENGINES)('visit signatures on %s', (engine) => {
  let h: Harness
  let r: Rubric
  const tokens: Record<string, string> = {}
  const push = (who: string, body: unknown) => syncPush(h, tokens[who]!, body)
  const pulled = async (who: string, id: string) => {
    const res = await h.app.inject({
      url: '/api/sync/pull?cursor=0&limit=1000',
      headers: auth(tokens[who]!),
    })
    expect(res.statusCode).toBe(200)
    const c = (res.json().changes as { kind: string; id: string; data: Record<string, unknown> }[])
      .filter((x) => x.kind === 'evaluation' && x.id === id)
      .at(-1)
    return c?.data
  }
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
    for (const u of ['nj-inspector', 'js-inspector', 'js-viewer']) tokens[u] = await signIn(h, u)
  }, 120_000)
  afterAll(() => h.close())

  it('are stored with the record and pulled by another user of the unit', async () => {
    const e = evaluation('JSNJ002', answersFor(r, 0.85, 3), {
      signatures: { inspector: { ...inspector, name: '  王伟 ' }, manager },
    })
    const res = await push('nj-inspector', pushBody('sig-device-1', [put(e)]))
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().results[0].outcome).toBe('applied')
    // The name is kept trimmed, by the same rule as the tablet's setSignature.
    expect((await stored(e.id as string))?.signatures).toEqual({ inspector, manager })
    expect((await pulled('js-inspector', e.id as string))?.signatures).toEqual({
      inspector,
      manager,
    })
    expect((await pulled('js-viewer', e.id as string))?.signatures).toEqual({ inspector, manager })
  })

  it('a malformed signature refuses the push with nothing written', async () => {
    const bad = [
      { inspector: { ...inspector, png: 'not base64!' } },
      { inspector: { ...inspector, png: 'A'.repeat(SIGNATURE_MAX_CHARS + 4) } },
      { witness: inspector },
      { manager: { ...manager, name: '   ' } },
      { manager: { ...manager, name: '名'.repeat(101) } },
      { manager: { ...manager, at: 'yesterday' } },
      { manager: { ...manager, extra: 1 } },
    ]
    for (const [i, signatures] of bad.entries()) {
      const before = await snapshot(h)
      // A good evaluation beside the bad one: the whole batch is refused.
      const good = evaluation('JSNJ002', answersFor(r, 0.8, 4))
      const e = evaluation('JSNJ002', answersFor(r, 0.85, 3), { signatures })
      const res = await push('nj-inspector', pushBody(`sig-bad-${i}`, [put(good), put(e)]))
      expect(res.statusCode, JSON.stringify(signatures).slice(0, 80)).toBe(400)
      expect(await snapshot(h)).toBe(before)
      expect(await stored(good.id as string)).toBeUndefined()
    }
  })

  it('a draft’s signature change is a change; a submitted one’s signatures are locked', async () => {
    const draft = evaluation('JSNJ002', answersFor(r, 0.85, 5), {
      status: 'draft',
      submittedAt: null,
    })
    let res = await push('nj-inspector', pushBody('sig-device-2', [put(draft)]))
    expect(res.json().results[0].outcome).toBe('applied')
    const v1 = res.json().results[0].version as number
    // Signed afterwards: not "same", applied on the version the device last saw.
    res = await push(
      'nj-inspector',
      pushBody('sig-device-2', [put({ ...draft, signatures: { manager } }, v1)]),
    )
    expect(res.json().results[0].outcome).toBe('applied')
    expect((await stored(draft.id as string))?.signatures).toEqual({ manager })
    const v2 = res.json().results[0].version as number
    // Removed again: the stored copy has none.
    res = await push('nj-inspector', pushBody('sig-device-2', [put(draft, v2)]))
    expect(res.json().results[0].outcome).toBe('applied')
    expect((await stored(draft.id as string))?.signatures).toBeUndefined()
    const v3 = res.json().results[0].version as number

    // Submitted with both signatures; a later push with another signature is refused as locked.
    const submitted = {
      ...draft,
      status: 'submitted',
      submittedAt: '2026-10-10T10:00:00.000Z',
      signatures: { inspector, manager },
    }
    res = await push('nj-inspector', pushBody('sig-device-2', [put(submitted, v3)]))
    expect(res.json().results[0].outcome).toBe('applied')
    const v4 = res.json().results[0].version as number
    const before = await snapshot(h)
    res = await push(
      'nj-inspector',
      pushBody('sig-device-2', [
        put({ ...submitted, signatures: { inspector: { ...inspector, name: '别人' } } }, v4),
      ]),
    )
    expect(res.json().results[0].outcome).toBe('locked')
    expect((await stored(draft.id as string))?.signatures).toEqual({ inspector, manager })
    // Only the push's own record was written (its answer is kept for a replay).
    expect(JSON.parse(await snapshot(h)).records).toBe(JSON.parse(before).records)
  })

  it('a bundle upload stores them too, and one the bundle schema lets by is refused by the rule', async () => {
    const inBundle = (e: Record<string, unknown>) => {
      const sc = scoreEvaluation(r, e.answers as Evaluation['answers'])
      return {
        ...(e as unknown as Evaluation),
        reviewer: 'city',
        evaluatorName: 'nj-inspector 名',
        updatedAt: '2026-10-10T10:00:00.000Z',
        result: sc.ok ? sc.score : null,
        editSeq: 1,
      } as Evaluation
    }
    const upload = async (evaluations: Evaluation[]) =>
      h.app.inject({
        method: 'POST',
        url: '/api/bundles',
        headers: { ...auth(tokens['nj-inspector']!), 'content-type': 'application/zip' },
        payload: Buffer.from(
          await writeBundleToBytes(
            {
              stores: STORES.slice(0, 2),
              rubrics: [],
              evaluations,
              certification: [],
              actions: [],
              photoIds: [],
              readPhoto: async () => undefined,
            },
            {
              kind: 'exchange',
              exportedAt: '2026-12-02T08:00:00.000Z',
              deviceId: 'tablet-offline',
              scope: { province: '江苏', period: '2026-Q4' },
            },
          ),
        ),
      })
    const good = inBundle(evaluation('JSNJ001', answersFor(r, 0.8, 7), { signatures: { manager } }))
    const ok = await upload([good])
    expect(ok.statusCode, ok.body).toBe(200)
    expect((await stored(good.id))?.signatures).toEqual({ manager })

    const before = await snapshot(h)
    const nameless = inBundle(
      evaluation('JSNJ001', answersFor(r, 0.8, 8), {
        signatures: { manager: { ...manager, name: ' ' } },
      }),
    )
    const bad = await upload([nameless])
    expect([bad.statusCode, bad.json().error]).toEqual([422, 'bad-signature'])
    expect(await snapshot(h)).toBe(before)
  })
})

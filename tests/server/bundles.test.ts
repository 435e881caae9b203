import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CertificationEntry, Evaluation } from '../../src/domain/records'
import type { Rubric } from '../../src/domain/rubric-schema'
import { scoreEvaluation } from '../../src/domain/scoring'
import { writeBundleToBytes, type BundleInfo } from '../../src/io/bundle'
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

const INFO: BundleInfo = {
  kind: 'exchange',
  exportedAt: '2026-12-02T08:00:00.000Z',
  deviceId: 'tablet-offline',
  scope: { province: '江苏', period: '2026-Q4' },
}

function asBundleRecord(
  e: Record<string, unknown>,
  r: Rubric,
  over: Partial<Evaluation> = {},
): Evaluation {
  const s = scoreEvaluation(r, e.answers as Evaluation['answers'])
  return {
    ...(e as unknown as Evaluation),
    reviewer: 'city',
    evaluatorName: 'nj-inspector 名',
    updatedAt: '2026-10-10T10:00:00.000Z',
    submittedAt: '2026-10-10T10:00:00.000Z',
    result: s.ok ? s.score : null,
    editSeq: 3,
    ...over,
  }
}

async function bundle(opts: {
  evaluations?: Evaluation[]
  certification?: CertificationEntry[]
  rubrics?: Rubric[]
}) {
  return writeBundleToBytes(
    {
      stores: STORES.slice(0, 2),
      rubrics: opts.rubrics ?? [],
      evaluations: opts.evaluations ?? [],
      certification: opts.certification ?? [],
      actions: [],
      photoIds: [],
      readPhoto: async () => undefined,
    },
    INFO,
  )
}

describe.each(ENGINES)('bundles uploaded to the server on %s', (engine) => {
  let h: Harness
  let r: Rubric
  const t: Record<string, string> = {}
  const upload = (who: string, bytes: Uint8Array) =>
    h.app.inject({
      method: 'POST',
      url: '/api/bundles',
      headers: { ...auth(t[who]!), 'content-type': 'application/zip' },
      payload: Buffer.from(bytes),
    })

  beforeAll(async () => {
    resetSeqs()
    h = await openHarness(engine)
    r = await rubric(h)
    for (const u of ['nj-inspector', 'js-inspector', 'nj-manager']) t[u] = await signIn(h, u)
  })
  afterAll(() => h.close())

  it('a genuine bundle goes through the push path once, and gives the rows a live push gives', async () => {
    const e = asBundleRecord(evaluation('JSNJ001', answersFor(r, 0.8, 1)), r)
    const bytes = await bundle({ evaluations: [e] })
    const first = await upload('nj-inspector', bytes)
    expect(first.statusCode).toBe(200)
    expect(first.json().results[0]).toMatchObject({ id: e.id, outcome: 'applied' })
    const before = await snapshot(h)
    const again = await upload('nj-inspector', bytes)
    expect(again.json().replayed).toBe(true)
    expect(await snapshot(h)).toBe(before)

    const live = evaluation('JSNJ002', answersFor(r, 0.8, 1))
    await syncPush(h, t['nj-inspector']!, pushBody('live-tab-1', [put(live)]))
    const rows = await h.db.query<{ id: string; data: Record<string, unknown> }>(
      "SELECT id, data FROM records WHERE kind = 'evaluation' AND id = ANY($1)",
      [[e.id, live.id]],
    )
    const strip = (d: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(d).filter(
          ([k]) => !['id', 'storeCode', 'updatedAt', 'originDevice'].includes(k),
        ),
      )
    const [a, b] = [rows.find((x) => x.id === e.id)!, rows.find((x) => x.id === live.id)!]
    expect(strip(a.data)).toEqual(strip(b.data))
    // Each made by its own device: the file's sender, the pushing tablet.
    expect([a.data.originDevice, b.data.originDevice]).toEqual(['tablet-offline', 'live-tab-1'])
  })

  it('refuses each hostile bundle and leaves the database unchanged', async () => {
    const mine = evaluation('JSNJ001', answersFor(r, 0.6, 2))
    await syncPush(h, t['js-inspector']!, pushBody('js-tab-1', [put(mine)]))
    const before = await snapshot(h)

    // 69 edited to 100 优秀: the stored score is not believed.
    const forged = asBundleRecord(evaluation('JSNJ001', answersFor(r, 0.5, 3)), r)
    forged.result = { ...(forged.result as object), final: 10000, grade: 'excellent' }
    const f = await upload('nj-inspector', await bundle({ evaluations: [forged] }))
    expect([f.statusCode, f.json().error]).toEqual([422, 'score-mismatch'])

    // A self-assessment edited to reviewer: group.
    const self = asBundleRecord(evaluation('JSNJ001', answersFor(r, 0.7, 4)), r, {
      reviewer: 'group',
      evaluatorName: 'nj-manager 名',
    })
    const s = await upload('nj-manager', await bundle({ evaluations: [self] }))
    expect([s.statusCode, s.json().error]).toEqual([403, 'reviewer-not-allowed'])

    // Another inspector's evaluation "updated" by a higher revision under the same id.
    const over = asBundleRecord({ ...mine, answers: answersFor(r, 0.99, 5) }, r, { revision: 2 })
    const o = await upload('nj-inspector', await bundle({ evaluations: [over] }))
    expect([o.statusCode, o.json().error]).toEqual([403, 'evaluator-not-allowed'])
    // Even with the right evaluator's name the revision under the same id is refused.
    const named = asBundleRecord({ ...mine, answers: answersFor(r, 0.99, 5) }, r, {
      revision: 2,
      evaluatorName: 'js-inspector 名',
    })
    const o2 = await upload('nj-inspector', await bundle({ evaluations: [named] }))
    expect(o2.statusCode).toBe(409)

    // An unsigned certification override to 优秀.
    const override: CertificationEntry = {
      id: 'forged-override-1',
      kind: 'override',
      period: '2026-Q4',
      unit: '江苏',
      step: 'override',
      actor: '某人',
      at: '2026-12-01T00:00:00.000Z',
      storeCode: 'JSNJ001',
      payload: { grade: 'excellent', reason: '' },
    }
    const c = await upload('nj-inspector', await bundle({ certification: [override] }))
    expect([c.statusCode, c.json().error]).toEqual([403, 'certification-online-only'])

    // A carried rubric whose weights add up to 150, under the shipped id and version or a new one.
    const heavy = {
      ...r,
      sections: r.sections.map((x, i) => (i === 0 ? { ...x, weight: x.weight + 50 } : x)),
    }
    const b1 = await upload('nj-inspector', await bundle({ rubrics: [heavy] }))
    expect(b1.statusCode).toBe(422)
    const b2 = await upload(
      'nj-inspector',
      await bundle({ rubrics: [{ ...heavy, version: '7.0.0' }] }),
    )
    // Refused by the bundle reader already: carried rubrics get the rubric files' cross-field checks.
    expect([b2.statusCode, b2.json().error]).toEqual([422, 'bundle-bad-record'])

    // Not a bundle at all.
    const junk = await upload('nj-inspector', new TextEncoder().encode('PK\u0003\u0004 not really'))
    expect(junk.statusCode).toBe(422)

    expect(await snapshot(h)).toBe(before)
  })
})

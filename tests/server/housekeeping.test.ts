/**
 * The server's upkeep (src/server/housekeeping.ts): old tombstones are purged and the sync
 * horizon moves past them, recent ones stay; failed sign-ins older than the rate-limit window
 * are forgotten, recent ones still count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { housekeep } from '../../src/server/housekeeping'
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
  TEST_AUTH,
  type Harness,
} from './harness'

describe.each(ENGINES)('housekeeping on %s', (engine) => {
  let h: Harness
  let token: string
  beforeAll(async () => {
    resetSeqs()
    h = await openHarness(engine)
    token = await signIn(h, 'nj-inspector')
  })
  afterAll(() => h.close())

  const push = async (changes: Parameters<typeof pushBody>[1]) => {
    const res = await syncPush(h, token, pushBody('tab-house-1', changes))
    expect(res.statusCode).toBe(200)
    return res.json().results as { outcome: string; version: number }[]
  }

  it('purges tombstones older than the cutoff and forgets old failed sign-ins, keeping recent ones', async () => {
    const r = await rubric(h)
    const draft = { status: 'draft', submittedAt: null }
    const old = evaluation('JSNJ001', answersFor(r, 0.9, 1), draft)
    const recent = evaluation('JSNJ001', answersFor(r, 0.8, 2), draft)
    const kept = evaluation('JSNJ001', answersFor(r, 0.7, 3))
    const made = await push([put(old), put(recent), put(kept)])
    expect(made.map((m) => m.outcome)).toEqual(['applied', 'applied', 'applied'])
    const gone = await push([
      { kind: 'evaluation', op: 'delete', id: old.id as string, baseVersion: made[0]!.version },
      { kind: 'evaluation', op: 'delete', id: recent.id as string, baseVersion: made[1]!.version },
    ])
    expect(gone.map((g) => g.outcome)).toEqual(['applied', 'applied'])
    // The first deletion happened 100 days ago.
    await h.db.query(
      `UPDATE records SET updated_at = now() - interval '100 days' WHERE kind = 'evaluation' AND id = $1`,
      [old.id],
    )
    await h.db.query(
      `INSERT INTO login_failures (key, at) VALUES ('user:x', now() - interval '2 hours'), ('user:y', now())`,
    )

    const report = await housekeep(h.db, TEST_AUTH, { tombstoneDays: 90 })
    expect(report).toEqual({ tombstones: 1, loginFailures: 1 })
    const rows = await h.db.query<{ id: string; deleted: boolean }>(
      `SELECT id, deleted FROM records WHERE kind = 'evaluation' AND id = ANY($1) ORDER BY version`,
      [[old.id, recent.id, kept.id]],
    )
    expect(rows).toEqual([
      { id: kept.id, deleted: false },
      { id: recent.id, deleted: true },
    ])
    const [clock] = await h.db.query<{ horizon: string }>('SELECT horizon::text FROM sync_clock')
    expect(Number(clock!.horizon)).toBeGreaterThanOrEqual(gone[0]!.version)
    const failures = await h.db.query<{ key: string }>('SELECT key FROM login_failures')
    expect(failures.map((f) => f.key)).toContain('user:y')
    expect(failures.map((f) => f.key)).not.toContain('user:x')
    // Nothing left to do: a second run removes nothing.
    expect(await housekeep(h.db, TEST_AUTH, { tombstoneDays: 90 })).toEqual({
      tombstones: 0,
      loginFailures: 0,
    })
  })
})

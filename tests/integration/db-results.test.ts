/**
 * The results table (derived score summaries) stays in step with the evaluations through every
 * write that locks, sends back, loads, imports or restores them.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type AppDatabase } from '../../src/db/database'
import { createBackupRepo } from '../../src/db/backup.repo'
import { loadDemo } from '../../src/db/demo'
import { createExchangeRepo } from '../../src/db/exchange.repo'
import { createRankingsRepo } from '../../src/db/rankings.repo'
import { createRepos } from '../../src/db/repos'
import { summaryOf, syncResults, type ResultRow } from '../../src/db/results'
import { DEFAULT_POLICY } from '../../src/domain/policy'
import { storeResults } from '../../src/domain/store-result'
import type { Answers } from '../../src/domain/types'
import { bytesSource, concat } from '../../src/io/bundle'
import { lookupTestRubric, TEST_RUBRIC } from '../fixtures/exchange'
import { smallRubric, steppingClock, store, uniqueName } from '../helpers/db-fixtures'

const opened: AppDatabase[] = []
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close()
    await db.delete()
  }
})
function fresh(): AppDatabase {
  const db = openDatabase(uniqueName('results'))
  opened.push(db)
  return db
}

const byId = (a: ResultRow, b: ResultRow) => a.evaluationId.localeCompare(b.evaluationId)

/** What the results table must hold: the summary of every locked evaluation, nothing else. */
async function expectInStep(db: AppDatabase): Promise<ResultRow[]> {
  const expected = (await db.evaluations.toArray())
    .map(summaryOf)
    .filter((s): s is ResultRow => s !== null)
    .sort(byId)
  const actual = (await db.results.toArray()).sort(byId)
  expect(actual).toEqual(expected)
  return actual
}

const complete: Answers = {
  greet: { itemId: 'greet', value: false, note: '无人问候' },
  wait: { itemId: 'wait', value: 30 },
  clean: { itemId: 'clean', na: true },
}

describe('results table', () => {
  it('submit writes a summary; a submitted revision becomes the one that counts; send-back holds the store out', async () => {
    const db = fresh()
    const repos = createRepos(db, steppingClock())
    await db.stores.put(store('JSNJ001'))
    const ev = await repos.evaluations.create({
      storeCode: 'JSNJ001',
      period: '2026-Q4',
      reviewer: 'city',
      evaluatorName: '王伟',
      rubricId: smallRubric.id,
      rubricVersion: smallRubric.version,
    })
    let seq = 0
    for (const a of Object.values(complete))
      seq = (await repos.evaluations.saveAnswer(ev.id, a.itemId, a, seq)).editSeq
    expect(await db.results.count()).toBe(0) // a draft has no summary
    const out = await repos.evaluations.submit(ev.id, smallRubric, seq)
    if (!out.ok) throw new Error('fixture should submit')
    const [first] = await expectInStep(db)
    expect(first).toMatchObject({
      evaluationId: ev.id,
      status: 'submitted',
      storeCode: 'JSNJ001',
      period: '2026-Q4',
      score: { final: out.evaluation.result!.final, rubricId: 'small' },
    })
    expect(first).not.toHaveProperty('answers')

    // Reopen: the draft revision adds nothing; submitting it with another answer adds its
    // summary and the rankings now count the revision, not the first one.
    const rev = await repos.evaluations.reopen(ev.id)
    expect(await db.results.count()).toBe(1)
    const s1 = await repos.evaluations.saveAnswer(
      rev.id,
      'greet',
      { itemId: 'greet', value: true },
      0,
    )
    const out2 = await repos.evaluations.submit(rev.id, smallRubric, s1.editSeq)
    if (!out2.ok) throw new Error('revision should submit')
    expect(out2.evaluation.result!.final).not.toBe(out.evaluation.result!.final)
    expect((await expectInStep(db)).map((r) => r.evaluationId).sort()).toEqual(
      [ev.id, rev.id].sort(),
    )
    const rankings = createRankingsRepo(db)
    let src = await rankings.load('2026-Q4')
    expect(src.records).toHaveLength(2)
    const [result] = storeResults(src.stores, src.records, DEFAULT_POLICY)
    expect(result).toMatchObject({
      evaluationId: rev.id,
      final: out2.evaluation.result!.final,
    })

    // Send-back: the summary stays, marked returned, and the store is pending.
    await repos.evaluations.sendBack(rev.id, '照片不清', {
      actor: '张敏',
      unit: '江苏',
      step: 'province-review',
    })
    const rows = await expectInStep(db)
    expect(rows.find((r) => r.evaluationId === rev.id)).toMatchObject({
      status: 'returned',
      returnedReason: '照片不清',
    })
    src = await rankings.load('2026-Q4')
    expect(src.pending.get('JSNJ001')).toBe('照片不清')
    expect(src.records).toEqual([])
  })

  it('refuses to sync outside a read-write transaction over results', async () => {
    const db = fresh()
    await expect(syncResults(db, [])).rejects.toThrow(/transaction/)
    await expect(db.transaction('rw', db.evaluations, () => syncResults(db, []))).rejects.toThrow(
      /transaction/,
    )
  })

  it('keeps one summary per evaluation when a synced row changes period or becomes a draft', async () => {
    // The key is [period, evaluationId]: a put under a new period must not leave the old row.
    const db = fresh()
    await loadDemo(db, TEST_RUBRIC, { seed: 3 })
    const [a, b] = await db.evaluations.where('status').equals('submitted').limit(2).toArray()
    if (!a || !b) throw new Error('the demo should have two submitted evaluations')
    const moved = { ...a, period: '2030-Q1' }
    const draft = { ...b, status: 'draft' as const }
    await db.transaction('rw', db.evaluations, db.results, async () => {
      await db.evaluations.bulkPut([moved, draft])
      await syncResults(db, [moved, draft])
    })
    await expectInStep(db)
    expect(await db.results.where('evaluationId').equals(a.id).toArray()).toEqual([
      summaryOf(moved),
    ])
    expect(await db.results.where('evaluationId').equals(b.id).count()).toBe(0)
    const inNewPeriod = await createRankingsRepo(db).load('2030-Q1')
    expect(inNewPeriod.records.map((r) => r.id)).toEqual([a.id])
  })

  it('demo load writes the summaries, and loading again keeps them in step', async () => {
    const db = fresh()
    await loadDemo(db, TEST_RUBRIC, { seed: 3 })
    const rows = await expectInStep(db)
    const locked = await db.evaluations.where('status').anyOf('submitted', 'returned').count()
    expect(rows).toHaveLength(locked)
    expect(rows.length).toBeGreaterThan(20)
    expect(rows.every((r) => r.score !== null)).toBe(true)
    await loadDemo(db, TEST_RUBRIC, { seed: 3 })
    expect(await expectInStep(db)).toEqual(rows)
  })

  it('exchange apply rebuilds the summaries of what it writes, including a later send-back', async () => {
    const clock = () => new Date('2026-12-20T09:00:00Z')
    const a = fresh()
    await loadDemo(a, TEST_RUBRIC, { seed: 5 })
    const exportFrom = async () => {
      const chunks: Uint8Array[] = []
      await createExchangeRepo(a, clock).exportBundle({}, lookupTestRubric, (c) => {
        chunks.push(c)
      })
      return concat(chunks)
    }
    const b = fresh()
    const repoB = createExchangeRepo(b, clock)
    const importInto = async (bytes: Uint8Array) => {
      const r = await repoB.open(bytesSource(bytes), lookupTestRubric)
      if (!r.ok) throw new Error(JSON.stringify(r.error))
      await repoB.apply(r.bundle)
    }
    await importInto(await exportFrom())
    expect(await expectInStep(b)).toEqual(await expectInStep(a))
    expect(await b.results.count()).toBeGreaterThan(0)

    // A sends one back; importing again turns B's summary into a returned one.
    const target = (await a.results.filter((r) => r.status === 'submitted').first())!
    await createRepos(a, clock).evaluations.sendBack(target.evaluationId, '复查', {
      actor: '张敏',
      unit: '江苏',
      step: 'province-review',
    })
    await importInto(await exportFrom())
    const onB = await expectInStep(b)
    expect(onB.find((r) => r.evaluationId === target.evaluationId)).toMatchObject({
      status: 'returned',
      returnedReason: '复查',
    })
  })

  it('backup carries no results; restore rebuilds them from the evaluations', async () => {
    const clock = () => new Date('2026-12-20T09:00:00Z')
    const a = fresh()
    await loadDemo(a, TEST_RUBRIC, { seed: 9 })
    const chunks: Uint8Array[] = []
    const manifest = await createBackupRepo(a, clock).backup(lookupTestRubric, (c) => {
      chunks.push(c)
    })
    expect(JSON.stringify(manifest)).not.toMatch(/"results"/)
    const b = fresh()
    const repoB = createBackupRepo(b, clock)
    const r = await repoB.open(bytesSource(concat(chunks)), lookupTestRubric)
    if (!r.ok) throw new Error(JSON.stringify(r.error))
    await repoB.restore(r.bundle)
    const rows = await expectInStep(b)
    expect(rows).toEqual(await expectInStep(a))
    expect(rows.length).toBeGreaterThan(20)
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type AppDatabase, type EvaluationRow } from '@/db/database'
import { createEvaluationsRepo } from '@/db/evaluations.repo'
import { createRankingsRepo } from '@/db/rankings.repo'
import { syncResults } from '@/db/results'
import type { Store } from '@/domain/types'

let db: AppDatabase
afterEach(async () => {
  db.close()
  await db.delete()
})

const store: Store = {
  code: 'JS1',
  name: '南京新街口',
  province: '江苏',
  city: '南京',
  level: 1,
  type: 'self',
}
function row(id: string, over: Partial<EvaluationRow>): EvaluationRow {
  return {
    id,
    storeCode: 'JS1',
    period: '2026-Q4',
    reviewer: 'city',
    evaluatorName: '李娜',
    rubricId: 'r',
    rubricVersion: '1.0.0',
    status: 'submitted',
    answers: {},
    revision: 1,
    revisionOf: null,
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    submittedAt: '2026-11-01T01:00:00.000Z',
    result: {
      final: 9300,
      base: 9300,
      bonus: 0,
      deductions: 0,
      redLines: [],
      sections: [{ sectionId: 's1', score: 900, effectiveWeight: 1000, applicable: true }],
    } as never,
    editSeq: 1,
    ...over,
  }
}

/** Writes evaluations as the repositories do: with their results rows, in one transaction. */
function put(rows: EvaluationRow[]): Promise<void> {
  return db.transaction('rw', db.evaluations, db.results, async () => {
    await db.evaluations.bulkPut(rows)
    await syncResults(db, rows)
  })
}

describe('rankings repository', () => {
  it('reads the period as engine records and holds a sent-back store out until a newer evaluation is submitted', async () => {
    db = openDatabase(`rank-${crypto.randomUUID()}`)
    await db.stores.put(store)
    await put([
      row('self1', {
        reviewer: 'self',
        evaluatorName: '厅经理',
        result: { ...row('x', {}).result!, final: 9800 },
      }),
      row('city1', {}),
      row('draft', { status: 'draft', submittedAt: null, result: null }),
      row('other', { period: '2026-Q3' }),
    ])
    const repo = createRankingsRepo(db)
    expect(await repo.periods()).toEqual(['2026-Q4', '2026-Q3'])
    let src = await repo.load('2026-Q4')
    expect(src.records.map((r) => [r.id, r.reviewer, r.final])).toEqual(
      [
        ['city1', 'city', 9300],
        ['self1', 'self', 9800],
      ].sort(),
    )
    expect(src.evaluatorById.get('city1')).toBe('李娜')
    expect(src.sectionsById.get('city1')).toEqual({ ids: ['s1'], scores: [900], weights: [1000] })
    expect(src.pending.size).toBe(0)

    await createEvaluationsRepo(db, () => new Date('2026-12-01T00:00:00Z')).sendBack(
      'city1',
      '照片与现场不符',
      { actor: '王伟', unit: '江苏', step: 'province-review' },
    )
    src = await repo.load('2026-Q4')
    expect(src.pending.get('JS1')).toBe('照片与现场不符')
    expect(src.records).toEqual([]) // not even the self-assessment counts while pending
    expect((await db.certification.toArray())[0]).toMatchObject({
      kind: 'sendback',
      storeCode: 'JS1',
      actor: '王伟',
    })

    await put([
      row('city2', { submittedAt: '2026-12-05T00:00:00.000Z', revision: 2, revisionOf: 'city1' }),
    ])
    src = await repo.load('2026-Q4')
    expect(src.pending.size).toBe(0)
    expect(src.records.map((r) => r.id).sort()).toEqual(['city2', 'self1'])
    expect((await repo.allRecords()).map((r) => r.id).sort()).toEqual(['city2', 'other', 'self1'])
  })
})

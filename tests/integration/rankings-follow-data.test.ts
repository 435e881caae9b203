import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, setDatabase, type AppDatabase, type EvaluationRow } from '@/db/database'
import { onDataChanged } from '@/db/data-changed'
import { syncResults } from '@/db/results'
import type { Store } from '@/domain/types'
import { useRankingsStore } from '@/stores/rankings'

/** Issue 17 item 3: the rankings store re-reads after any committed write, without a reload. */
let db: AppDatabase
beforeEach(() => {
  setActivePinia(createPinia())
  db = openDatabase(`follow-${crypto.randomUUID()}`)
  setDatabase(db)
})
afterEach(async () => {
  setDatabase(null)
  db.close()
  await db.delete()
})

const store = (code: string): Store => ({
  code,
  name: `厅${code}`,
  province: '江苏',
  city: '南京',
  level: 1,
  type: 'self',
})
function evaluation(id: string, code: string, final: number, over: Partial<EvaluationRow> = {}) {
  return {
    id,
    storeCode: code,
    period: '2026-Q4',
    reviewer: 'self',
    evaluatorName: '厅经理',
    rubricId: 'r',
    rubricVersion: '1.0.0',
    status: 'submitted',
    answers: {},
    revision: 1,
    revisionOf: null,
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
    submittedAt: '2026-11-01T01:00:00.000Z',
    result: { final, base: final, bonus: 0, deductions: 0, redLines: [], sections: [] } as never,
    editSeq: 1,
    ...over,
  } as EvaluationRow
}
const put = (rows: EvaluationRow[]) =>
  db.transaction('rw', db.evaluations, db.results, async () => {
    await db.evaluations.bulkPut(rows)
    await syncResults(db, rows)
  })
const scoreOf = (code: string) =>
  useRankingsStore().rows.find((r) => r.code === code)?.final ?? null

describe('screens follow the data', () => {
  it('a city inspection submitted after the rankings were read shows without a reload', async () => {
    await db.stores.bulkPut([store('JSNJ012'), store('JSNJ013')])
    await put([evaluation('self', 'JSNJ012', 9265), evaluation('other', 'JSNJ013', 8800)])
    const rankings = useRankingsStore()
    await rankings.load()
    expect(scoreOf('JSNJ012')).toBe(9265)

    await put([
      evaluation('city', 'JSNJ012', 9200, {
        reviewer: 'city',
        submittedAt: '2026-11-20T01:00:00.000Z',
      }),
    ])
    await expect.poll(() => scoreOf('JSNJ012')).toBe(9200)
  })

  it('a certification entry, a new store and a deleted period each refresh it', async () => {
    await db.stores.put(store('A'))
    await put([evaluation('a', 'A', 9100)])
    const rankings = useRankingsStore()
    await rankings.load()
    expect(rankings.log).toHaveLength(0)
    await db.certification.add({
      id: 'c1',
      kind: 'step',
      period: '2026-Q4',
      unit: '江苏/南京',
      step: 'city-certify',
      actor: '周敏',
      at: '2026-11-21T00:00:00.000Z',
      payload: {},
    } as never)
    await expect.poll(() => rankings.log.length).toBe(1)
    await db.stores.put(store('B'))
    await expect.poll(() => rankings.stores.length).toBe(2)
    await db.transaction('rw', db.evaluations, db.results, async () => {
      await db.evaluations.clear()
      await db.results.clear()
    })
    await expect.poll(() => rankings.period).toBe(null)
  })

  it('coalesces a burst into one call and ignores tables it does not watch', async () => {
    let calls = 0
    const off = onDataChanged(
      () => db.name,
      ['stores'],
      () => calls++,
      30,
    )
    await db.open()
    for (let i = 0; i < 5; i++) await db.stores.put(store(`S${i}`))
    await expect.poll(() => calls).toBe(1)
    await db.meta.put({ key: 'x', value: 1 } as never)
    await new Promise((r) => setTimeout(r, 80))
    expect(calls).toBe(1)
    // An aborted transaction is no news.
    await db
      .transaction('rw', db.stores, async () => {
        await db.stores.put(store('T'))
        throw new Error('abort')
      })
      .catch(() => undefined)
    await new Promise((r) => setTimeout(r, 80))
    expect(calls).toBe(1)
    off()
  })
})

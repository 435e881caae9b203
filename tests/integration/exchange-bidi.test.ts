/**
 * Issue 15: text inside a bundle is cleaned on import as typed text is. A device whose rows hold
 * bidi overrides, zero-width and control characters (written past the app, as a forged file
 * would carry them) exports a bundle; the receiving device stores the names, notes, evaluator
 * and action texts without them. Each expected value is spelled out.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type AppDatabase } from '../../src/db/database'
import { createExchangeRepo } from '../../src/db/exchange.repo'
import { concat, bytesSource } from '../../src/io/bundle'
import { demoRows, lookupTestRubric } from '../fixtures/exchange'

const opened: AppDatabase[] = []
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close()
    await db.delete()
  }
})
const clock = () => new Date('2026-12-10T09:00:00Z')

describe('bundle text is cleaned on import', () => {
  it('store names, notes, evaluator names and action texts arrive without bidi or invisible characters', async () => {
    const rows = demoRows()
    const store = rows.stores[0]!
    const evaluation = rows.evaluations.find((e) => e.storeCode === store.code)!
    const itemId = Object.keys(evaluation.answers)[0]!
    const action = rows.actions[0]!
    store.name = '\u202Eevil.exe\u202C营业厅'
    store.address = '中山路\u200B1号\u0007'
    evaluation.evaluatorName = '张\u2066三\u2069'
    evaluation.answers[itemId] = {
      ...evaluation.answers[itemId]!,
      note: '第一行\u202E\n第二行\u200F',
    }
    action.what = '整改\u202D宣传栏\u202C'
    action.who = '\uFEFF李四'
    action.evidenceNote = '已\u2067完成'

    const a = openDatabase(`bidi-a-${Date.now()}`)
    const b = openDatabase(`bidi-b-${Date.now()}`)
    opened.push(a, b)
    await a.transaction('rw', [a.stores, a.evaluations, a.photos, a.actions], async () => {
      await a.stores.bulkPut(rows.stores)
      await a.evaluations.bulkPut(rows.evaluations)
      await a.photos.bulkPut(rows.photos)
      await a.actions.bulkPut(rows.actions)
    })
    const chunks: Uint8Array[] = []
    await createExchangeRepo(a, clock).exportBundle(
      {},
      lookupTestRubric,
      (c) => void chunks.push(c),
    )

    const repoB = createExchangeRepo(b, clock)
    const opened1 = await repoB.open(bytesSource(concat(chunks)), lookupTestRubric)
    if (!opened1.ok) throw new Error(JSON.stringify(opened1.error))
    await repoB.apply(opened1.bundle)

    const s = (await b.stores.get(store.code))!
    expect(s.name).toBe('evil.exe营业厅')
    expect(s.address).toBe('中山路1号')
    const e = (await b.evaluations.get(evaluation.id))!
    expect(e.evaluatorName).toBe('张三')
    expect(e.answers[itemId]!.note).toBe('第一行\n第二行')
    const act = (await b.actions.get(action.id))!
    expect([act.what, act.who, act.evidenceNote]).toEqual(['整改宣传栏', '李四', '已完成'])
    // Untouched rows are as sent.
    const other = rows.stores[1]!
    expect(await b.stores.get(other.code)).toEqual(other)
  })
})

/**
 * One policy source (issue 10 step 4): the score stored at submit and the live score use the
 * policy in force (the policy store), not the engine's default.
 */
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, setDatabase, type AppDatabase } from '../../src/db/database'
import { DEFAULT_POLICY, type Policy } from '../../src/domain/policy'
import { useEvaluationStore } from '../../src/stores/evaluation'
import { usePolicyStore } from '../../src/stores/policy'
import { smallRubric, uniqueName } from '../helpers/db-fixtures'

let db: AppDatabase
beforeEach(() => {
  db = openDatabase(uniqueName('policy-score'))
  setDatabase(db)
  setActivePinia(createPinia())
})
afterEach(async () => {
  setDatabase(null)
  await db.delete()
})

const NEW = {
  storeCode: 'JSNJ001',
  period: '2026-Q4',
  reviewer: 'city' as const,
  evaluatorName: '王伟',
  rubricId: smallRubric.id,
  rubricVersion: smallRubric.version,
}

/** A province that keeps 优秀 out of reach: full marks are only 良好 here. */
const STRICT: Policy = {
  ...DEFAULT_POLICY,
  id: 'strict',
  grades: { excellent: 101, good: 99, pass: 60 },
}

async function submitFullMarks(
  storeCode = NEW.storeCode,
): Promise<{ live: unknown; stored: unknown }> {
  const ev = useEvaluationStore()
  const row = await ev.start({ ...NEW, storeCode }, smallRubric)
  ev.setAnswer('greet', { itemId: 'greet', value: true })
  ev.setAnswer('wait', { itemId: 'wait', value: 30 })
  ev.setAnswer('clean', { itemId: 'clean', value: 0 })
  const live = ev.status?.score?.grade
  const out = await ev.submit()
  expect(out).toEqual({ ok: true })
  const stored = (await db.evaluations.get(row.id))!.result
  return { live, stored: stored && { final: stored.final, grade: stored.grade } }
}

describe('the stored score follows the policy store', () => {
  it('grades with the policy in force, live and stored alike', async () => {
    usePolicyStore().use(STRICT, { kind: 'file', name: 'strict.yaml' })
    expect(await submitFullMarks()).toEqual({
      live: 'good',
      stored: { final: 10000, grade: 'good' },
    })
  })

  it('and with the default when nothing else is in force', async () => {
    expect(await submitFullMarks()).toEqual({
      live: 'excellent',
      stored: { final: 10000, grade: 'excellent' },
    })
  })

  it('with the server’s files, the store’s own province policy, whatever the account’s home', async () => {
    await db.stores.bulkPut([
      {
        code: 'JSNJ001',
        name: '南京1号厅',
        province: '江苏',
        city: '南京',
        level: 2,
        type: 'self',
      },
      {
        code: 'ZJHZ001',
        name: '杭州1号厅',
        province: '浙江',
        city: '杭州',
        level: 2,
        type: 'self',
      },
    ])
    // A group account (no home province): the group's policy is the one shown…
    usePolicyStore().useServer(
      [
        { unit: 'group', policy: DEFAULT_POLICY },
        { unit: 'group/江苏', policy: STRICT },
      ],
      null,
    )
    expect(usePolicyStore().policy.id).toBe(DEFAULT_POLICY.id)
    // …but a 江苏 store is scored under 江苏's, as the server re-scores it.
    expect(await submitFullMarks()).toEqual({
      live: 'good',
      stored: { final: 10000, grade: 'good' },
    })
    expect(await submitFullMarks('ZJHZ001')).toEqual({
      live: 'excellent',
      stored: { final: 10000, grade: 'excellent' },
    })
  })
})

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type AppDatabase } from '../../src/db/database'
import { createRepos } from '../../src/db/repos'
import type { Rubric } from '../../src/domain/rubric-schema'
import type { Answers } from '../../src/domain/types'
import { parseRubricText } from '../../src/io/rubric-file'
import { groupRubric, jpegLike, steppingClock, uniqueName } from '../helpers/db-fixtures'

const opened: AppDatabase[] = []
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close()
    await db.delete()
  }
})

function daily(): Rubric {
  const path = fileURLToPath(
    new URL('../../rubrics/ct-store-daily-check@1.0.0.yaml', import.meta.url),
  )
  const parsed = parseRubricText(readFileSync(path, 'utf8'))
  if (!parsed.ok || parsed.kind !== 'rubric') throw new Error('daily check does not load')
  return parsed.rubric
}

function setup() {
  const db = openDatabase(uniqueName())
  opened.push(db)
  return { db, repos: createRepos(db, steppingClock()) }
}

const rubric = daily()
const items = rubric.sections.flatMap((s) => s.items)
const allMet = (): Answers =>
  Object.fromEntries(items.map((i) => [i.id, { itemId: i.id, value: true }]))
const photo = {
  bytes: jpegLike(512),
  mime: 'image/jpeg',
  width: 800,
  height: 600,
  thumbBytes: jpegLike(32, 2),
  thumbMime: 'image/jpeg',
  capturedAt: '2026-11-02T08:59:00.000Z',
}
const base = { storeCode: 'JSNJ001', period: '2026-Q4', evaluatorName: '李店长', rubric }

describe('daily self-checks', () => {
  it('records a check whole, submitted and unscored, and lists it per store newest first', async () => {
    const { repos } = setup()
    const first = await repos.dailyChecks.record({ ...base, answers: allMet() })
    expect(first.ok).toBe(true)
    const second = await repos.dailyChecks.record({ ...base, answers: allMet() })
    if (!first.ok || !second.ok) throw new Error('not recorded')
    expect(first.evaluation).toMatchObject({ status: 'submitted', reviewer: 'self', result: null })
    const list = await repos.dailyChecks.listByStore('JSNJ001', [rubric.id])
    expect(list.map((e) => e.id)).toEqual([second.evaluation.id, first.evaluation.id])
    expect(await repos.dailyChecks.listByStore('JSNJ002', [rubric.id])).toEqual([])
  })

  it('refuses a check with items unanswered or a failed item without its evidence, writing nothing', async () => {
    const { db, repos } = setup()
    const some = allMet()
    delete some[items[0]!.id]
    const out = await repos.dailyChecks.record({ ...base, answers: some })
    expect(out).toMatchObject({ ok: false, problems: [{ code: 'unanswered' }] })

    const photoItem = items.find((i) => i.evidence === 'photo')!
    const failed = allMet()
    failed[photoItem.id] = { itemId: photoItem.id, value: false, note: 'a note is not enough' }
    const noPhoto = await repos.dailyChecks.record({ ...base, answers: failed })
    expect(noPhoto).toMatchObject({
      ok: false,
      problems: [{ code: 'missing-evidence', itemIds: [photoItem.id] }],
    })
    expect(await db.evaluations.count()).toBe(0)

    const withPhoto = await repos.dailyChecks.record({
      ...base,
      answers: failed,
      photos: { [photoItem.id]: [photo] },
    })
    if (!withPhoto.ok) throw new Error('refused with its photo')
    const ids = withPhoto.evaluation.answers[photoItem.id]?.photoIds ?? []
    expect(ids).toHaveLength(1)
    expect((await repos.photos.get(ids[0]!))?.evaluationId).toBe(withPhoto.evaluation.id)
  })

  it('lets a failed item raise a corrective action, and refuses a rubric that is not a daily check', async () => {
    const { repos } = setup()
    const noteItem = items.find((i) => i.evidence === 'note')!
    const answers = allMet()
    answers[noteItem.id] = { itemId: noteItem.id, value: false, note: '晚开门 10 分钟' }
    const out = await repos.dailyChecks.record({ ...base, answers })
    if (!out.ok) throw new Error('refused')
    const [action] = await repos.actions.createFromLostItems(out.evaluation.id, [
      { itemId: noteItem.id, what: '调整排班', who: '李店长', due: '2026-11-09' },
    ])
    expect(action).toMatchObject({ storeCode: 'JSNJ001', status: 'open' })
    await expect(
      repos.dailyChecks.record({ ...base, rubric: groupRubric(), answers: {} }),
    ).rejects.toThrow(/not a daily-check rubric/)
    await expect(
      repos.dailyChecks.record({ ...base, evaluatorName: ' ', answers: allMet() }),
    ).rejects.toThrow(/name/)
  })
})

/**
 * The evaluation-level answer "this store has a cross-border zone" (跨界合作区域, seed 002:L134):
 * kept on the draft, queued for sync, recorded with the score at submit, copied into a
 * revision, carried by bundles, and refused once the evaluation is locked.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type AppDatabase } from '../../src/db/database'
import { LockedError } from '../../src/db/errors'
import { createRepos } from '../../src/db/repos'
import { checkForSubmit } from '../../src/domain/submit-check'
import type { Answers } from '../../src/domain/types'
import { evaluationRecord } from '../../src/io/bundle/format'
import { smallRubric, steppingClock, uniqueName } from '../helpers/db-fixtures'

const opened: AppDatabase[] = []
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close()
    await db.delete()
  }
})

const full: Answers = {
  greet: { itemId: 'greet', value: true },
  wait: { itemId: 'wait', value: 30 },
  clean: { itemId: 'clean', value: 1 },
}

describe('cross-border zone (002:L134)', () => {
  it('is recorded with the score without changing it, and only when answered', () => {
    const plain = checkForSubmit(smallRubric, full)
    const yes = checkForSubmit(smallRubric, full, { crossBorderZone: true })
    const no = checkForSubmit(smallRubric, full, { crossBorderZone: false })
    if (!plain.ok || !yes.ok || !no.ok) throw new Error('expected submittable answers')
    expect(plain.result).not.toHaveProperty('crossBorderZone')
    expect(yes.result?.crossBorderZone).toBe(true)
    expect(no.result?.crossBorderZone).toBe(false)
    expect(yes.result?.final).toBe(plain.result?.final)
    expect(yes.result?.grade).toBe(plain.result?.grade)
    // An unanswered item still refuses the submit, whatever the zone answer.
    const partial = checkForSubmit(
      smallRubric,
      { greet: full.greet! },
      {
        crossBorderZone: true,
      },
    )
    expect(partial.ok).toBe(false)
  })

  it('is saved on the draft, queued, stored with the result, copied to a revision and carried by bundles', async () => {
    const db = openDatabase(uniqueName())
    opened.push(db)
    const repos = createRepos(db, steppingClock())
    const ev = await repos.evaluations.create({
      storeCode: 'JSNJ001',
      period: '2026-Q4',
      reviewer: 'city',
      evaluatorName: '王伟',
      rubricId: smallRubric.id,
      rubricVersion: smallRubric.version,
    })
    await repos.outbox.acknowledge(
      (await repos.outbox.list()).map((r) => ({ key: r.key, stamp: r.stamp, version: 1 })),
    )
    expect(await repos.outbox.count()).toBe(0)

    let seq = (await repos.evaluations.setCrossBorderZone(ev.id, true, ev.editSeq)).editSeq
    expect((await repos.evaluations.get(ev.id))?.crossBorderZone).toBe(true)
    expect((await repos.outbox.list()).map((r) => r.key)).toEqual([`evaluation:${ev.id}`])
    seq = (await repos.evaluations.setCrossBorderZone(ev.id, null, seq)).editSeq
    expect(await repos.evaluations.get(ev.id)).not.toHaveProperty('crossBorderZone')
    seq = (await repos.evaluations.setCrossBorderZone(ev.id, true, seq)).editSeq

    for (const a of Object.values(full))
      seq = (await repos.evaluations.saveAnswer(ev.id, a.itemId, a, seq)).editSeq
    const out = await repos.evaluations.submit(ev.id, smallRubric, seq)
    if (!out.ok) throw new Error(JSON.stringify(out.problems))
    const row = (await repos.evaluations.get(ev.id))!
    expect(row.crossBorderZone).toBe(true)
    expect(row.result?.crossBorderZone).toBe(true)

    // A bundle record keeps it; anything but a boolean is refused.
    expect(evaluationRecord.parse(row).crossBorderZone).toBe(true)
    expect(evaluationRecord.safeParse({ ...row, crossBorderZone: 'yes' }).success).toBe(false)

    await expect(
      repos.evaluations.setCrossBorderZone(ev.id, false, row.editSeq),
    ).rejects.toBeInstanceOf(LockedError)

    const revision = await repos.evaluations.reopen(ev.id)
    expect(revision.crossBorderZone).toBe(true)
    await repos.evaluations.setCrossBorderZone(revision.id, false, revision.editSeq)
    expect((await repos.evaluations.get(revision.id))?.crossBorderZone).toBe(false)
    expect((await repos.evaluations.get(ev.id))?.crossBorderZone).toBe(true)
  })
})

import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type AppDatabase } from '../../src/db/database'
import { LockedError } from '../../src/db/errors'
import { createRepos } from '../../src/db/repos'
import { evaluationRecord } from '../../src/io/bundle/format'
import { smallRubric, steppingClock, uniqueName } from '../helpers/db-fixtures'

const opened: AppDatabase[] = []
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close()
    await db.delete()
  }
})

const png =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='

describe('visit signatures', () => {
  it('are kept with the draft, cleared on request, refused when bad or locked, and travel in bundles', async () => {
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
    const sig = { name: '李店长', at: '2026-11-02T10:00:00.000Z', png }
    const s1 = await repos.evaluations.setSignature(ev.id, 'manager', sig, 0)
    expect((await repos.evaluations.get(ev.id))?.signatures).toEqual({ manager: sig })
    await expect(
      repos.evaluations.setSignature(
        ev.id,
        'inspector',
        { ...sig, png: 'not base64!' },
        s1.editSeq,
      ),
    ).rejects.toThrow(/PNG/)
    await expect(
      repos.evaluations.setSignature(ev.id, 'inspector', { ...sig, name: ' ' }, s1.editSeq),
    ).rejects.toThrow(/name/)
    const s2 = await repos.evaluations.setSignature(
      ev.id,
      'inspector',
      { ...sig, name: '王伟' },
      s1.editSeq,
    )
    const row = (await repos.evaluations.get(ev.id))!
    expect(Object.keys(row.signatures ?? {}).sort()).toEqual(['inspector', 'manager'])
    // A bundle record keeps them; a malformed one is refused.
    expect(evaluationRecord.parse(row).signatures).toEqual(row.signatures)
    expect(
      evaluationRecord.safeParse({ ...row, signatures: { manager: { ...sig, png: '<svg>' } } })
        .success,
    ).toBe(false)
    await repos.evaluations.setSignature(ev.id, 'manager', null, s2.editSeq)
    expect(Object.keys((await repos.evaluations.get(ev.id))?.signatures ?? {})).toEqual([
      'inspector',
    ])
    await db.evaluations.update(ev.id, { status: 'submitted' })
    await expect(
      repos.evaluations.setSignature(ev.id, 'manager', sig, s2.editSeq + 1),
    ).rejects.toBeInstanceOf(LockedError)
  })
})

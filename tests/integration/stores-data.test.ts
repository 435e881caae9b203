/** The Pinia stores over a real (fake-indexeddb) database: autosave, conflicts, submit, demo. */
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { openDatabase, setDatabase, type AppDatabase } from '../../src/db/database'
import { createRepos } from '../../src/db/repos'
import { useActionsStore } from '../../src/stores/actions'
import { useEvaluationStore } from '../../src/stores/evaluation'
import { useStoresStore } from '../../src/stores/stores'
import { jpegLike, smallRubric, store, uniqueName } from '../helpers/db-fixtures'

let db: AppDatabase
let name: string
const extra: AppDatabase[] = []

beforeEach(() => {
  name = uniqueName('pinia')
  db = openDatabase(name)
  setDatabase(db)
  setActivePinia(createPinia())
})

afterEach(async () => {
  for (const d of extra.splice(0)) d.close()
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

describe('useEvaluationStore', () => {
  it('saves every change at once, coalescing a burst on one item, and reports saved', async () => {
    const ev = useEvaluationStore()
    const row = await ev.start(NEW, smallRubric)
    expect(ev.saveState).toBe('idle')
    ev.setAnswer('greet', { itemId: 'greet', value: false })
    expect(ev.saveState).toBe('saving')
    for (const note of ['无', '无人', '无人问', '无人问候']) ev.patchAnswer('greet', { note })
    expect(ev.answers.greet).toEqual({ itemId: 'greet', value: false, note: '无人问候' })
    await ev.flush()
    expect(ev.saveState).toBe('saved')
    const stored = (await db.evaluations.get(row.id))!
    expect(stored.answers.greet).toEqual({ itemId: 'greet', value: false, note: '无人问候' })
    // First change written at once, the four keystrokes that arrived meanwhile as one write.
    expect(stored.editSeq).toBe(2)
    expect(ev.current!.editSeq).toBe(2)
  })

  it('gives the live score, progress and missing evidence from the engine', async () => {
    const ev = useEvaluationStore()
    await ev.start(NEW, smallRubric)
    ev.setAnswer('greet', { itemId: 'greet', value: true })
    ev.setAnswer('wait', { itemId: 'wait', value: 20 })
    expect(ev.status).toMatchObject({
      answered: 2,
      total: 3,
      unanswered: ['clean'],
      missingEvidence: ['wait'],
    })
    ev.setAnswer('clean', { itemId: 'clean', value: 0 })
    expect(ev.status!.score!.complete).toBe(true)
    await ev.flush()
  })

  it('stops on a save overtaken by another tab and continues from the fresher copy', async () => {
    const ev = useEvaluationStore()
    const row = await ev.start(NEW, smallRubric)
    const otherDb = openDatabase(name)
    extra.push(otherDb)
    await createRepos(otherDb).evaluations.saveAnswer(
      row.id,
      'clean',
      { itemId: 'clean', value: 1 },
      0,
    )

    ev.setAnswer('greet', { itemId: 'greet', value: true })
    await ev.flush()
    expect(ev.saveState).toBe('error')
    expect(ev.conflict?.fresher.answers.clean).toEqual({ itemId: 'clean', value: 1 })
    expect(ev.editable).toBe(false)
    expect(() => ev.setAnswer('wait', { itemId: 'wait', value: 10 })).toThrow()

    await ev.acceptFresher()
    expect(ev.conflict).toBeNull()
    expect(ev.answers).toEqual({ clean: { itemId: 'clean', value: 1 } })
    ev.setAnswer('greet', { itemId: 'greet', value: true })
    await ev.flush()
    expect(ev.saveState).toBe('saved')
    expect(Object.keys((await db.evaluations.get(row.id))!.answers).sort()).toEqual([
      'clean',
      'greet',
    ])
  })

  it('hears at once that another tab saved, with nothing unsaved, and takes its copy', async () => {
    const a = useEvaluationStore() // tab A
    const row = await a.start(NEW, smallRubric)
    setActivePinia(createPinia())
    const b = useEvaluationStore() // tab B, on the same evaluation, changing nothing
    await b.open(row.id, smallRubric)

    a.setAnswer('clean', { itemId: 'clean', value: 1 })
    await a.flush()
    await vi.waitFor(() =>
      expect(b.conflict?.fresher.answers.clean).toEqual({ itemId: 'clean', value: 1 }),
    )
    expect(b.editable).toBe(false)
    await b.acceptFresher()
    expect(b.answers).toEqual({ clean: { itemId: 'clean', value: 1 } })
    expect(b.current!.editSeq).toBe(a.current!.editSeq)
    // A tab does not hear its own saves.
    expect(a.conflict).toBeNull()
    expect(a.editable).toBe(true)
  })

  it('keeps a photo attached when the note is typed while the photo is being written', async () => {
    const ev = useEvaluationStore()
    const row = await ev.start(NEW, smallRubric)
    ev.setAnswer('wait', { itemId: 'wait', value: 10 })
    const adding = ev.addPhoto('wait', {
      bytes: jpegLike(100),
      mime: 'image/jpeg',
      width: 10,
      height: 10,
      thumbBytes: jpegLike(10),
      thumbMime: 'image/jpeg',
      capturedAt: '2026-11-02T00:00:00.000Z',
    })
    ev.patchAnswer('wait', { note: '排队过长' })
    const p = await adding
    await ev.flush()
    expect(ev.saveState).toBe('saved')
    expect(ev.conflict).toBeNull()
    const stored = (await db.evaluations.get(row.id))!
    expect(stored.answers.wait).toEqual({
      itemId: 'wait',
      value: 10,
      note: '排队过长',
      photoIds: [p.id],
    })
    expect(stored.editSeq).toBe(ev.current!.editSeq)
  })

  it('flags a full disk and keeps what was saved before', async () => {
    const ev = useEvaluationStore()
    const row = await ev.start(NEW, smallRubric)
    ev.setAnswer('greet', { itemId: 'greet', value: true })
    await ev.flush()
    const spy = vi
      .spyOn(db.evaluations, 'put')
      .mockRejectedValue(new DOMException('full', 'QuotaExceededError'))
    ev.setAnswer('clean', { itemId: 'clean', value: 0 })
    await ev.flush()
    spy.mockRestore()
    expect(ev.storageFull).toBe(true)
    expect(ev.saveState).toBe('error')
    expect(ev.saveError?.name).toBe('StorageFullError')
    expect((await db.evaluations.get(row.id))!.answers).toEqual({
      greet: { itemId: 'greet', value: true },
    })
  })

  it('attaches photos, submits with the engine score, and reopens as a revision', async () => {
    const ev = useEvaluationStore()
    const row = await ev.start(NEW, smallRubric)
    ev.setAnswer('greet', { itemId: 'greet', value: true })
    ev.setAnswer('wait', { itemId: 'wait', value: 10 })
    const refused = await ev.submit()
    expect(refused).toEqual({
      ok: false,
      problems: [
        { code: 'unanswered', itemIds: ['clean'] },
        { code: 'missing-evidence', itemIds: ['wait'] },
      ],
    })
    const p = await ev.addPhoto('wait', {
      bytes: jpegLike(100),
      mime: 'image/jpeg',
      width: 10,
      height: 10,
      thumbBytes: jpegLike(10),
      thumbMime: 'image/jpeg',
      capturedAt: '2026-11-02T00:00:00.000Z',
    })
    expect(ev.answers.wait).toEqual({ itemId: 'wait', value: 10, photoIds: [p.id] })
    expect(ev.photos.map((x) => x.id)).toEqual([p.id])
    ev.setAnswer('clean', { itemId: 'clean', na: true })
    const live = ev.status!.score!.final
    expect(await ev.submit()).toEqual({ ok: true })
    expect(ev.current!.status).toBe('submitted')
    expect(ev.current!.result!.final).toBe(live)
    expect((await db.evaluations.get(row.id))!.result!.final).toBe(live)
    expect(ev.editable).toBe(false)

    const rev = await ev.reopen()
    expect(ev.current!.id).toBe(rev.id)
    expect(ev.current).toMatchObject({ revision: 2, revisionOf: row.id, status: 'draft' })
    expect(ev.photos.map((x) => x.id)).toEqual([p.id])
  })
})

describe('useStoresStore and useActionsStore', () => {
  it('imports, browses and searches stores', async () => {
    const s = useStoresStore()
    await s.refresh()
    expect(s.isEmpty).toBe(true)
    await s.importStores([
      store('NJ1'),
      store('NJ2'),
      store('SZ1', { city: '苏州', name: '苏州观前营业厅' }),
    ])
    expect(s.total).toBe(3)
    expect(s.provinces).toEqual(['江苏'])
    expect(await s.loadCities('江苏')).toEqual(['南京', '苏州'])
    await s.loadCity('江苏', '南京')
    expect(s.codesByCity['江苏/南京']).toEqual(['NJ1', 'NJ2'])
    await s.search('观前')
    expect(s.searchResults).toEqual(['SZ1'])
    await expect(s.importStores([store('X'), store('X')])).rejects.toThrow(/duplicate/)
    expect(s.total).toBe(3)
  })

  it('loads the demo from the shipped rubrics', async () => {
    const s = useStoresStore()
    const summary = await s.loadDemo()
    expect(summary.stores).toBeGreaterThanOrEqual(55)
    expect(s.total).toBe(summary.stores)
    expect(s.demoLoaded).toBe(true)
  })

  it('raises actions from a submitted evaluation and checks them off', async () => {
    const ev = useEvaluationStore()
    const row = await ev.start(NEW, smallRubric)
    ev.setAnswer('greet', { itemId: 'greet', value: false, note: '无人问候' })
    ev.setAnswer('wait', { itemId: 'wait', value: 30 })
    ev.setAnswer('clean', { itemId: 'clean', value: 0 })
    expect((await ev.submit()).ok).toBe(true)

    const a = useActionsStore()
    const [created] = await a.createFromLost(row.id, [
      { itemId: 'greet', what: '培训迎宾', who: '厅经理', due: '2026-12-01' },
    ])
    expect(a.openByStore.JSNJ001).toEqual([created!.id])
    await a.checkOff(created!.id, { note: '复查合格' })
    expect(a.openByStore.JSNJ001).toEqual([])
    expect(a.byId[created!.id]!.status).toBe('done')
  })
})

/** The rubric store: shipped files plus rubric versions that arrived in bundles. */
import { createPinia, setActivePinia } from 'pinia'
import { stringify } from 'yaml'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase, setDatabase, type AppDatabase } from '../../src/db/database'
import { useRubricStore } from '../../src/stores/rubrics'
import { smallRubric, uniqueName } from '../helpers/db-fixtures'

let db: AppDatabase

beforeEach(() => {
  db = openDatabase(uniqueName('rubric-store'))
  setDatabase(db)
  setActivePinia(createPinia())
})

afterEach(async () => {
  setDatabase(null)
  await db.delete()
})

const shipped = {
  [`${smallRubric.id}@${smallRubric.version}.yaml`]: async () => stringify(smallRubric),
}

describe('useRubricStore', () => {
  it('knows a rubric version that only arrived in a bundle', async () => {
    const older = { ...smallRubric, version: '0.9.0', title: { zh: '旧版', en: 'Old version' } }
    await db.meta.put({ key: 'importedRubrics', value: [older] })
    const rubrics = useRubricStore()
    await rubrics.load(shipped)
    expect(rubrics.get(smallRubric.id, '0.9.0')?.title.en).toBe('Old version')
    expect(rubrics.get(smallRubric.id, smallRubric.version)?.title).toEqual(smallRubric.title)
  })

  it('keeps the shipped copy when a bundle carried the same id@version', async () => {
    const impostor = { ...smallRubric, title: { zh: '冒名', en: 'Impostor' } }
    await db.meta.put({ key: 'importedRubrics', value: [impostor] })
    const rubrics = useRubricStore()
    await rubrics.load(shipped)
    expect(rubrics.get(smallRubric.id, smallRubric.version)?.title).toEqual(smallRubric.title)
  })
})

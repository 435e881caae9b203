/** Which rubrics an exchange can read: the shipped ones, then those that arrived in bundles. */
import { rubricKey } from '@/domain/rubric-registry'
import type { Rubric } from '@/domain/rubric-schema'
import type { AppDatabase, MetaKey } from '../rows'
import { createMetaRepo } from '../meta.repo'

export const IMPORTED_RUBRICS_KEY = 'importedRubrics' satisfies MetaKey

export type RubricLookup = (id: string, version: string) => Rubric | undefined

export function createRubricsRepo(db: AppDatabase) {
  const meta = createMetaRepo(db)
  const importedRubrics = (): Promise<Rubric[]> => meta.importedRubrics()

  return {
    importedRubrics,

    /** Shipped rubrics first, then those that arrived in earlier bundles. */
    async rubricLookup(shipped: RubricLookup): Promise<RubricLookup> {
      const extra = new Map((await importedRubrics()).map((r) => [rubricKey(r.id, r.version), r]))
      return (id, version) => shipped(id, version) ?? extra.get(rubricKey(id, version))
    },

    /** Keeps the bundle's rubrics this device did not know yet; returns how many were added. */
    async addImported(rubrics: readonly Rubric[]): Promise<number> {
      const known = await importedRubrics()
      const have = new Set(known.map((r) => rubricKey(r.id, r.version)))
      const added = rubrics.filter((r) => !have.has(rubricKey(r.id, r.version)))
      if (added.length)
        await db.meta.put({ key: IMPORTED_RUBRICS_KEY, value: [...known, ...added] })
      return added.length
    },
  }
}

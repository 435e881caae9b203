/**
 * Loads the demo province (src/demo: generated, then assembled as records with the engine's
 * score, as the server's --demo does) in one transaction: either all of it is there afterwards
 * or none. Loading twice gives the same data (same ids), it does not duplicate.
 */
import { generateDemo, type DemoOptions, type RubricChooser } from '@/demo/generate'
import { demoRecords } from '@/demo/records'
import type { Rubric } from '@/domain/rubric-schema'
import type { AppDatabase, EvaluationRow } from './database'
import { guardQuota } from './errors'
import { syncResults } from './results'
import { systemClock, type Clock } from './util'

export interface DemoSummary {
  stores: number
  evaluations: number
  photos: number
  actions: number
}

export async function loadDemo(
  db: AppDatabase,
  rubrics: Rubric | readonly Rubric[] | RubricChooser,
  opts: DemoOptions = {},
  clock: Clock = systemClock,
): Promise<DemoSummary> {
  const demo = demoRecords(rubrics, opts)
  const evaluations: EvaluationRow[] = demo.evaluations
  await guardQuota(() =>
    db.transaction(
      'rw',
      [db.stores, db.evaluations, db.results, db.photos, db.actions, db.meta],
      async () => {
        await db.stores.bulkPut(demo.stores)
        await db.evaluations.bulkPut(evaluations)
        await syncResults(db, evaluations)
        await db.photos.bulkPut(demo.photos)
        await db.actions.bulkPut(demo.actions)
        await db.meta.put({
          key: 'demoLoaded',
          value: { at: clock().toISOString(), seed: opts.seed ?? null },
        })
      },
    ),
  )
  return {
    stores: demo.stores.length,
    evaluations: evaluations.length,
    photos: demo.photos.length,
    actions: demo.actions.length,
  }
}

/**
 * Removes the demo province: its stores and everything recorded about them on this device
 * (evaluations, also ones made here since, their photos, corrective actions, results and
 * certification steps), in one transaction. The stores are found by generating the demo again
 * with the seed it was loaded with. Stores of the user's own register are left alone.
 */
export async function clearDemo(
  db: AppDatabase,
  rubrics: Rubric | readonly Rubric[] | RubricChooser,
): Promise<{ stores: number; evaluations: number }> {
  const meta = (await db.meta.get('demoLoaded'))?.value as { seed?: number | null } | undefined
  const opts: DemoOptions = meta?.seed != null ? { seed: meta.seed } : {}
  const codes = generateDemo(rubrics, opts).stores.map((s) => s.code)
  return guardQuota(() =>
    db.transaction(
      'rw',
      [db.stores, db.evaluations, db.results, db.photos, db.actions, db.certification, db.meta],
      async () => {
        const evIds: string[] = await db.evaluations.where('storeCode').anyOf(codes).primaryKeys()
        const actionIds: string[] = await db.actions.where('storeCode').anyOf(codes).primaryKeys()
        const owners = [...evIds, ...actionIds.map((id) => `action:${id}`)]
        await db.photos.where('evaluationId').anyOf(owners).delete()
        await db.results.where('storeCode').anyOf(codes).delete()
        await db.actions.bulkDelete(actionIds)
        await db.evaluations.bulkDelete(evIds)
        await db.certification.where('storeCode').anyOf(codes).delete()
        const stores = await db.stores.where('code').anyOf(codes).count()
        await db.stores.bulkDelete(codes)
        await db.meta.delete('demoLoaded')
        return { stores, evaluations: evIds.length }
      },
    ),
  )
}

/**
 * Loads the generated demo province (src/domain/demo-data.ts) in one transaction: either all of
 * it is there afterwards or none. Submitted demo evaluations carry the engine's score like
 * real ones. Loading twice gives the same data (same ids), it does not duplicate.
 */
import {
  generateDemo,
  rubricForStore,
  type DemoOptions,
  type RubricChooser,
} from '@/domain/demo-data'
import type { Rubric } from '@/domain/rubric-schema'
import { scoreEvaluation } from '@/domain/scoring'
import type { AppDatabase, EvaluationRow } from './rows'
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
  // Remember each rubric the generator chose, to score its evaluations with exactly that one.
  const used = new Map<string, Rubric>()
  const choose: RubricChooser = (store) => {
    const r =
      typeof rubrics === 'function'
        ? rubrics(store)
        : rubricForStore(Array.isArray(rubrics) ? rubrics : [rubrics as Rubric], store)
    if (r) used.set(`${r.id}@${r.version}`, r)
    return r
  }
  const demo = generateDemo(choose, opts)
  const evaluations = demo.evaluations.map((e): EvaluationRow => {
    const rubric = used.get(`${e.rubricId}@${e.rubricVersion}`)!
    let result = null
    if (e.status === 'submitted' && rubric.scored) {
      const outcome = scoreEvaluation(rubric, e.answers)
      if (!outcome.ok)
        throw new Error(
          `demo answers invalid for ${rubric.id}: ${outcome.errors.map((x) => x.message).join('; ')}`,
        )
      result = outcome.score
    }
    return {
      ...e,
      revision: 1,
      revisionOf: null,
      updatedAt: e.submittedAt ?? e.createdAt,
      result,
      editSeq: 0,
    }
  })
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

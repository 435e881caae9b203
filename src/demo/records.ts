/**
 * The demo province as stored records, the one assembly the app's loader (src/db/demo.ts) and
 * the server's `--demo` (src/server/demo.ts) both write: every generated evaluation as a first
 * revision, the submitted ones scored by the engine with exactly the rubric the generator chose.
 * The generator's photos are not uploaded anywhere, so the evidence rule of the submit check is
 * not held against demo data.
 */
import type { Evaluation } from '../domain/records'
import { rubricKey } from '../domain/rubric-registry'
import type { Rubric } from '../domain/rubric-schema'
import { scoreEvaluation, type EvaluationScore } from '../domain/scoring'
import {
  generateDemo,
  rubricForStore,
  type DemoData,
  type DemoOptions,
  type RubricChooser,
} from './generate'

export interface DemoRecords extends Omit<DemoData, 'evaluations'> {
  evaluations: Evaluation<EvaluationScore>[]
}

export function demoRecords(
  rubrics: Rubric | readonly Rubric[] | RubricChooser,
  opts: DemoOptions = {},
): DemoRecords {
  // Remember each rubric the generator chose, to score its evaluations with exactly that one.
  const used = new Map<string, Rubric>()
  const given = rubrics
  const choose: RubricChooser = (store) => {
    const r = typeof given === 'function' ? given(store) : chooseFrom(given, store)
    if (r) used.set(rubricKey(r.id, r.version), r)
    return r
  }
  const demo = generateDemo(choose, opts)
  const evaluations = demo.evaluations.map((e): Evaluation<EvaluationScore> => {
    const rubric = used.get(rubricKey(e.rubricId, e.rubricVersion))!
    let result: EvaluationScore | null = null
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
  return { ...demo, evaluations }
}

function chooseFrom(rubrics: Rubric | readonly Rubric[], store: Parameters<RubricChooser>[0]) {
  return rubricForStore(Array.isArray(rubrics) ? rubrics : [rubrics as Rubric], store)
}

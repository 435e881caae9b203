/**
 * The engine's words (grades, reviewers, store types, who certified, result notes, import
 * problems) from the one catalogue in src/domain/words.ts, which the exports and the CLI read
 * too. Edit the words there, not here.
 */
import { WORDS, type Words } from '@/domain/words'

const module = (w: Words) => ({
  grade: w.grade,
  reviewer: w.reviewer,
  scoredBy: w.scoredBy,
  certifiedBy: w.certifiedBy,
  storeType: w.storeType,
  formStep: w.formStep,
  rankNotes: w.note,
  problem: w.problem,
})

export default { zh: module(WORDS.zh), en: module(WORDS.en) }

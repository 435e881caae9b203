/**
 * Scoring one evaluation: the result types (./types.ts), the rubric compiled to Centi
 * (./compile.ts), the points of one item (./item-points.ts) and the score (./score.ts).
 */
export * from './types'
export { scoreEvaluation, scoreEvaluationOrThrow, scoreSoFar } from './score'
export { gradeOf } from '../grade'

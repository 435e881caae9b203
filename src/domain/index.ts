/**
 * The engine's public API: the app, the exports and the CLI import from here. The rubric format
 * (rubric-schema) and its cross-field validation (rubric-validate) are separate modules.
 */
export type { Note } from './notes'
export {
  fromCenti,
  hasTwoDecimals,
  isCenti,
  parseCenti,
  roundHalfUp,
  mulDivHalfUp,
  floorDiv,
  sumCenti,
  toCenti,
  toCentiRounded,
} from './points'
export {
  DEFAULT_POLICY,
  QUOTA_UNITS,
  TIE_BREAKS,
  provinceGoodDifferential,
  type Policy,
  type QuotaUnit,
  type TieBreak,
} from './policy'
export { parsePolicy, policySchema, type PolicyIssue } from './policy-schema'
export {
  GRADE_ORDER,
  capGrade,
  gradeBelow,
  gradeBounds,
  gradeIndex,
  gradeOf,
  type GradeBounds,
} from './grade'
export {
  BASE_TOTAL,
  ScoringFailure,
  scoreEvaluation,
  scoreEvaluationOrThrow,
  type EvaluationScore,
  type LostPoints,
  type ScoreOutcome,
  type ScoringError,
  type ScoringErrorCode,
  type SectionScore,
} from './scoring'
export {
  countingEvaluation,
  isGradedStore,
  recordFromScore,
  storeResult,
  storeResults,
  type EvaluationRecord,
  type StoreResult,
  type UngradedReason,
} from './store-result'
export {
  compareCodes,
  isRankable,
  orderComparator,
  rankAll,
  rankComparator,
  rankResults,
  rankStores,
  rankUnits,
  sortResults,
  unitKey,
  type RankableResult,
  type RankedStore,
  type RankScope,
  type Rankings,
  type StoreRanking,
  type UnitStats,
} from './ranking'
export {
  differentialLimit,
  proposeCertification,
  quotaPlaces,
  quotaUnitKey,
  type CertificationOutcome,
  type CertificationProposal,
  type CertifiedBy,
  type GradeCounts,
  type Override,
  type QuotaUsage,
} from './certification'
export {
  certifyAndRank,
  periodResults,
  rankPeriod,
  whatIf,
  type CertifiedRanking,
  type RankedPeriod,
  type RankPeriodInput,
} from './rankings-pipeline'
export type { RankingRow, RowExtras } from './ranking-table'

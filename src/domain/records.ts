/**
 * What the app keeps about evaluations, their evidence and what follows from them. Pure types:
 * src/db maps these to rows, the stores and views read them, exports and bundles carry them.
 * Timestamps are ISO 8601 strings (UTC) so they sort as text and read well in exports.
 */
import type { SetAside } from './forks'
import type { Answers, Period, Reviewer } from './types'

/**
 * draft: being filled in, every change saved at once.
 * submitted: locked; the engine's score is stored with it. Changes only by a new revision.
 * returned: sent back by a reviewing level (re-inspect); locked too, a new revision follows.
 */
export type EvaluationStatus = 'draft' | 'submitted' | 'returned'

export interface Evaluation<Result = unknown> {
  id: string
  storeCode: string
  period: Period
  reviewer: Reviewer
  evaluatorName: string
  rubricId: string
  rubricVersion: string
  status: EvaluationStatus
  answers: Answers
  /** 1 for the first evaluation; a reopened evaluation is a new record with revision + 1. */
  revision: number
  /** The evaluation this one revises, or null for a first revision. */
  revisionOf: string | null
  createdAt: string
  updatedAt: string
  submittedAt: string | null
  /** The engine's score, stored at submit with the rubric id and version it was computed by. */
  result: Result | null
  /** Bumped by every write; a save that expected an older value was overtaken (another tab). */
  editSeq: number
  /** Why a reviewing level sent it back (status `returned`). */
  returnedReason?: string
  /** Drawn on the tablet at the end of the visit, before submitting. */
  signatures?: Partial<Record<SignatureRole, Signature>>
  /**
   * The evaluation-level answer "this store has a cross-border cooperation zone or cross-border
   * products" (跨界合作区域及跨界产品). Seed 002:L134: they are not evaluated for now, so the
   * items they could touch leave them out and the record says the store has one. Absent: not
   * recorded (evaluations from before the question, or left unanswered).
   */
  crossBorderZone?: boolean
  /**
   * Where the evaluation came from. Absent: answered item by item on a device. `imported-score`:
   * a total read from a scores spreadsheet (domain/imported-score.ts), with no item answers, so
   * no section scores, lost items or evidence.
   */
  source?: EvaluationSource
  /** For an imported score: the file it was read from, and its line or row there. */
  importedFrom?: { file: string; row: number }
  /**
   * The device that created this record (at creation or reopen; never changed). Absent on
   * records from before the field: they keep the old merge rule (domain/forks.ts).
   */
  originDevice?: string
  /** Set when the user kept another revision of the same base instead (domain/forks.ts). */
  setAside?: SetAside
}

export type EvaluationSource = 'imported-score'

/** The evaluation-level answers the engine records with the score (`checkForSubmit`). */
export type VisitFacts = Pick<Evaluation, 'crossBorderZone'>

/** Who signs a visit: the inspector (or whoever evaluated) and the store manager. */
export type SignatureRole = 'inspector' | 'manager'
export const SIGNATURE_ROLES: readonly SignatureRole[] = ['inspector', 'manager']

export interface Signature {
  /** The signer's name, typed. */
  name: string
  /** When it was signed (ISO 8601). */
  at: string
  /** The drawing as a PNG, base64 (a string so it travels in bundles and backups as JSON). */
  png: string
}

/** A signature's PNG is at most this many base64 characters (~150 kB). */
export const SIGNATURE_MAX_CHARS = 200_000
/** A signer's name is 1 to this many characters after trimming. */
export const SIGNATURE_NAME_MAX = 100
/** A signature's PNG: standard base64 (no line breaks). */
export const SIGNATURE_PNG_PATTERN = /^[A-Za-z0-9+/]+={0,2}$/

/**
 * What is wrong with a signature, or null: the one rule the tablet (setSignature), the sync
 * protocol and the server share. `name` is judged after trimming.
 */
export function signatureProblem(s: Signature): 'name' | 'png' | null {
  const name = s.name.trim()
  if (!name || name.length > SIGNATURE_NAME_MAX) return 'name'
  if (!SIGNATURE_PNG_PATTERN.test(s.png) || s.png.length > SIGNATURE_MAX_CHARS) return 'png'
  return null
}

export interface Photo {
  id: string
  evaluationId: string
  itemId: string
  /** Bytes plus MIME type rather than a Blob: Blob storage in IndexedDB fails on some Safari versions. */
  bytes: ArrayBuffer
  mime: string
  width: number
  height: number
  thumbBytes: ArrayBuffer
  thumbMime: string
  /** When the picture was taken (the file's lastModified), kept because re-encoding drops EXIF. */
  capturedAt: string
}

/** A picture re-encoded for storage (src/io/photo.ts), before it is given an id and an owner. */
export type EncodedPhoto = Omit<Photo, 'id' | 'evaluationId' | 'itemId'>

export type ActionStatus = 'open' | 'done'

/** A corrective action raised from an item that lost points, checked off at a later visit. */
export interface CorrectiveAction {
  id: string
  storeCode: string
  /** The evaluation whose lost points raised it. */
  evaluationId: string
  itemId: string
  what: string
  who: string
  /** Due date, `YYYY-MM-DD`. */
  due: string
  status: ActionStatus
  createdAt: string
  doneAt: string | null
  /** The evaluation (visit) at which it was checked off, if any. */
  doneEvaluationId: string | null
  evidenceNote: string | null
  evidencePhotoIds: string[]
}

/** One recorded step of the certification process (issue 5): who did what, when. */
export type CertificationKind = 'step' | 'override' | 'sendback'

export interface CertificationEntry {
  id: string
  kind: CertificationKind
  period: Period
  /** The unit acted for: `group`, a province or a city name. */
  unit: string
  /** e.g. `city-certify`, `province-review`, `group-certify`. */
  step: string
  actor: string
  at: string
  /** The store concerned, for overrides and send-backs. */
  storeCode?: string
  /** What was decided (proposal, override grade and reason, send-back reason...). */
  payload: unknown
}

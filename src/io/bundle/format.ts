/**
 * The bundle format: what a bundle (or backup) file holds and the schema of every record in it.
 * A bundle is a plain zip, so a person can open it with any archiver and see what travels:
 *
 *   manifest.json               format + version, who/when/where, counts, SHA-256 of every other part
 *   stores.json                 Store[]
 *   rubrics/<id>@<version>.json the rubric versions the evaluations were scored with
 *   evaluations.json            { evaluations, certification } (every revision is its own record)
 *   actions.json                CorrectiveAction[]
 *   photos.json                 photo metadata (PhotoMeta[])
 *   photos/<id>.<ext>           raw photo bytes; photos/<id>.thumb.<ext> the thumbnail
 *   meta.json                   backups only: the device's settings rows
 *
 * Records are validated with zod before anything reaches the database. Objects are loose
 * (unknown fields kept, not stripped): a newer app may add fields, and an import must not drop
 * data it does not understand.
 */
import { z } from 'zod'
import { storeLevelSchema, storeTypeSchema } from '../../domain/store-schema'
import { isDay } from '../../domain/store-register'
import { SIGNATURE_MAX_CHARS, SIGNATURE_PNG_PATTERN } from '../../domain/records'

export const BUNDLE_FORMAT = 'ct-store-eval-bundle'
/**
 * Bump on any change an older reader would misread; readers refuse versions they do not know.
 * 2: the manifest may say the bundle is incremental (`incremental`); a full bundle is still
 * written as version 1, so older apps keep reading it.
 */
export const BUNDLE_FORMAT_VERSION = 2
/** The first version whose manifest may carry `incremental`. */
export const INCREMENTAL_FORMAT_VERSION = 2

export type BundleKind = 'exchange' | 'backup'

const iso = z.string().min(1)
const id = z.string().min(1).max(200)
/** As the sync protocol spells a device id. */
const deviceIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,100}$/, 'a device id is 8–100 letters, digits, _ or -')

export const storeRecord = z.looseObject({
  code: id,
  name: z.string(),
  province: z.string(),
  city: z.string(),
  level: storeLevelSchema,
  type: storeTypeSchema,
  /** Closed from this day (domain/store-register): a calendar day, or absent. */
  closedOn: z.string().refine(isDay, 'a day written YYYY-MM-DD').optional(),
})

const answer = z.looseObject({
  itemId: z.string(),
  value: z.union([z.boolean(), z.number().finite(), z.null()]).optional(),
  na: z.boolean().optional(),
  note: z.string().optional(),
  photoIds: z.array(z.string()).optional(),
})

const signature = z.object({
  name: z.string(),
  at: iso,
  png: z.string().max(SIGNATURE_MAX_CHARS).regex(SIGNATURE_PNG_PATTERN),
})

export const evaluationRecord = z.looseObject({
  id,
  storeCode: z.string().min(1),
  period: z.string().min(1),
  reviewer: z.enum(['self', 'city', 'province', 'group']),
  evaluatorName: z.string(),
  rubricId: z.string().min(1),
  rubricVersion: z.string().min(1),
  status: z.enum(['draft', 'submitted', 'returned']),
  answers: z.record(z.string(), answer),
  revision: z.number().int().min(1),
  revisionOf: z.string().nullable(),
  createdAt: iso,
  updatedAt: iso,
  submittedAt: iso.nullable(),
  result: z.unknown(),
  editSeq: z.number().int().min(0),
  returnedReason: z.string().optional(),
  signatures: z
    .object({ inspector: signature.optional(), manager: signature.optional() })
    .optional(),
  crossBorderZone: z.boolean().optional(),
  /** The device that created it (domain/forks.ts); absent on records from before the field. */
  originDevice: deviceIdSchema.optional(),
  /** Set aside for another revision of the same base (domain/forks.ts). */
  setAside: z.strictObject({ for: id, at: iso }).optional(),
})

export const certificationRecord = z.looseObject({
  id,
  kind: z.enum(['step', 'override', 'sendback']),
  period: z.string(),
  unit: z.string(),
  step: z.string(),
  actor: z.string(),
  at: iso,
  storeCode: z.string().optional(),
  payload: z.unknown(),
})

export const actionRecord = z.looseObject({
  id,
  storeCode: z.string().min(1),
  evaluationId: z.string(),
  itemId: z.string(),
  what: z.string(),
  who: z.string(),
  due: z.string(),
  status: z.enum(['open', 'done']),
  createdAt: iso,
  doneAt: iso.nullable(),
  doneEvaluationId: z.string().nullable(),
  evidenceNote: z.string().nullable(),
  evidencePhotoIds: z.array(z.string()),
})

/** Photo ids become file names: keep them to a safe alphabet (no path separators, no `..`). */
const photoId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,100}$/, 'photo id must use only letters, digits, _ and -')

export const photoMetaRecord = z.looseObject({
  id: photoId,
  evaluationId: z.string(),
  itemId: z.string(),
  mime: z.string().min(1),
  width: z.number().int().min(0),
  height: z.number().int().min(0),
  thumbMime: z.string(),
  capturedAt: z.string(),
  /** Part names inside the zip. */
  file: z.string(),
  thumbFile: z.string().nullable(),
  /** SHA-256 of the bytes, so a merge can compare photos without reading them. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
})

export const metaRecord = z.looseObject({ key: z.string().min(1), value: z.unknown() })

export const evaluationsPart = z.strictObject({
  evaluations: z.array(evaluationRecord),
  certification: z.array(certificationRecord),
})

const partInfo = z.strictObject({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().min(0),
})

/** Only the first two fields are read before the version check: a newer format may change the rest. */
export const manifestHead = z.looseObject({ format: z.string(), formatVersion: z.number().int() })

export const manifestSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  formatVersion: z.number().int(),
  kind: z.enum(['exchange', 'backup']),
  exportedAt: iso,
  exportedBy: z.strictObject({
    deviceId: z.string(),
    evaluator: z.string().optional(),
    app: z.string().optional(),
  }),
  /** The unit the bundle is for (province/city, or explicit store codes), and the period. */
  scope: z.strictObject({
    province: z.string().optional(),
    city: z.string().optional(),
    storeCodes: z.array(z.string()).optional(),
    period: z.string().nullable(),
  }),
  counts: z.strictObject({
    stores: z.number().int(),
    evaluations: z.number().int(),
    certification: z.number().int(),
    actions: z.number().int(),
    photos: z.number().int(),
    rubrics: z.number().int(),
  }),
  parts: z.record(z.string(), partInfo),
  /**
   * Incremental bundles only (format version 2): the bundle carries what changed since `since`
   * (the last bundle to `receiver`, or a date the user chose); `changes` records in all.
   */
  incremental: z
    .strictObject({
      since: z.iso.datetime({ offset: true }),
      receiver: z.string().min(1).max(100).optional(),
      changes: z.number().int().min(0),
    })
    .optional(),
  /** Optional device signature over the manifest without this field (see sign.ts). */
  signature: z
    .strictObject({
      alg: z.literal('ECDSA-P256-SHA256'),
      publicKey: z.record(z.string(), z.unknown()),
      value: z.string(),
    })
    .optional(),
})

export type Manifest = z.infer<typeof manifestSchema>
export type PhotoMeta = z.infer<typeof photoMetaRecord>

export const PART = {
  manifest: 'manifest.json',
  stores: 'stores.json',
  evaluations: 'evaluations.json',
  actions: 'actions.json',
  photos: 'photos.json',
  meta: 'meta.json',
} as const

export function rubricPartName(id: string, version: string): string {
  return `rubrics/${id}@${version}.json`
}

const EXT: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
}

export function photoPartName(id: string, mime: string, thumb = false): string {
  return `photos/${id}${thumb ? '.thumb' : ''}.${EXT[mime] ?? 'bin'}`
}

/**
 * Every way a bundle can be refused. `params` fill the translated message
 * (src/i18n/locales/exchange.ts, `exchange.error.<code>`).
 */
export type BundleErrorCode =
  | 'not-zip'
  | 'truncated'
  | 'unsupported-zip'
  | 'too-large'
  | 'bad-manifest'
  | 'wrong-format'
  | 'newer-version'
  | 'unknown-version'
  | 'wrong-kind'
  | 'missing-part'
  | 'unexpected-part'
  | 'tampered'
  | 'bad-record'
  | 'unknown-rubric'
  | 'rubric-mismatch'
  | 'bad-signature'
  | 'not-image'

export interface BundleError {
  code: BundleErrorCode
  params: Record<string, string | number>
}

export class BundleRefused extends Error {
  override name = 'BundleRefused'
  constructor(readonly error: BundleError) {
    super(`${error.code} ${JSON.stringify(error.params)}`)
  }
}

export function refuse(code: BundleErrorCode, params: Record<string, string | number> = {}): never {
  throw new BundleRefused({ code, params })
}

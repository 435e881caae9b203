/**
 * The sync protocol between the app and the server: one set of zod schemas validates a request
 * on the server and builds it in the app. Pure (zod only): no Node, no DOM, no Dexie.
 */
import { z } from 'zod'
import {
  SIGNATURE_MAX_CHARS,
  SIGNATURE_NAME_MAX,
  SIGNATURE_PNG_PATTERN,
  SIGNATURE_ROLES,
} from '../domain/records'

export const ROLES = ['store-manager', 'inspector', 'certifier', 'admin', 'viewer'] as const
export type Role = (typeof ROLES)[number]

/** `group`, `group/<province>`, `group/<province>/<city>`, `group/<province>/<city>/<store>`. */
export const unitPath = z
  .string()
  .max(400)
  .regex(
    /^group(\/[^/]+){0,3}$/,
    'a unit is group, group/<province>, group/<province>/<city> or group/<province>/<city>/<store code>',
  )

const id = z.string().min(1).max(200)
const deviceId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,100}$/, 'a device id is 8–100 letters, digits, _ or -')
const isoTime = z.iso.datetime({ offset: true })
const period = z.string().regex(/^\d{4}(-(Q[1-4]|H[12]|\d{2}))?$/, 'a period is e.g. 2026-Q4')

export const roleBinding = z.strictObject({ role: z.enum(ROLES), unit: unitPath })
export type RoleBinding = z.infer<typeof roleBinding>

export const loginRequest = z.strictObject({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(200),
  deviceId: deviceId.optional(),
})

export const userView = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  disabled: z.boolean(),
  roles: z.array(roleBinding),
})
export type UserView = z.infer<typeof userView>

/** GET /api/users: a user as an admin's list shows them; `manageable`: the admin may change them. */
export const listedUser = userView.extend({ manageable: z.boolean() })
export type ListedUser = z.infer<typeof listedUser>
export const userList = z.object({ users: z.array(listedUser) })

export const loginResponse = z.object({ token: z.string(), expiresAt: z.string(), user: userView })

export const passwordChange = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: z.string().min(10, 'a password has at least 10 characters').max(200),
})

const username = z
  .string()
  .regex(/^[A-Za-z0-9._-]{2,60}$/, 'a user name is 2–60 letters, digits, . _ or -')

export const createUser = z.strictObject({
  username,
  displayName: z.string().trim().min(1).max(100),
  password: z.string().min(10, 'a password has at least 10 characters').max(200),
  roles: z.array(roleBinding).min(1).max(50),
})

export const updateUser = z.strictObject({
  displayName: z.string().trim().min(1).max(100).optional(),
  disabled: z.boolean().optional(),
  roles: z.array(roleBinding).min(1).max(50).optional(),
  password: z.string().min(10, 'a password has at least 10 characters').max(200).optional(),
})

const answer = z.strictObject({
  itemId: z.string().min(1).max(200),
  value: z.union([z.boolean(), z.number().finite(), z.null()]).optional(),
  na: z.boolean().optional(),
  note: z.string().max(4000).optional(),
  photoIds: z.array(z.string().max(200)).max(50).optional(),
})

/** A visit signature, by the rule setSignature applies (domain/records.ts `signatureProblem`). */
const signature = z.strictObject({
  name: z.string().trim().min(1).max(SIGNATURE_NAME_MAX),
  at: isoTime,
  png: z
    .string()
    .max(SIGNATURE_MAX_CHARS, 'a signature is a PNG of at most 150 kB')
    .regex(SIGNATURE_PNG_PATTERN, 'a signature’s PNG is base64'),
})
/** Only the roles of domain SignatureRole; an unknown role is refused. */
const signatures = z.partialRecord(z.enum(SIGNATURE_ROLES as ['inspector', 'manager']), signature)

/**
 * An evaluation as a device sends it. The server sets the reviewer level, the evaluator and the
 * score from the account and the answers; `reviewer`, `evaluatorName` and `result` may be sent
 * (bundles carry them) but must agree with what the server derives, or the push is refused.
 */
export const evaluationInput = z.looseObject({
  id,
  storeCode: id,
  period,
  rubricId: id,
  rubricVersion: z.string().min(1).max(50),
  status: z.enum(['draft', 'submitted', 'returned']),
  answers: z.record(z.string().max(200), answer),
  revision: z.number().int().min(1).max(1000),
  revisionOf: id.nullable(),
  createdAt: isoTime,
  submittedAt: isoTime.nullable().optional(),
  reviewer: z.enum(['self', 'city', 'province', 'group']).optional(),
  evaluatorName: z.string().max(100).optional(),
  result: z.unknown().optional(),
  /** The evaluation-level answer "the store has a cross-border zone" (002:L134); absent: not recorded. */
  crossBorderZone: z.boolean().optional(),
  /** The device that created it (src/domain/forks.ts); the server keeps the first one it saw. */
  originDevice: deviceId.optional(),
  /** The visit's signatures (inspector, store manager); absent: none. */
  signatures: signatures.optional(),
})
export type EvaluationInput = z.infer<typeof evaluationInput>

export const actionInput = z.strictObject({
  id,
  storeCode: id,
  evaluationId: id,
  itemId: z.string().min(1).max(200),
  what: z.string().max(2000),
  who: z.string().max(200),
  due: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  status: z.enum(['open', 'done']),
  createdAt: isoTime,
  doneAt: isoTime.nullable(),
  doneEvaluationId: id.nullable(),
  evidenceNote: z.string().max(4000).nullable(),
  evidencePhotoIds: z.array(z.string().max(200)).max(50),
})

/** `baseVersion`: the server version the device last saw of this record (null: never seen). */
export const change = z.union([
  z.strictObject({
    kind: z.literal('evaluation'),
    op: z.literal('put'),
    baseVersion: z.number().int().min(0).nullable(),
    record: evaluationInput,
  }),
  z.strictObject({
    kind: z.literal('evaluation'),
    op: z.literal('delete'),
    baseVersion: z.number().int().min(0).nullable(),
    id,
  }),
  z.strictObject({
    kind: z.literal('action'),
    op: z.literal('put'),
    baseVersion: z.number().int().min(0).nullable(),
    record: actionInput,
  }),
])
export type Change = z.infer<typeof change>

export const MAX_PUSH_CHANGES = 5000

export const pushRequest = z.strictObject({
  deviceId,
  seq: z.number().int().min(1),
  changes: z.array(change).min(1).max(MAX_PUSH_CHANGES),
})
export type PushRequest = z.infer<typeof pushRequest>

/**
 * applied: written (version given). same: the server already had exactly this.
 * older / conflict: the server's copy is further along / was changed elsewhere (merge rules of
 * src/domain/merge.ts); nothing written, the server copy comes back.
 * locked: a submitted evaluation changes only as a new revision; nothing written.
 * A `conflict` with reason `forked`: the record is a second revision of a base the server
 * already has a revision of; `server` is that other revision (another id).
 */
export const OUTCOMES = ['applied', 'same', 'older', 'conflict', 'locked'] as const
export type Outcome = (typeof OUTCOMES)[number]

export const changeResult = z.object({
  kind: z.string(),
  id: z.string(),
  outcome: z.enum(OUTCOMES),
  reason: z.enum(['forked']).optional(),
  version: z.number().int().nullable(),
  server: z.unknown().optional(),
})
export type ChangeResult = z.infer<typeof changeResult>

export const pushResponse = z.object({
  seq: z.number().int(),
  replayed: z.boolean(),
  results: z.array(changeResult),
})
export type PushResponse = z.infer<typeof pushResponse>

export const pullQuery = z.strictObject({
  cursor: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
})

export const pulledRecord = z.object({
  kind: z.string(),
  id: z.string(),
  version: z.number().int(),
  deleted: z.boolean(),
  data: z.unknown(),
  /** Rubric and policy files only: the unit they were published for (a province's policy). */
  unit: z.string().optional(),
})
export type PulledRecordData = z.infer<typeof pulledRecord>
export const pullResponse = z.object({
  changes: z.array(pulledRecord),
  cursor: z.number().int(),
  more: z.boolean(),
})
export type PullResponse = z.infer<typeof pullResponse>

export const certificationStep = z.strictObject({
  period,
  step: z.enum(['city-certify', 'province-certify', 'group-certify']),
  /** The unit the step is for: a city `省/市` for city-certify, else a province (group-certify: the province confirmed). */
  unit: z.string().min(1).max(200),
})

export const certificationOverride = z.strictObject({
  period,
  storeCode: id,
  grade: z.enum(['excellent', 'good', 'pass', 'fail']).nullable(),
  reason: z.string().trim().min(1).max(2000),
})

export const certificationSendback = z.strictObject({
  evaluationId: id,
  reason: z.string().trim().min(1).max(2000),
})

export const rubricUpload = z.strictObject({
  /** The file's text, YAML or JSON, exactly as `npm run rubric:check` reads it. */
  text: z
    .string()
    .min(1)
    .max(256 * 1024),
  /** The unit it is uploaded for (a variant: its province). */
  unit: unitPath,
})

export const rankingsQuery = z.strictObject({
  period,
  scope: z.enum(['group', 'province', 'city']),
  /** group: omitted or `group`; province: its name; city: `省/市`. */
  unit: z.string().max(200).optional(),
})

export const statusQuery = z.strictObject({ period })

const state = z.enum(['inspected', 'self-assessed', 'not-yet', 'overdue'])
/** GET /api/status: the submission status of a period in the caller's units (by city, by store). */
export const statusResponse = z.object({
  period: z.string(),
  at: z.string(),
  cities: z.array(
    z.object({
      province: z.string(),
      city: z.string(),
      total: z.number().int(),
      counts: z.record(state, z.number().int()),
    }),
  ),
  stores: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      province: z.string(),
      city: z.string(),
      state,
      inspectedAt: z.string().nullable(),
      selfAssessedAt: z.string().nullable(),
    }),
  ),
})
export type StatusResponse = z.infer<typeof statusResponse>

export const errorBody = z.object({
  error: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
})

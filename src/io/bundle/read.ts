/**
 * Reads and validates a bundle before anything touches the database. Every check runs first:
 * zip structure and declared sizes (before inflating), format and version, that every part the
 * manifest lists is there and nothing else is, the SHA-256 of every part (photos included, one
 * at a time), the schema of every record, and that every rubric version the evaluations were
 * scored with is known here or carried in the bundle. The first failure is returned as a
 * BundleError with its own code, so the user is told exactly what is wrong.
 */
import { isPhotoMime, sniffPhoto } from '../../domain/image-type'
import { z } from 'zod'
import type { Rubric } from '../../domain/rubric-schema'
import { validateRubric } from '../../domain/rubric-validate'
import { recomputeResults, type ResultMismatch } from '../../domain/bundle-checks'
import { isImportedScore } from '../../domain/imported-score'
import { rubricKey } from '../../domain/rubric-registry'
import type { Store } from '../../domain/types'
import type { CertificationEntry, CorrectiveAction, Evaluation } from '../../domain/records'
import {
  actionRecord,
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  INCREMENTAL_FORMAT_VERSION,
  BundleRefused,
  evaluationsPart,
  manifestHead,
  manifestSchema,
  metaRecord,
  PART,
  photoMetaRecord,
  refuse,
  rubricPartName,
  storeRecord,
  type BundleError,
  type BundleKind,
  type Manifest,
  type PhotoMeta,
} from './format'
import { cleanAction, cleanCertification, cleanEvaluation, cleanStore } from './clean'
import { sha256Hex } from './hash'
import { verifyManifest } from './sign'
import {
  DEFAULT_LIMITS,
  readDirectory,
  readEntry,
  type ByteSource,
  type ZipEntry,
  type ZipLimits,
} from './zip-read'

export interface ReadOptions {
  limits?: Partial<ZipLimits>
  /** The rubric this device already has under that id and version, if any. */
  localRubric?: (id: string, version: string) => Rubric | undefined
  /** Refuse a backup offered as a bundle and the other way round. */
  expectKind?: BundleKind
  /** Called after each photo is checked (progress bar). */
  onProgress?: (done: number, total: number) => void
}

export interface OpenBundle {
  manifest: Manifest
  stores: Store[]
  rubrics: Rubric[]
  evaluations: Evaluation[]
  certification: CertificationEntry[]
  actions: CorrectiveAction[]
  photos: PhotoMeta[]
  meta: { key: string; value: unknown }[]
  /** The signing key's fingerprint when the bundle is signed (and the signature holds). */
  signer: { fingerprint: string } | null
  /**
   * Evaluations whose stored result is not what their answers give: `evaluations` already holds
   * the recomputed results (a file's score is never believed).
   */
  recomputed: ResultMismatch[]
  /** The photo's bytes, checked again against its checksum (the file could change after validation). */
  readPhoto(id: string): Promise<{ bytes: Uint8Array; thumbBytes: Uint8Array }>
}

export type ReadResult = { ok: true; bundle: OpenBundle } | { ok: false; error: BundleError }

const decoder = new TextDecoder('utf-8', { fatal: true })

/**
 * Records nest a few levels (an evaluation's answers, a score result); a rubric about six. Deeper
 * values pass `z.unknown()` fields untouched but later overflow the stack in JSON.stringify (the
 * merge compares canonical JSON) or in IndexedDB's structured clone, so they are refused here.
 */
export const MAX_JSON_DEPTH = 32

/** True when `value` nests objects/arrays deeper than `limit`. Iterative: no stack to overflow. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]]
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number]
    if (v === null || typeof v !== 'object') continue
    if (depth > limit) return true
    for (const child of Object.values(v as Record<string, unknown>)) stack.push([child, depth + 1])
  }
  return false
}

function issuePath(issues: z.core.$ZodIssue[]): { path: string; message: string } {
  const first = issues[0]
  return { path: first ? first.path.map(String).join('.') : '', message: first?.message ?? '' }
}

export async function readBundle(src: ByteSource, opts: ReadOptions = {}): Promise<ReadResult> {
  try {
    return { ok: true, bundle: await open(src, opts) }
  } catch (e) {
    if (e instanceof BundleRefused) return { ok: false, error: e.error }
    throw e
  }
}

async function open(src: ByteSource, opts: ReadOptions): Promise<OpenBundle> {
  const entries = await readDirectory(src, { ...DEFAULT_LIMITS, ...opts.limits })
  const byName = new Map<string, ZipEntry>()
  for (const e of entries) {
    if (byName.has(e.name)) refuse('unexpected-part', { part: e.name })
    byName.set(e.name, e)
  }

  const manifestEntry = byName.get(PART.manifest)
  if (!manifestEntry) refuse('missing-part', { part: PART.manifest })
  let raw: unknown
  try {
    raw = JSON.parse(decoder.decode(await readEntry(src, manifestEntry)))
  } catch (e) {
    if (e instanceof BundleRefused) throw e
    refuse('bad-manifest', { path: '', message: 'not JSON' })
  }
  if (nestsDeeperThan(raw, MAX_JSON_DEPTH))
    refuse('bad-manifest', { path: '', message: `nested deeper than ${MAX_JSON_DEPTH} levels` })
  const head = manifestHead.safeParse(raw)
  if (!head.success) refuse('bad-manifest', issuePath(head.error.issues))
  if (head.data.format !== BUNDLE_FORMAT)
    refuse('wrong-format', { found: head.data.format.slice(0, 80) })
  if (head.data.formatVersion > BUNDLE_FORMAT_VERSION)
    refuse('newer-version', { found: head.data.formatVersion, supported: BUNDLE_FORMAT_VERSION })
  if (head.data.formatVersion < 1) refuse('unknown-version', { found: head.data.formatVersion })
  const parsedManifest = manifestSchema.safeParse(raw)
  if (!parsedManifest.success) refuse('bad-manifest', issuePath(parsedManifest.error.issues))
  const manifest = parsedManifest.data
  if (manifest.incremental && manifest.formatVersion < INCREMENTAL_FORMAT_VERSION)
    refuse('bad-manifest', {
      path: 'incremental',
      message: `needs format version ${INCREMENTAL_FORMAT_VERSION}`,
    })
  const signer = await verifyManifest(manifest)
  if (opts.expectKind && manifest.kind !== opts.expectKind)
    refuse('wrong-kind', { found: manifest.kind, expected: opts.expectKind })

  for (const name of Object.keys(manifest.parts))
    if (!byName.has(name)) refuse('missing-part', { part: name })
  for (const name of byName.keys())
    if (name !== PART.manifest && !manifest.parts[name]) refuse('unexpected-part', { part: name })

  /** A part's bytes, refused unless they hash to what the manifest says. */
  const readPart = async (name: string): Promise<Uint8Array> => {
    const info = manifest.parts[name]
    const entry = byName.get(name)
    if (!info || !entry) refuse('missing-part', { part: name })
    if (entry.size !== info.size) refuse('tampered', { part: name })
    const bytes = await readEntry(src, entry)
    if ((await sha256Hex(bytes)) !== info.sha256) refuse('tampered', { part: name })
    return bytes
  }
  const readJson = async <T>(name: string, schema: z.ZodType<T>): Promise<T> => {
    const bytes = await readPart(name)
    let value: unknown
    try {
      value = JSON.parse(decoder.decode(bytes))
    } catch {
      refuse('bad-record', { part: name, path: '', message: 'not valid JSON' })
    }
    if (nestsDeeperThan(value, MAX_JSON_DEPTH))
      refuse('bad-record', {
        part: name,
        path: '',
        message: `nested deeper than ${MAX_JSON_DEPTH} levels`,
      })
    const parsed = schema.safeParse(value)
    if (!parsed.success) refuse('bad-record', { part: name, ...issuePath(parsed.error.issues) })
    return parsed.data
  }

  // Text fields cleaned once, here, as typed text is (clean.ts): the hashes above held for the
  // bytes as sent, and nothing below (preview, merge, storage) ever sees a bidi control.
  const stores = ((await readJson(PART.stores, storeRecord.array())) as Store[]).map(cleanStore)
  const ev = await readJson(PART.evaluations, evaluationsPart)
  const evaluations = (ev.evaluations as Evaluation[]).map(cleanEvaluation)
  const certification = (ev.certification as CertificationEntry[]).map(cleanCertification)
  const actions = ((await readJson(PART.actions, actionRecord.array())) as CorrectiveAction[]).map(
    cleanAction,
  )
  const photos = await readJson(PART.photos, photoMetaRecord.array())
  const meta = manifest.parts[PART.meta] ? await readJson(PART.meta, metaRecord.array()) : []

  const rubrics: Rubric[] = []
  for (const name of Object.keys(manifest.parts).filter((n) => n.startsWith('rubrics/'))) {
    // Checked as fully as a rubric file (schema and the cross-field rules: weights adding up,
    // ids unique, bands in order), so a carried version can never score differently.
    const checked = validateRubric(await readJson(name, z.unknown()))
    if (!checked.ok)
      refuse('bad-record', {
        part: name,
        path: checked.errors[0]!.path,
        message: checked.errors[0]!.message,
      })
    const rubric = checked.rubric
    if (name !== rubricPartName(rubric.id, rubric.version))
      refuse('bad-record', { part: name, path: 'id', message: 'file name and id@version differ' })
    const local = opts.localRubric?.(rubric.id, rubric.version)
    // A published version never changes; two different texts under one version would score differently.
    if (local && JSON.stringify(local) !== JSON.stringify(rubric))
      refuse('rubric-mismatch', { rubric: rubricKey(rubric.id, rubric.version) })
    rubrics.push(rubric)
  }
  const carried = new Map(rubrics.map((r) => [rubricKey(r.id, r.version), r]))
  for (const e of evaluations) {
    // Imported totals have no rubric (recomputeResults checks them on their own).
    if (isImportedScore(e)) continue
    const key = rubricKey(e.rubricId, e.rubricVersion)
    if (!carried.has(key) && !opts.localRubric?.(e.rubricId, e.rubricVersion))
      refuse('unknown-rubric', { rubric: key, evaluation: e.id })
  }
  const recomputed = recomputeResults(
    evaluations,
    (id, version) => carried.get(rubricKey(id, version)) ?? opts.localRubric?.(id, version),
  )
  if (!recomputed.ok)
    refuse('bad-record', {
      part: PART.evaluations,
      path: `evaluations[${recomputed.index}]`,
      message: recomputed.message,
    })

  const photoById = new Map<string, PhotoMeta>()
  for (const [i, p] of photos.entries()) {
    if (photoById.has(p.id))
      refuse('bad-record', { part: PART.photos, path: `${i}.id`, message: 'duplicate photo id' })
    photoById.set(p.id, p)
  }
  const readPhoto = async (id: string) => {
    const p = photoById.get(id)
    if (!p) refuse('missing-part', { part: `photos/${id}` })
    if (manifest.parts[p.file]?.sha256 !== p.sha256) refuse('tampered', { part: p.file })
    const bytes = await readPart(p.file)
    const thumbBytes = p.thumbFile ? await readPart(p.thumbFile) : new Uint8Array(0)
    // A "photo" that is HTML or SVG would open as a page in the app's origin: judged by its bytes.
    if (sniffPhoto(bytes) !== p.mime || !isPhotoMime(p.mime))
      refuse('not-image', { part: p.file, mime: p.mime })
    if (p.thumbFile && sniffPhoto(thumbBytes) !== p.thumbMime)
      refuse('not-image', { part: p.thumbFile, mime: p.thumbMime })
    return { bytes, thumbBytes }
  }
  // Every photo is read and hashed now, one at a time, so a removed or altered photo is caught
  // before the import starts rather than half-way through it.
  let done = 0
  for (const p of photos) {
    await readPhoto(p.id)
    opts.onProgress?.(++done, photos.length)
  }

  const counts = manifest.counts
  if (
    counts.stores !== stores.length ||
    counts.evaluations !== evaluations.length ||
    counts.certification !== certification.length ||
    counts.actions !== actions.length ||
    counts.photos !== photos.length ||
    counts.rubrics !== rubrics.length
  )
    refuse('tampered', { part: PART.manifest })

  return {
    manifest,
    stores,
    rubrics,
    evaluations: recomputed.evaluations,
    recomputed: recomputed.mismatches,
    certification,
    actions,
    photos,
    meta,
    signer,
    readPhoto,
  }
}

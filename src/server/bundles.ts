/**
 * A bundle file uploaded to the server goes through the same checks and the same push path as
 * live sync: its evaluations and actions become one push (device `bundle-<sha256 of the file>`,
 * sequence 1, so uploading the same file twice has one effect), every score recomputed, the
 * reviewer and evaluator checked against the uploader's account. Certification entries are not
 * taken from files (certification runs online); rubrics must already be on the server with the
 * same content; the register comes from admins, not from bundles.
 */
import { createHash } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { canonical } from '../domain/merge'
import { bytesSource, readBundle } from '../io/bundle'
import type { Change } from '../protocol'
import type { Actor } from './access'
import type { Context } from './context'
import { forbidden, HttpError, unprocessable } from './errors'
import { storePhoto } from './photos'
import { readRecords } from './records'
import { push } from './sync'

export async function importBundle(ctx: Context, actor: Actor, bytes: Uint8Array) {
  const rubrics = await ctx.rubrics.current(ctx.db)
  const r = await readBundle(bytesSource(bytes), {
    localRubric: (id, version) => rubrics.registry.get(id, version),
    expectKind: 'exchange',
  })
  if (!r.ok)
    throw unprocessable(`bundle-${r.error.code}`, `the bundle is refused: ${r.error.code}`, r.error)
  const b = r.bundle
  // The reader recomputed every result; the server refuses a file whose claim differs.
  const mismatch = b.recomputed[0]
  if (mismatch)
    throw unprocessable(
      'score-mismatch',
      `evaluation ${mismatch.id}: the score sent (${String(mismatch.stored)}) is not what its answers give (${String(mismatch.recomputed)})`,
    )
  for (const rubric of b.rubrics)
    if (!rubrics.registry.get(rubric.id, rubric.version))
      throw unprocessable(
        'unknown-rubric',
        `the bundle carries rubric ${rubric.id}@${rubric.version}, which the server does not have; an admin uploads rubrics (POST /api/rubrics)`,
      )
  if (b.certification.length > 0) {
    const known = await readRecords(
      ctx.db,
      'certification',
      b.certification.map((c) => c.id),
    )
    const forged = b.certification.filter((c) => {
      const k = known.get(c.id)
      return !k || k.deleted || canonical(k.data) !== canonical(c)
    })
    if (forged.length > 0)
      throw forbidden(
        `the bundle carries ${forged.length} certification entr${forged.length === 1 ? 'y' : 'ies'} the server did not record; certification steps and overrides are made online`,
        'certification-online-only',
      )
  }
  // An evaluation without its origin device was made by the device that exported the file
  // (as far as the file says; domain/forks.ts).
  const sender = b.manifest.exportedBy.deviceId
  const origin = /^[A-Za-z0-9_-]{8,100}$/.test(sender) ? { originDevice: sender } : {}
  const changes: Change[] = [
    ...b.evaluations.map((e): Change => ({
      kind: 'evaluation',
      op: 'put',
      baseVersion: null,
      record: (e.originDevice === undefined ? { ...e, ...origin } : e) as never,
    })),
    ...b.actions.map((a): Change => ({ kind: 'action', op: 'put', baseVersion: null, record: a })),
  ]
  const deviceId = `bundle-${createHash('sha256').update(bytes).digest('hex')}`
  const result =
    changes.length === 0
      ? { seq: 1, replayed: false, results: [] }
      : await push(ctx, { ...actor, deviceId: null }, { deviceId, seq: 1, changes })
  let photos = 0
  for (const p of b.photos) {
    const { bytes: pb } = await b.readPhoto(p.id)
    if (await storePhoto(ctx, p.sha256, pb, actor.id)) photos++
  }
  return { ...result, bundle: deviceId, photos, storesIgnored: b.stores.length }
}

export async function bundleRoutes(
  app: FastifyInstance,
  ctx: Context,
  actorOf: (req: FastifyRequest) => Promise<Actor>,
): Promise<void> {
  app.post('/api/bundles', { bodyLimit: ctx.config.maxBundleBytes }, async (req) => {
    const a = await actorOf(req)
    if (!(req.body instanceof Buffer))
      throw new HttpError(
        415,
        'unsupported-media-type',
        'send the bundle file as application/zip or application/octet-stream',
      )
    return importBundle(ctx, a, new Uint8Array(req.body))
  })
}

/**
 * Photos by SHA-256 under <data>/photos: written to a temporary file and renamed, listed in the
 * photos table. A PUT is idempotent (the same bytes again change nothing) and resumable
 * (`Content-Range: bytes start-end/total` appends to a partial file; GET …/upload says how much
 * arrived). Only JPEG, PNG and WebP, judged by their first bytes, never by the declared type.
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { sniffPhoto } from '../domain/image-type'
import { may, type Actor } from './access'
import type { Context } from './context'
import type { Sql } from './db'
import { badRequest, conflict, forbidden, HttpError, notFound } from './errors'
import { audit } from './records'

const SHA = /^[0-9a-f]{64}$/

export function photosDir(dataDir: string): string {
  return join(dataDir, 'photos')
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}

/** Stores complete bytes under their hash (checked); returns whether it was new. */
export async function storePhoto(
  ctx: Context,
  sha: string,
  bytes: Uint8Array,
  userId: number | null,
): Promise<boolean> {
  const digest = createHash('sha256').update(bytes).digest('hex')
  if (digest !== sha) throw badRequest('hash-mismatch', `the bytes hash to ${digest}, not ${sha}`)
  const mime = sniffPhoto(bytes)
  if (!mime) throw new HttpError(415, 'not-an-image', 'only JPEG, PNG or WebP photos are accepted')
  const dir = photosDir(ctx.config.dataDir)
  await mkdir(dir, { recursive: true })
  const final = join(dir, sha)
  let isNew = false
  if (!(await exists(final))) {
    const tmp = join(dir, `.${sha}.${randomBytes(6).toString('hex')}.tmp`)
    try {
      const fh = await open(tmp, 'w')
      try {
        await fh.writeFile(bytes)
        await fh.sync()
      } finally {
        await fh.close()
      }
      await rename(tmp, final)
      isNew = true
    } finally {
      await rm(tmp, { force: true })
    }
  }
  const rows = await ctx.db.query(
    `INSERT INTO photos (sha256, mime, size, uploaded_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (sha256) DO NOTHING RETURNING sha256`,
    [sha, mime, bytes.length, userId],
  )
  if (userId !== null)
    await ctx.db.query(
      `INSERT INTO photo_uploaders (sha256, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [sha, userId],
    )
  return isNew || rows.length > 0
}

/**
 * Whether the actor may read a photo: a record in their units (an evaluation or corrective
 * action) references it, or none does yet and they sent its bytes. Anything else is answered
 * as if the photo did not exist.
 */
export async function mayReadPhoto(sql: Sql, actor: Actor, sha: string): Promise<boolean> {
  const units = [...new Set(actor.roles.map((r) => r.unit))]
  const [row] = await sql.query<{ ok: boolean }>(
    `SELECT CASE
              WHEN EXISTS (SELECT 1 FROM photo_refs WHERE sha256 = $1) THEN
                EXISTS (SELECT 1 FROM photo_refs p, unnest($3::text[]) AS u(path)
                         WHERE p.sha256 = $1
                           AND (p.unit = u.path OR left(p.unit, length(u.path) + 1) = u.path || '/'))
              ELSE EXISTS (SELECT 1 FROM photo_uploaders WHERE sha256 = $1 AND user_id = $2)
            END AS ok`,
    [sha, actor.id, units],
  )
  return row?.ok === true
}

function parseRange(h: string | undefined): { start: number; end: number; total: number } | null {
  if (!h) return null
  const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(h.trim())
  if (!m) throw badRequest('bad-range', 'Content-Range must be "bytes start-end/total"')
  const [start, end, total] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (end < start || end >= total) throw badRequest('bad-range', 'Content-Range is inconsistent')
  return { start, end, total }
}

export async function photoRoutes(
  app: FastifyInstance,
  ctx: Context,
  actorOf: (req: FastifyRequest) => Promise<Actor>,
): Promise<void> {
  const max = ctx.config.maxPhotoBytes
  app.addContentTypeParser(
    ['application/octet-stream', 'image/jpeg', 'image/png', 'image/webp', 'application/zip'],
    { parseAs: 'buffer', bodyLimit: Math.max(max, ctx.config.maxBundleBytes) },
    (_req, body, done) => done(null, body),
  )
  const canUpload = (a: Actor) => a.roles.some((r) => may(a, 'evaluate', r.unit))
  const partial = (sha: string) => join(photosDir(ctx.config.dataDir), '.partial', sha)

  app.put<{ Params: { sha: string } }>(
    '/api/photos/:sha',
    { bodyLimit: max },
    async (req, reply) => {
      const a = await actorOf(req)
      if (!canUpload(a)) throw forbidden(`${a.username} may not upload photos`)
      const sha = req.params.sha
      if (!SHA.test(sha))
        throw badRequest('bad-hash', 'a photo is addressed by its SHA-256, 64 hex digits')
      const body = req.body
      if (!(body instanceof Buffer))
        throw new HttpError(
          415,
          'unsupported-media-type',
          'send the bytes as application/octet-stream or image/*',
        )
      const range = parseRange(req.headers['content-range'])
      if (range && range.total > max)
        throw new HttpError(413, 'too-large', `a photo has at most ${max} bytes`)
      // Only a caller who may read the photo learns that it is already here; anyone else sends
      // the bytes, which are checked against the hash as for a new photo.
      if (
        (await exists(join(photosDir(ctx.config.dataDir), sha))) &&
        (await mayReadPhoto(ctx.db, a, sha))
      ) {
        return reply
          .code(200)
          .send({ sha256: sha, stored: false, received: range?.total ?? body.length })
      }
      let complete: Uint8Array = body
      if (range) {
        if (body.length !== range.end - range.start + 1)
          throw badRequest('bad-range', 'the body length differs from Content-Range')
        // The first piece already shows whether this is an image: a non-image is refused before
        // anything of it is kept.
        if (range.start === 0 && body.length >= 12 && !sniffPhoto(body))
          throw new HttpError(415, 'not-an-image', 'only JPEG, PNG or WebP photos are accepted')
        const p = partial(sha)
        await mkdir(join(photosDir(ctx.config.dataDir), '.partial'), { recursive: true })
        let have = (await exists(p)) ? (await stat(p)).size : 0
        // A partial longer than the photo cannot be it: start again.
        if (have > range.total) {
          await rm(p, { force: true })
          have = 0
        }
        if (range.start > have)
          throw conflict('range-gap', `expected bytes from ${have}`, { received: have })
        const fh = await open(p, have === 0 ? 'w' : 'r+')
        try {
          await fh.write(body, 0, body.length, range.start)
        } finally {
          await fh.close()
        }
        const now = Math.max(have, range.end + 1)
        if (now < range.total)
          return reply.code(202).send({ sha256: sha, stored: false, received: now })
        complete = await readFile(p)
      }
      let isNew: boolean
      try {
        isNew = await storePhoto(ctx, sha, complete, a.id)
      } finally {
        // Stored, or its bytes are not the photo (wrong hash, not an image): the next try of
        // this hash starts from the first byte.
        if (range) await rm(partial(sha), { force: true })
      }
      await audit(ctx.db, { userId: a.id, username: a.username, deviceId: a.deviceId }, [
        { action: 'upload-photo', kind: 'photo', target: sha, detail: { size: complete.length } },
      ])
      return reply
        .code(isNew ? 201 : 200)
        .send({ sha256: sha, stored: isNew, received: complete.length })
    },
  )

  app.get<{ Params: { sha: string } }>('/api/photos/:sha/upload', async (req) => {
    const a = await actorOf(req)
    const sha = req.params.sha
    if (!SHA.test(sha))
      throw badRequest('bad-hash', 'a photo is addressed by its SHA-256, 64 hex digits')
    if (
      (await exists(join(photosDir(ctx.config.dataDir), sha))) &&
      (await mayReadPhoto(ctx.db, a, sha))
    )
      return { sha256: sha, complete: true, received: null }
    const p = partial(sha)
    return { sha256: sha, complete: false, received: (await exists(p)) ? (await stat(p)).size : 0 }
  })

  app.get<{ Params: { sha: string } }>('/api/photos/:sha', async (req, reply) => {
    const a = await actorOf(req)
    const sha = req.params.sha
    if (!SHA.test(sha))
      throw badRequest('bad-hash', 'a photo is addressed by its SHA-256, 64 hex digits')
    if (!(await mayReadPhoto(ctx.db, a, sha))) throw notFound(`no photo ${sha}`)
    const [row] = await ctx.db.query<{ mime: string }>(
      'SELECT mime FROM photos WHERE sha256 = $1',
      [sha],
    )
    if (!row) throw notFound(`no photo ${sha}`)
    const bytes = await readFile(join(photosDir(ctx.config.dataDir), sha))
    return reply
      .header('content-type', row.mime)
      .header('cache-control', 'private, max-age=31536000, immutable')
      .send(bytes)
  })
}

/**
 * `--backup FILE` / `--restore FILE`: one zip holding the database and the photos.
 * - PostgreSQL: `pg_dump --format=custom` of DATABASE_URL (part `database.pgdump`), restored
 *   with `pg_restore` into an empty database.
 * - PGlite: a consistent copy of its data folder, taken between two operations (part
 *   `pglite.tar.gz`), restored into an empty DATA_DIR.
 * Photos are content-addressed files (`photos/<sha256>`). A restore refuses a target that
 * already holds data, so it never mixes two databases.
 */
import { spawn } from 'node:child_process'
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate'
import type { Context, ServerConfig } from './context'
import { openDatabase } from './db'
import { photosDir } from './photos'

function run(cmd: string, args: string[], input?: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    const out: Buffer[] = []
    const err: Buffer[] = []
    p.stdout.on('data', (b: Buffer) => out.push(b))
    p.stderr.on('data', (b: Buffer) => err.push(b))
    p.on('error', reject)
    p.on('close', (code) =>
      code === 0
        ? resolve(new Uint8Array(Buffer.concat(out)))
        : reject(new Error(`${cmd} failed (${code}): ${Buffer.concat(err).toString().trim()}`)),
    )
    p.stdin.end(input ? Buffer.from(input) : undefined)
  })
}

/** pg_dump and pg_restore: PATH, or Debian's PostgreSQL 15 folder. */
async function pgTool(name: string): Promise<string> {
  const debian = `/usr/lib/postgresql/15/bin/${name}`
  try {
    await stat(debian)
    return debian
  } catch {
    return name
  }
}

export async function backup(
  ctx: Context & { config: ServerConfig & { databaseUrl?: string | undefined } },
  file: string,
): Promise<void> {
  const parts: Zippable = {}
  const manifest = {
    format: 'ct-store-eval-server-backup',
    version: 1,
    engine: ctx.db.engine,
    at: new Date().toISOString(),
  }
  if (ctx.db.engine === 'pglite') {
    parts['pglite.tar.gz'] = [await ctx.db.dumpDataDir!(), { level: 0 }]
  } else {
    if (!ctx.config.databaseUrl) throw new Error('backup: DATABASE_URL is needed for pg_dump')
    parts['database.pgdump'] = [
      await run(await pgTool('pg_dump'), [
        '--format=custom',
        '--no-owner',
        `--dbname=${ctx.config.databaseUrl}`,
      ]),
      { level: 0 },
    ]
  }
  const dir = photosDir(ctx.config.dataDir)
  let names: string[]
  try {
    names = (await readdir(dir)).filter((n) => /^[0-9a-f]{64}$/.test(n))
  } catch {
    names = []
  }
  for (const n of names)
    parts[`photos/${n}`] = [new Uint8Array(await readFile(join(dir, n))), { level: 0 }]
  parts['manifest.json'] = strToU8(JSON.stringify({ ...manifest, photos: names.length }, null, 2))
  const tmp = `${file}.${process.pid}.tmp`
  await writeFile(tmp, zipSync(parts))
  await rename(tmp, file)
}

export async function restore(
  config: ServerConfig & { databaseUrl?: string | undefined },
  file: string,
): Promise<void> {
  const parts = unzipSync(new Uint8Array(await readFile(file)))
  const manifest = JSON.parse(strFromU8(parts['manifest.json'] ?? strToU8('{}'))) as {
    format?: string
    engine?: string
  }
  if (manifest.format !== 'ct-store-eval-server-backup')
    throw new Error(`restore: ${file} is not a server backup`)
  const target = config.databaseUrl ? 'postgresql' : 'pglite'
  if (manifest.engine !== target)
    throw new Error(
      `restore: the backup is of ${manifest.engine}, the target is ${target}${target === 'postgresql' ? ' (unset DATABASE_URL to restore into PGlite)' : ' (set DATABASE_URL to restore into PostgreSQL)'}`,
    )
  if (target === 'postgresql') {
    const db = await openDatabase({ databaseUrl: config.databaseUrl })
    const [t] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'",
    )
    await db.close()
    if ((t?.n ?? 0) > 0)
      throw new Error('restore: the target database is not empty; restore into a new database')
    await run(
      await pgTool('pg_restore'),
      ['--no-owner', '--exit-on-error', `--dbname=${config.databaseUrl}`],
      parts['database.pgdump'],
    )
  } else {
    const dir = join(config.dataDir, 'pglite')
    try {
      if ((await readdir(dir)).length > 0)
        throw new Error('restore: DATA_DIR/pglite is not empty; restore into a new DATA_DIR')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
    }
    const db = await openDatabase({ pgliteDir: dir, loadDataDir: parts['pglite.tar.gz']! })
    await db.close()
  }
  const photos = photosDir(config.dataDir)
  await mkdir(photos, { recursive: true })
  for (const [name, bytes] of Object.entries(parts)) {
    if (!name.startsWith('photos/')) continue
    const sha = name.slice('photos/'.length)
    if (!/^[0-9a-f]{64}$/.test(sha)) continue
    await writeFile(join(photos, `.${sha}.tmp`), bytes)
    await rename(join(photos, `.${sha}.tmp`), join(photos, sha))
  }
}

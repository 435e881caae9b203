/**
 * `npm run server [-- --demo | --create-admin NAME | --backup FILE | --restore FILE]`
 *
 * PORT (8787), HOST (127.0.0.1), DATA_DIR (./data), DATABASE_URL (PostgreSQL; without it an
 * embedded PostgreSQL, PGlite, lives in DATA_DIR/pglite), APP_ORIGIN (the app's origin for
 * CORS), TRUST_PROXY=1 behind a reverse proxy.
 */
import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { buildApp } from './app'
import { DEFAULT_AUTH } from './auth'
import { backup, restore } from './backup'
import type { Context, ServerConfig } from './context'
import { openDatabase, type Database } from './db'
import { loadDemo } from './demo'
import { scheduleHousekeeping } from './housekeeping'
import { migrate } from './migrate'
import { Rubrics } from './rubrics'
import { createUser } from './users'

export function configFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): ServerConfig & { databaseUrl?: string | undefined } {
  return {
    dataDir: resolve(env.DATA_DIR ?? 'data'),
    appOrigin: env.APP_ORIGIN || undefined,
    auth: DEFAULT_AUTH,
    maxPhotoBytes: 10 * 1024 * 1024,
    maxBundleBytes: 512 * 1024 * 1024,
    trustProxy: env.TRUST_PROXY === '1',
    databaseUrl: env.DATABASE_URL || undefined,
  }
}

export async function openContext(config: ReturnType<typeof configFromEnv>): Promise<Context> {
  const db: Database = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: resolve(config.dataDir, 'pglite'),
  })
  try {
    await migrate(db)
  } catch (e) {
    await db.close()
    throw e
  }
  return { db, rubrics: await Rubrics.fromDir(), config }
}

const USAGE =
  'usage: npm run server [-- --demo] [-- --create-admin NAME] [-- --backup FILE] [-- --restore FILE]'

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      demo: { type: 'boolean' },
      'create-admin': { type: 'string' },
      backup: { type: 'string' },
      restore: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  })
  if (values.help) {
    console.log(USAGE)
    return 0
  }
  const config = configFromEnv()
  if (values.restore) {
    await restore(config, resolve(values.restore))
    console.log(`server: restored ${values.restore}`)
    return 0
  }
  const ctx = await openContext(config)
  if (values.backup) {
    await backup(ctx, resolve(values.backup))
    await ctx.db.close()
    console.log(`server: backup written to ${values.backup}`)
    return 0
  }
  if (values['create-admin']) {
    const username = values['create-admin']
    // Never a default password: a random one, shown once.
    const password = process.env.ADMIN_PASSWORD || randomBytes(12).toString('base64url')
    await ctx.db.tx((sql) =>
      createUser(
        sql,
        config.auth,
        null,
        { username, displayName: username, password, roles: [{ role: 'admin', unit: 'group' }] },
        { userId: null, username: 'cli', deviceId: null },
      ),
    )
    await ctx.db.close()
    console.log(
      `server: admin ${username} created${process.env.ADMIN_PASSWORD ? '' : ` with password ${password} (change it after signing in)`}`,
    )
    return 0
  }
  if (values.demo) {
    const d = await loadDemo(ctx)
    console.log(
      `server: demo province loaded (${d.stores} stores, ${d.evaluations} evaluations); new accounts: ${d.accounts.join(', ') || 'none'}`,
    )
  }
  const app = await buildApp(ctx)
  const port = Number(process.env.PORT ?? 8787)
  const host = process.env.HOST ?? '127.0.0.1'
  await app.listen({ port, host })
  console.log(
    `server: listening on http://${host}:${port} (${ctx.db.engine}${ctx.db.engine === 'pglite' ? ` in ${config.dataDir}` : ''})`,
  )
  const stopHousekeeping = scheduleHousekeeping(ctx.db, config.auth, (line) => console.log(line))
  const stop = async () => {
    stopHousekeeping()
    await app.close()
    await ctx.db.close()
    process.exit(0)
  }
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
  return -1
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      if (code >= 0) process.exit(code)
    },
    (e: unknown) => {
      process.stderr.write(`server: ${(e as Error).message}\n`)
      process.exit(1)
    },
  )
}

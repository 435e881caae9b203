/**
 * A real sync server process for the e2e tests (issue 13): `src/server/main.ts --demo` on PGlite
 * in a temporary DATA_DIR, or on a fresh database of the test PostgreSQL (TEST_DATABASE_URL, as
 * CI has it), on a free port, and a second preview server over the already built app (dist-e2e)
 * that proxies /api to it, so the app reaches the API on its own origin (its CSP allows
 * connect-src 'self' only, as a deployment behind one reverse proxy does).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { preview, type PreviewServer } from 'vite'
import { freshPgDatabase, hasTestPostgres } from '../../helpers/pg'

export type SyncEngine = 'pglite' | 'postgresql'

/** Both engines where CI has PostgreSQL (TEST_DATABASE_URL), PGlite alone otherwise. */
export const SYNC_ENGINES: readonly SyncEngine[] = hasTestPostgres()
  ? ['pglite', 'postgresql']
  : ['pglite']
/** One engine: PostgreSQL where there is one (the production engine), else PGlite. */
export const PREFERRED_ENGINE: SyncEngine = hasTestPostgres() ? 'postgresql' : 'pglite'

export interface SyncServer {
  /** The app's origin (preview with the /api proxy). */
  appURL: string
  /** The API's own address (for the test's direct calls, e.g. an admin revoking a device). */
  apiURL: string
  engine: SyncEngine
  stop(): Promise<void>
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const a = s.address()
      const port = typeof a === 'object' && a ? a.port : 0
      s.close(() => resolve(port))
    })
  })
}

export async function startSyncServer(engine: SyncEngine = 'pglite'): Promise<SyncServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sse-sync-'))
  const pgdb = engine === 'postgresql' ? await freshPgDatabase() : null
  const port = await freePort()
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
  }
  delete env.DATABASE_URL
  if (pgdb) env.DATABASE_URL = pgdb.url
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/server/main.ts', '--demo'],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let log = ''
  child.stdout?.on('data', (d) => (log += String(d)))
  child.stderr?.on('data', (d) => (log += String(d)))
  const apiURL = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 120_000
  for (;;) {
    if (child.exitCode !== null) {
      await pgdb?.drop()
      throw new Error(`sync server exited: ${log}`)
    }
    if (/listening on/.test(log)) break
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      await pgdb?.drop()
      throw new Error(`sync server did not start: ${log}`)
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  const server: PreviewServer = await preview({
    configFile: 'vite.config.ts',
    logLevel: 'warn',
    build: { outDir: process.env.E2E_OUT_DIR ?? 'dist-e2e' },
    preview: {
      port: 0,
      host: '127.0.0.1',
      strictPort: false,
      proxy: { '/api': { target: apiURL, changeOrigin: false } },
    },
  })
  const a = server.httpServer.address()
  if (!a || typeof a === 'string') throw new Error('preview server has no port')
  return {
    appURL: `http://127.0.0.1:${a.port}`,
    apiURL,
    engine,
    async stop() {
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()))
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await exited
      }
      await pgdb?.drop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** Signs in through the API directly (the test acting as an admin, not as a device). */
export async function apiToken(
  apiURL: string,
  username: string,
  password: string,
): Promise<string> {
  const r = await fetch(`${apiURL}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  if (!r.ok) throw new Error(`sign-in ${username}: ${r.status} ${await r.text()}`)
  return ((await r.json()) as { token: string }).token
}

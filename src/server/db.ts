/**
 * One query interface over real PostgreSQL (`pg`, through DATABASE_URL) and the embedded one
 * (PGlite, in the data folder). Every SQL statement of the server goes through `Sql`; nothing
 * above this file knows which engine runs.
 *
 * PGlite is one connection in one process: its wrapper runs one query or transaction at a time
 * (a queue), so a transaction never interleaves with another caller's statements. Row locks
 * are then trivially held; on PostgreSQL they are real and the pool gives each transaction its
 * own connection.
 */
import { mkdir } from 'node:fs/promises'
import pg from 'pg'

export type Row = Record<string, unknown>

export interface Sql {
  query<T extends Row = Row>(text: string, params?: readonly unknown[]): Promise<T[]>
}

export interface Database extends Sql {
  readonly engine: 'postgresql' | 'pglite'
  /** Runs `fn` in one transaction: commit when it resolves, rollback when it throws. */
  tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T>
  /** Several statements separated by `;` (migrations), outside any caller's transaction. */
  exec(text: string): Promise<void>
  close(): Promise<void>
  /** PGlite only: a consistent copy of its data folder (gzipped tar), taken between operations. */
  dumpDataDir?(): Promise<Uint8Array>
}

/** SQLSTATEs worth a retry: serialization failure and deadlock (PostgreSQL picks a victim). */
const RETRYABLE = new Set(['40001', '40P01'])

export function isRetryable(e: unknown): boolean {
  return RETRYABLE.has(String((e as { code?: unknown }).code ?? ''))
}

class PgDatabase implements Database {
  readonly engine = 'postgresql' as const
  constructor(private readonly pool: pg.Pool) {}

  async query<T extends Row>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    const r = await this.pool.query(text, params as unknown[])
    return r.rows as T[]
  }

  async tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect()
      let broken = false
      try {
        await client.query('BEGIN')
        const sql: Sql = {
          query: async <R extends Row>(text: string, params: readonly unknown[] = []) =>
            (await client.query(text, params as unknown[])).rows as R[],
        }
        const out = await fn(sql)
        await client.query('COMMIT')
        return out
      } catch (e) {
        try {
          await client.query('ROLLBACK')
        } catch {
          broken = true
        }
        if (attempt < 4 && isRetryable(e)) continue
        throw e
      } finally {
        client.release(broken)
      }
    }
  }

  async exec(text: string): Promise<void> {
    await this.pool.query(text)
  }

  close(): Promise<void> {
    return this.pool.end()
  }
}

interface PGliteLike {
  query<T>(text: string, params?: unknown[]): Promise<{ rows: T[] }>
  exec(text: string): Promise<unknown>
  transaction<T>(
    fn: (tx: { query<R>(t: string, p?: unknown[]): Promise<{ rows: R[] }> }) => Promise<T>,
  ): Promise<T>
  close(): Promise<void>
  dumpDataDir(compression: 'gzip'): Promise<Blob>
}

class PgliteDatabase implements Database {
  readonly engine = 'pglite' as const
  private queue: Promise<unknown> = Promise.resolve()
  constructor(private readonly db: PGliteLike) {}

  /** One operation at a time: PGlite is a single connection. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn)
    this.queue = run.catch(() => undefined)
    return run
  }

  query<T extends Row>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.serial(async () => (await this.db.query<T>(text, [...params])).rows)
  }

  tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    return this.serial(() =>
      this.db.transaction(async (t) =>
        fn({
          query: async <R extends Row>(text: string, params: readonly unknown[] = []) =>
            (await t.query<R>(text, [...params])).rows,
        }),
      ),
    )
  }

  async exec(text: string): Promise<void> {
    await this.serial(() => this.db.exec(text))
  }

  close(): Promise<void> {
    return this.serial(() => this.db.close())
  }

  dumpDataDir(): Promise<Uint8Array> {
    return this.serial(
      async () => new Uint8Array(await (await this.db.dumpDataDir('gzip')).arrayBuffer()),
    )
  }
}

// int8 (bigint) as a JS number: versions and ids stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v))

export interface OpenOptions {
  databaseUrl?: string | undefined
  /** PGlite's folder; `memory://` for a throwaway in-memory database (tests). */
  pgliteDir?: string
  poolSize?: number
  /** PGlite: start from this data folder copy (a restore). */
  loadDataDir?: Uint8Array
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 })
    // An idle client's error (server restarted) must not crash the process.
    pool.on('error', () => undefined)
    return new PgDatabase(pool)
  }
  const dir = opts.pgliteDir ?? 'memory://'
  if (!dir.startsWith('memory://')) await mkdir(dir, { recursive: true })
  const { PGlite } = await import('@electric-sql/pglite')
  const db = (await PGlite.create(
    dir,
    opts.loadDataDir ? { loadDataDir: new Blob([new Uint8Array(opts.loadDataDir)]) } : {},
  )) as unknown as PGliteLike
  // PGlite returns int8 as bigint by default in some versions; make it a number as pg does.
  return new PgliteDatabase(db)
}

/**
 * Numbered, append-only SQL migrations (src/server/migrations/NNNN_name.sql), each applied once
 * in its own transaction. The server refuses a database whose applied list is not a prefix of
 * the known one (a newer server's database, or a migration renamed after it ran).
 */
import { readdir, readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Database } from './db'

export interface Migration {
  id: number
  name: string
  sql: string
}

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url))

export async function knownMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[a-z0-9_-]+\.sql$/.test(f)).sort()
  const out: Migration[] = []
  for (const [i, f] of files.entries()) {
    const id = Number(f.slice(0, 4))
    if (id !== i + 1) throw new Error(`migration ${f}: expected number ${i + 1}`)
    out.push({ id, name: f.replace(/\.sql$/, ''), sql: await readFile(`${dir}/${f}`, 'utf8') })
  }
  return out
}

export class MigrationMismatch extends Error {}

/** Applies what is missing; returns the names applied now. */
export async function migrate(db: Database, known?: Migration[]): Promise<string[]> {
  const list = known ?? (await knownMigrations())
  await db.exec(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
       id int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
  )
  const done: string[] = []
  for (;;) {
    // Each step re-reads the list inside its transaction, under a lock, so two processes
    // starting at once apply each migration once.
    const applied = await db.tx(async (sql) => {
      await sql.query('LOCK TABLE schema_migrations IN EXCLUSIVE MODE')
      const rows = await sql.query<{ id: number; name: string }>(
        'SELECT id, name FROM schema_migrations ORDER BY id',
      )
      rows.forEach((r, i) => {
        const k = list[i]
        if (!k || k.id !== r.id || k.name !== r.name)
          throw new MigrationMismatch(
            `the database has migration ${r.id} ${r.name}, which this server does not know ` +
              `(known: ${list.map((m) => m.name).join(', ') || 'none'}); refusing to start`,
          )
      })
      const next = list[rows.length]
      if (!next) return null
      for (const stmt of splitStatements(next.sql)) await sql.query(stmt)
      await sql.query('INSERT INTO schema_migrations (id, name) VALUES ($1, $2)', [
        next.id,
        next.name,
      ])
      return next.name
    })
    if (applied === null) return done
    done.push(applied)
  }
}

/**
 * Splits a migration into statements at `;` line ends, keeping `$$ … $$` bodies whole (the
 * extended protocol runs one statement per call, and a transaction needs the same connection).
 */
export function splitStatements(sql: string): string[] {
  const out: string[] = []
  let cur = ''
  let inDollar = false
  for (const line of sql.split('\n')) {
    if (!inDollar && /^\s*--/.test(line)) continue
    cur += `${line}\n`
    const dollars = (line.match(/\$\$/g) ?? []).length
    if (dollars % 2 === 1) inDollar = !inDollar
    if (!inDollar && /;\s*$/.test(line)) {
      const stmt = cur.trim().replace(/;$/, '')
      if (stmt) out.push(stmt)
      cur = ''
    }
  }
  if (cur.trim()) out.push(cur.trim())
  return out
}

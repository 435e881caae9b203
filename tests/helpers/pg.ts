/**
 * Test PostgreSQL: a fresh, empty database per caller on the server named by TEST_DATABASE_URL
 * (CI starts one; `.ci/run`), dropped afterwards. Shared by the server suite (tests/server) and
 * the e2e sync server (tests/e2e/support/sync-server.ts).
 */
import pg from 'pg'

export const hasTestPostgres = (): boolean => Boolean(process.env.TEST_DATABASE_URL)

export async function freshPgDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL
  if (!base) throw new Error('TEST_DATABASE_URL is not set')
  const name = `t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
  const admin = new pg.Client({ connectionString: base })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const u = new URL(base)
  u.pathname = `/${name}`
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await c.end()
    },
  }
}

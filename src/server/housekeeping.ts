/**
 * The server's periodic upkeep, run at start and every few hours by `main.ts`:
 * - tombstones (deleted records) older than `tombstoneDays` are purged. The purge moves the
 *   sync horizon, so a device that has not synced since then starts its pull again from the
 *   beginning instead of missing a deletion (see `purgeTombstones`);
 * - failed sign-ins older than the rate-limit window are forgotten: they can no longer count.
 */
import type { AuthConfig } from './auth'
import type { Database } from './db'
import { purgeTombstones } from './sync'

export interface HousekeepingConfig {
  tombstoneDays: number
}

export const DEFAULT_HOUSEKEEPING: HousekeepingConfig = { tombstoneDays: 90 }

export interface HousekeepingReport {
  tombstones: number
  loginFailures: number
}

export async function housekeep(
  db: Database,
  auth: AuthConfig,
  cfg: HousekeepingConfig = DEFAULT_HOUSEKEEPING,
): Promise<HousekeepingReport> {
  // The newest version written before the cutoff: every tombstone at or below it is old enough.
  const [cut] = await db.query<{ v: string | null }>(
    `SELECT max(version)::text AS v FROM records
      WHERE updated_at < now() - make_interval(days => $1)`,
    [cfg.tombstoneDays],
  )
  const tombstones = cut?.v ? await purgeTombstones(db, Number(cut.v)) : 0
  const gone = await db.query<{ n: number }>(
    `WITH d AS (DELETE FROM login_failures WHERE at < now() - make_interval(secs => $1) RETURNING 1)
     SELECT count(*)::int AS n FROM d`,
    [auth.login.windowMs / 1000],
  )
  return { tombstones, loginFailures: gone[0]?.n ?? 0 }
}

/** Runs `housekeep` now and every `everyMs`; returns the function that stops it. */
export function scheduleHousekeeping(
  db: Database,
  auth: AuthConfig,
  log: (line: string) => void,
  everyMs = 6 * 3600_000,
): () => void {
  const run = () =>
    housekeep(db, auth).then(
      (r) => {
        if (r.tombstones || r.loginFailures)
          log(
            `server: housekeeping removed ${r.tombstones} tombstones, ${r.loginFailures} old failed sign-ins`,
          )
      },
      (e: unknown) => log(`server: housekeeping failed: ${(e as Error).message}`),
    )
  void run()
  const timer = setInterval(run, everyMs)
  timer.unref()
  return () => clearInterval(timer)
}

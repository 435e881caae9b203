/**
 * FROZEN: the Dexie declarations of every schema version that has shipped, copied here by hand
 * when the version shipped and never edited after. Nothing here is imported from schema.ts:
 * this is the record of what browsers out there hold, so the upgrade tests build their "old"
 * databases from it (tests/integration/db-upgrade.test.ts, tests/e2e/faults-old-schema.test.ts)
 * and tests/integration/db-schema-history.test.ts fails if schema.ts edits a shipped version.
 *
 * When a new version ships, append its declaration here, copied, not imported. Only the
 * tables and indexes are frozen; the upgrade functions are today's code in schema.ts, which is
 * what a device runs when it opens an old database.
 *
 * Read by tests only; the app does not import it.
 */
export interface ShippedVersion {
  readonly version: number
  /** Only the tables that changed in this version (null: the table was dropped). */
  readonly stores: Readonly<Record<string, string | null>>
}

const SHIPPED: ShippedVersion[] = [
  {
    version: 1,
    stores: {
      stores: 'code, province, city, [province+city], level, type, name',
      evaluations: 'id, storeCode, period, [storeCode+period], status, reviewer',
      photos: 'id, evaluationId',
      certification: 'id, kind, period, [period+unit], storeCode',
      meta: 'key',
    },
  },
  {
    version: 2,
    stores: {
      evaluations:
        'id, storeCode, period, [storeCode+period], status, reviewer, revisionOf, updatedAt',
      photos: 'id, evaluationId, [evaluationId+itemId]',
      actions: 'id, storeCode, evaluationId, status, [storeCode+status]',
    },
  },
  {
    version: 3,
    stores: {
      results: '[period+evaluationId], &evaluationId, storeCode, [storeCode+period]',
      rankingPacks: '[period+stamp]',
    },
  },
  {
    version: 4,
    stores: {
      outbox: 'key, kind, order',
      syncVersions: 'key',
    },
  },
]

export const SHIPPED_VERSIONS: readonly ShippedVersion[] = Object.freeze(SHIPPED)

/** Declares the shipped versions up to `upTo` (declarations only) on a fresh Dexie instance. */
export function declareShipped(
  db: { version(n: number): { stores(s: Record<string, string | null>): unknown } },
  upTo: number,
): void {
  for (const v of SHIPPED_VERSIONS) if (v.version <= upTo) db.version(v.version).stores(v.stores)
}

/** The tables a database of shipped version `upTo` has, sorted. */
export function shippedTables(upTo: number): string[] {
  const tables = new Set<string>()
  for (const v of SHIPPED_VERSIONS) {
    if (v.version > upTo) break
    for (const [name, spec] of Object.entries(v.stores))
      if (spec === null) tables.delete(name)
      else tables.add(name)
  }
  return [...tables].sort()
}

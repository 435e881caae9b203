/**
 * The storage marker's shape (src/domain/storage-check.ts has the rule that reads it). Kept in a
 * file of its own so the zod schema loads only when a marker is read, not with the first page.
 *
 * The marker comes from storage a hostile page or extension can write, so it is parsed, not
 * trusted: a marker that does not parse counts as none.
 */
import { z } from 'zod'

const count = z.number().int().min(0).max(1e9)

export const storageMarkerSchema = z.object({
  v: z.literal(1),
  /** The id of the database the marker describes (meta `databaseId`). */
  databaseId: z.string().min(1).max(100),
  /** When the snapshot below was taken. */
  at: z.string().max(40),
  counts: z.object({
    stores: count,
    evaluations: count,
    drafts: count,
    photos: count,
    actions: count,
  }),
  /** The demo province was loaded on this database. */
  demo: z.boolean(),
  /** The last full backup written from this database, if any. */
  lastBackupAt: z.string().max(40).nullable(),
  /** Evaluations changed after the last backup (all of them when there was none). */
  changedSinceBackup: count,
  /** The sync server this database was connected to, and the changes not yet uploaded. */
  server: z.object({ url: z.string().max(500), user: z.string().max(200) }).nullable(),
  unsynced: count,
})

export type StorageMarker = z.infer<typeof storageMarkerSchema>

/** The marker as read from storage: null when absent or unreadable. */
export function parseStorageMarker(raw: string | null | undefined): StorageMarker | null {
  if (!raw) return null
  let json: unknown
  try {
    json = JSON.parse(raw)
  } catch {
    return null
  }
  const parsed = storageMarkerSchema.safeParse(json)
  return parsed.success ? parsed.data : null
}

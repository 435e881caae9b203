/**
 * What a backup's settings rows (meta.json) may hold, checked row by row before a restore. The
 * rest of a backup is checked like any bundle (io/bundle: a zod schema per table, SHA-256 of
 * every part against the manifest, the optional device signature); this is the part the bundle
 * reader cannot judge, because each row's value depends on its key.
 *
 * Three kinds of keys:
 * - restored: the data's own settings, each value with its schema (carried rubric versions are
 *   checked as fully as a rubric file, so a poisoned `importedRubrics: 5` cannot reach the form);
 * - skipped: rows an older app version wrote that describe the old device's connection to a
 *   server (a session token, the sync cursor): a restored device signs in again;
 * - refused: anything else, and in particular `trustedDevices` and the device's own identity and
 *   key. Which device keys to trust is decided on this device, when a signed bundle is imported
 *   (trust on first use); a file that brings a ready-made trust list could make an impostor's
 *   key trusted, so such a backup is refused whole.
 */
import { z } from 'zod'
import { validateRubric } from './rubric-validate'
import type { Rubric } from './rubric-schema'

const iso = z.iso.datetime({ offset: true })

const restored = {
  databaseId: z.string().min(1).max(100),
  demoLoaded: z.strictObject({ at: iso, seed: z.number().int().nullable() }),
  lastBackupAt: iso,
  exportedEvaluations: z.record(z.string().min(1).max(200), iso),
  importedRubrics: z.array(z.unknown()).max(1000),
  /** What each receiver was last sent (incremental bundles, domain/incremental.ts). */
  bundleReceivers: z.record(
    z.string().min(1).max(100),
    z.strictObject({
      at: iso,
      sent: z.record(z.string().min(1).max(300), z.string().regex(/^[0-9a-f]{1,64}$/)),
    }),
  ),
} as const

const SKIPPED = new Set([
  'serverSession',
  'syncCursor',
  'syncSeq',
  'syncInflight',
  'syncWantedPhotos',
])

export type RestoredMetaKey = keyof typeof restored

/** The keys a backup writes and a restore takes back. */
export const RESTORED_META_KEYS = Object.keys(restored) as RestoredMetaKey[]

export interface BackupMetaProblem {
  /** e.g. `importedRubrics[0].sections[2].weight` */
  path: string
  message: string
}

export type BackupMetaCheck =
  | { ok: true; rows: { key: RestoredMetaKey; value: unknown }[]; skipped: string[] }
  | { ok: false; problem: BackupMetaProblem }

const isRestored = (key: string): key is RestoredMetaKey => Object.hasOwn(restored, key)

/** Checks every row; the first problem refuses the whole backup. */
export function checkBackupMeta(rows: readonly { key: string; value: unknown }[]): BackupMetaCheck {
  const out: { key: RestoredMetaKey; value: unknown }[] = []
  const skipped: string[] = []
  const seen = new Set<string>()
  for (const { key, value } of rows) {
    if (seen.has(key)) return fail(key, 'the key appears twice')
    seen.add(key)
    if (key === 'trustedDevices')
      return fail(key, 'a backup cannot bring trusted device keys; they are learnt on this device')
    if (SKIPPED.has(key)) {
      skipped.push(key)
      continue
    }
    if (!isRestored(key)) return fail(key, 'not a setting a backup may restore')
    const parsed = restored[key].safeParse(value)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!
      return fail(pathOf(key, issue.path), issue.message)
    }
    if (key === 'importedRubrics') {
      const rubrics: Rubric[] = []
      for (const [i, raw] of (parsed.data as unknown[]).entries()) {
        const v = validateRubric(raw)
        if (!v.ok) {
          const e = v.errors[0]!
          return fail(`importedRubrics[${i}]${e.path ? `.${e.path}` : ''}`, e.message)
        }
        rubrics.push(v.rubric)
      }
      out.push({ key, value: rubrics })
    } else out.push({ key, value: parsed.data })
  }
  return { ok: true, rows: out, skipped }
}

function fail(path: string, message: string): BackupMetaCheck {
  return { ok: false, problem: { path, message } }
}

function pathOf(key: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (s, p) => (typeof p === 'number' ? `${s}[${p}]` : `${s}.${String(p)}`),
    key,
  )
}

/**
 * When to remind the user to back up: the last backup is older than a week (or there never was
 * one) and there are evaluations submitted but never sent up in a bundle. Those exist only on
 * this tablet; losing it loses them. The clock is passed in.
 */
export const BACKUP_MAX_AGE_DAYS = 7

export interface ReminderInput {
  now: Date
  lastBackupAt: string | null
  /** Submitted (or returned) evaluations never included in an exported bundle. */
  unsent: number
}

export interface Reminder {
  due: boolean
  /** Whole days since the last backup; null if there never was one. */
  daysSinceBackup: number | null
  unsent: number
}

export function backupReminder({ now, lastBackupAt, unsent }: ReminderInput): Reminder {
  const last = lastBackupAt === null ? NaN : Date.parse(lastBackupAt)
  const days = Number.isNaN(last) ? null : Math.floor((now.getTime() - last) / 86_400_000)
  const stale = days === null || now.getTime() - last > BACKUP_MAX_AGE_DAYS * 86_400_000
  return { due: stale && unsent > 0, daysSinceBackup: days, unsent }
}

/** Ids of locked evaluations (submitted or returned) that no export has included yet. */
export function unsentIds(
  lockedIds: readonly string[],
  exported: Readonly<Record<string, string>>,
): string[] {
  return lockedIds.filter((id) => exported[id] === undefined)
}

/**
 * The backup reminder's figures (the home page and /exchange): when the last backup was made and
 * how many locked evaluations have left this device in no bundle. Apart from backup.repo.ts so
 * the home page reads them without loading the bundle code.
 */
import { backupReminder, unsentIds, type Reminder } from '@/domain/backup-reminder'
import type { AppDatabase } from './rows'
import { createMetaRepo } from './meta.repo'
import { systemClock, type Clock } from './util'

export function createReminderRepo(db: AppDatabase, clock: Clock = systemClock) {
  const meta = createMetaRepo(db)
  return {
    async reminder(): Promise<Reminder> {
      const locked = await db.evaluations
        .where('status')
        .anyOf('submitted', 'returned')
        .primaryKeys()
      const exported = (await meta.get('exportedEvaluations')) ?? {}
      const last = (await meta.get('lastBackupAt')) ?? null
      return backupReminder({
        now: clock(),
        lastBackupAt: last,
        unsent: unsentIds(locked, exported).length,
      })
    },

    lastBackupAt: async (): Promise<string | null> => (await meta.get('lastBackupAt')) ?? null,
  }
}

export type ReminderRepo = ReturnType<typeof createReminderRepo>

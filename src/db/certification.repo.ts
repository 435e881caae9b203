/** The record of certification steps, overrides and send-backs (issue 5): who, what, when. */
import type { CertificationEntry } from '@/domain/records'
import type { AppDatabase } from './rows'
import { guardQuota } from './errors'
import { newId, plain, systemClock, type Clock } from './util'

export type NewCertificationEntry = Omit<CertificationEntry, 'id' | 'at'>

export function createCertificationRepo(db: AppDatabase, clock: Clock = systemClock) {
  return {
    async add(entry: NewCertificationEntry): Promise<CertificationEntry> {
      // Payloads come from the UI (maybe reactive proxies): written as plain data.
      const row: CertificationEntry = {
        ...plain(entry),
        id: newId(),
        at: clock().toISOString(),
      }
      await guardQuota(() => db.certification.add(row))
      return row
    },

    /** Entries of a period (optionally one unit), in the order they were made. */
    async list(period: string, unit?: string): Promise<CertificationEntry[]> {
      const rows =
        unit === undefined
          ? await db.certification.where('period').equals(period).toArray()
          : await db.certification.where('[period+unit]').equals([period, unit]).toArray()
      return rows.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id))
    },

    listByStore(storeCode: string): Promise<CertificationEntry[]> {
      return db.certification.where('storeCode').equals(storeCode).sortBy('at')
    },
  }
}

export type CertificationRepo = ReturnType<typeof createCertificationRepo>

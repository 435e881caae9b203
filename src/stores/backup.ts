/** Full backups and restore for the /exchange page, and the home page's backup reminder. */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { repos } from '@/db/repos'
import { NotEmptyError, type RestoreResult } from '@/db/backup.repo'
import { blobSource, type BundleError } from '@/io/bundle'
import type { Reminder } from '@/domain/backup-reminder'
import { blobSink, messageOf, replaceUrl, shipped, stamp, type MadeFile } from './made-file'

export const useBackupStore = defineStore('backup', () => {
  const backingUp = ref(false)
  const backupFile = shallowRef<MadeFile | null>(null)
  const restorePhase = ref<
    'idle' | 'checking' | 'refused' | 'not-empty' | 'restoring' | 'done' | 'failed'
  >('idle')
  const restoreRefusal = ref<BundleError | null>(null)
  const restoreCounts = ref<Record<string, number>>({})
  const restored = shallowRef<RestoreResult | null>(null)
  const failure = ref('')

  const reminder = shallowRef<Reminder | null>(null)
  const lastBackupAt = ref<string | null>(null)

  async function backupNow(): Promise<void> {
    backingUp.value = true
    try {
      const out = blobSink()
      const manifest = await repos().backup.backup(await shipped(), out.sink)
      replaceUrl(backupFile.value)
      backupFile.value = {
        name: `backup-${stamp(manifest.exportedAt)}.zip`,
        url: URL.createObjectURL(out.blob()),
        manifest,
      }
      await refreshReminder()
    } finally {
      backingUp.value = false
    }
  }

  async function restoreFile(file: Blob): Promise<void> {
    restoreRefusal.value = null
    restored.value = null
    failure.value = ''
    const repo = repos().backup
    if (!(await repo.isEmpty())) {
      restoreCounts.value = await repo.counts()
      restorePhase.value = 'not-empty'
      return
    }
    restorePhase.value = 'checking'
    try {
      const r = await repo.open(blobSource(file), await shipped())
      if (!r.ok) {
        restoreRefusal.value = r.error
        restorePhase.value = 'refused'
        return
      }
      restorePhase.value = 'restoring'
      restored.value = await repo.restore(r.bundle)
      restorePhase.value = 'done'
      await refreshReminder()
    } catch (e) {
      if (e instanceof NotEmptyError) {
        restoreCounts.value = e.counts
        restorePhase.value = 'not-empty'
      } else {
        failure.value = messageOf(e)
        restorePhase.value = 'failed'
      }
    }
  }

  async function refreshReminder(): Promise<void> {
    const repo = repos().backup
    reminder.value = await repo.reminder()
    lastBackupAt.value = (await repos().meta.get('lastBackupAt')) ?? null
  }

  return {
    backingUp,
    backupFile,
    restorePhase,
    restoreRefusal,
    restoreCounts,
    restored,
    failure,
    reminder,
    lastBackupAt,
    backupNow,
    restoreFile,
    refreshReminder,
  }
})

/**
 * Exchange bundles and backups for the /exchange page and the home page's reminder. The file
 * being produced is gathered into a Blob in slices (the browser may keep large Blobs on disk),
 * not in one growing array; an import reads the chosen File in slices too.
 */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { repos } from '@/db/repos'
import { type ExportSelection, type ImportPreview, type ImportResult } from '@/db/exchange.repo'
import { NotEmptyError, type RestoreResult } from '@/db/backup.repo'
import {
  blobSource,
  BundleRefused,
  type BundleError,
  type ChunkSink,
  type Manifest,
  type OpenBundle,
} from '@/io/bundle'
import { choiceKey, type Choice, type MergeItem } from '@/domain/merge'
import type { Reminder } from '@/domain/backup-reminder'
import { useRubricStore } from './rubrics'
import { useSettingsStore } from './settings'

export interface MadeFile {
  name: string
  url: string
  manifest: Manifest
}

type Phase = 'idle' | 'checking' | 'refused' | 'preview' | 'applying' | 'done' | 'failed'

/** Collects zip chunks into a Blob, folding them in every few MB so no big array builds up. */
function blobSink(): { sink: ChunkSink; blob: () => Blob } {
  let parts: BlobPart[] = []
  let pending: Uint8Array[] = []
  let pendingBytes = 0
  const fold = () => {
    parts = [new Blob([...parts, ...(pending as BlobPart[])])]
    pending = []
    pendingBytes = 0
  }
  return {
    sink: (chunk) => {
      pending.push(chunk)
      pendingBytes += chunk.byteLength
      if (pendingBytes > 8 * 1024 * 1024) fold()
    },
    blob: () => {
      fold()
      return new Blob(parts, { type: 'application/zip' })
    },
  }
}

function stamp(iso: string): string {
  return iso.replace(/[-:]/g, '').slice(0, 13)
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

export const useExchangeStore = defineStore('exchange', () => {
  const exporting = ref(false)
  const exported = shallowRef<MadeFile | null>(null)

  const phase = ref<Phase>('idle')
  const progress = ref({ done: 0, total: 0 })
  const refusal = ref<BundleError | null>(null)
  const failure = ref('')
  const preview = shallowRef<ImportPreview | null>(null)
  const choices = ref<Record<string, Choice>>({})
  const result = shallowRef<ImportResult | null>(null)
  let opened: OpenBundle | null = null

  const backingUp = ref(false)
  const backupFile = shallowRef<MadeFile | null>(null)
  const restorePhase = ref<
    'idle' | 'checking' | 'refused' | 'not-empty' | 'restoring' | 'done' | 'failed'
  >('idle')
  const restoreRefusal = ref<BundleError | null>(null)
  const restoreCounts = ref<Record<string, number>>({})
  const restored = shallowRef<RestoreResult | null>(null)

  const reminder = shallowRef<Reminder | null>(null)
  const lastBackupAt = ref<string | null>(null)

  async function shipped() {
    const rubrics = useRubricStore()
    await rubrics.load()
    return (id: string, version: string) => rubrics.get(id, version)
  }

  function replaceUrl(old: MadeFile | null): void {
    if (old) URL.revokeObjectURL(old.url)
  }

  async function exportBundle(sel: ExportSelection): Promise<void> {
    exporting.value = true
    try {
      const out = blobSink()
      const name = useSettingsStore().evaluatorName.trim()
      const repo = repos().exchange
      // A browser that cannot keep a CryptoKey (or lacks ECDSA) still exports, unsigned.
      const key = await repo.deviceKey().catch((e: unknown) => {
        console.warn('exchange: exporting unsigned, no device key:', e)
        return undefined
      })
      const manifest = await repo.exportBundle(sel, await shipped(), out.sink, {
        ...(name ? { evaluator: name } : {}),
        ...(key ? { key } : {}),
      })
      const label = [sel.province, sel.city, sel.period].filter(Boolean).join('-') || 'all'
      replaceUrl(exported.value)
      exported.value = {
        name: `bundle-${label}-${stamp(manifest.exportedAt)}.zip`,
        url: URL.createObjectURL(out.blob()),
        manifest,
      }
      await refreshReminder()
    } finally {
      exporting.value = false
    }
  }

  function resetImport(): void {
    phase.value = 'idle'
    refusal.value = null
    failure.value = ''
    preview.value = null
    choices.value = {}
    result.value = null
    opened = null
  }

  async function openFile(file: Blob): Promise<void> {
    resetImport()
    phase.value = 'checking'
    progress.value = { done: 0, total: 0 }
    try {
      const repo = repos().exchange
      const r = await repo.open(blobSource(file), await shipped(), {
        onProgress: (done, total) => (progress.value = { done, total }),
      })
      if (!r.ok) {
        refusal.value = r.error
        phase.value = 'refused'
        return
      }
      opened = r.bundle
      preview.value = await repo.preview(r.bundle)
      phase.value = 'preview'
    } catch (e) {
      failure.value = messageOf(e)
      phase.value = 'failed'
    }
  }

  function choose(item: MergeItem, choice: Choice): void {
    choices.value = { ...choices.value, [choiceKey(item.kind, item.id)]: choice }
  }

  function chooseAll(choice: Choice): void {
    const next: Record<string, Choice> = {}
    for (const c of preview.value?.conflicts ?? []) next[choiceKey(c.kind, c.id)] = choice
    choices.value = next
  }

  async function apply(): Promise<void> {
    if (!opened) return
    phase.value = 'applying'
    try {
      result.value = await repos().exchange.apply(opened, { ...choices.value })
      phase.value = 'done'
      await refreshReminder()
    } catch (e) {
      if (e instanceof BundleRefused) {
        refusal.value = e.error
        phase.value = 'refused'
      } else {
        failure.value = messageOf(e)
        phase.value = 'failed'
      }
    }
  }

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
    exporting,
    exported,
    phase,
    progress,
    refusal,
    failure,
    preview,
    choices,
    result,
    backingUp,
    backupFile,
    restorePhase,
    restoreRefusal,
    restoreCounts,
    restored,
    reminder,
    lastBackupAt,
    exportBundle,
    openFile,
    choose,
    chooseAll,
    apply,
    resetImport,
    backupNow,
    restoreFile,
    refreshReminder,
  }
})

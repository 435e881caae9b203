/**
 * Exchange bundles for the /exchange page (export, then import as preview and apply); an import
 * reads the chosen File in slices. Backups and the reminder are in ./backup.ts.
 */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { repos } from '@/db/repos'
import { type ExportSelection, type ImportPreview, type ImportResult } from '@/db/exchange.repo'
import { blobSource, BundleRefused, type BundleError, type OpenBundle } from '@/io/bundle'
import { choiceKey, type Choice, type MergeItem } from '@/domain/merge'
import type { Rubric } from '@/domain/rubric-schema'
import { useBackupStore } from './backup'
import { blobSink, messageOf, replaceUrl, shipped, stamp, type MadeFile } from './made-file'
import { useSettingsStore } from './settings'

type Phase = 'idle' | 'checking' | 'refused' | 'preview' | 'applying' | 'done' | 'failed'

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
  /** The rubric versions the opened bundle carries (the conflict view names their items). */
  const bundleRubrics = shallowRef<Rubric[]>([])
  let opened: OpenBundle | null = null

  /** The receivers bundles went to, newest first (incremental bundles). */
  const receivers = ref<{ name: string; at: string }[]>([])
  async function loadReceivers(): Promise<void> {
    receivers.value = await (await repos().exchange()).receivers()
  }

  async function exportBundle(sel: ExportSelection): Promise<void> {
    exporting.value = true
    try {
      const out = blobSink()
      const name = useSettingsStore().evaluatorName.trim()
      const repo = await repos().exchange()
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
      await loadReceivers()
    } finally {
      exporting.value = false
    }
  }

  /** The user ticked that they checked with the sender (needed when the signature contradicts the pin). */
  const acceptTrustProblem = ref(false)

  function resetImport(): void {
    phase.value = 'idle'
    refusal.value = null
    failure.value = ''
    preview.value = null
    choices.value = {}
    result.value = null
    acceptTrustProblem.value = false
    bundleRubrics.value = []
    opened = null
  }

  async function openFile(file: Blob): Promise<void> {
    resetImport()
    phase.value = 'checking'
    progress.value = { done: 0, total: 0 }
    try {
      const repo = await repos().exchange()
      const r = await repo.open(blobSource(file), await shipped(), {
        onProgress: (done, total) => (progress.value = { done, total }),
      })
      if (!r.ok) {
        refusal.value = r.error
        phase.value = 'refused'
        return
      }
      opened = r.bundle
      bundleRubrics.value = r.bundle.rubrics
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
      result.value = await (
        await repos().exchange()
      ).apply(opened, { ...choices.value }, { acceptTrustProblem: acceptTrustProblem.value })
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

  /** The reminder's "unsent" count changes with every export and import. */
  function refreshReminder(): Promise<void> {
    return useBackupStore().refreshReminder()
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
    bundleRubrics,
    acceptTrustProblem,
    exportBundle,
    receivers,
    loadReceivers,
    openFile,
    choose,
    chooseAll,
    apply,
    resetImport,
  }
})

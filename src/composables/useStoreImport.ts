/**
 * The import screen's steps: read the chosen file, parse and check it (nothing written), then,
 * only if there is no problem, write every store in one transaction.
 */
import { ref, shallowRef } from 'vue'
import { parseStoreFile, type StoreImportResult } from '@/io/store-import'
import { useStoreRegisterStore } from '@/stores/storeRegister'
import { useStoresStore } from '@/stores/stores'
import { askPersistOnce } from './persistOnce'

export type ImportPhase = 'idle' | 'reading' | 'preview' | 'importing' | 'done' | 'failed'

export function useStoreImport() {
  const register = useStoreRegisterStore()
  const stores = useStoresStore()
  const phase = ref<ImportPhase>('idle')
  const fileName = ref('')
  const result = shallowRef<StoreImportResult | null>(null)
  const imported = ref(0)
  const error = ref('')

  async function choose(file: File): Promise<void> {
    phase.value = 'reading'
    fileName.value = file.name
    result.value = null
    error.value = ''
    if (!register.loaded) await register.load()
    const bytes = new Uint8Array(await file.arrayBuffer())
    // A refresh updates registered stores (the preview says what changes). Connected, the
    // server's register is in force: codes already there are problems, not local overwrites.
    result.value = await parseStoreFile(
      bytes,
      file.name,
      stores.upkeepAllowed ? { existingStores: register.all } : { existingCodes: register.codes },
    )
    phase.value = 'preview'
  }

  async function commit(): Promise<void> {
    const r = result.value
    if (!r || r.problems.length > 0 || r.stores.length === 0) return
    phase.value = 'importing'
    try {
      imported.value = await register.importStores(r.stores)
      register.invalidateGrades()
      phase.value = 'done'
      void askPersistOnce()
    } catch (e) {
      error.value = e instanceof Error ? e.message : String(e)
      phase.value = 'failed'
    }
  }

  return {
    phase,
    fileName,
    result,
    imported,
    error,
    choose,
    commit,
    upkeepAllowed: () => stores.upkeepAllowed,
  }
}

/**
 * What the home page shows: is the database empty (offer the demo), counts, drafts to resume
 * and how many corrective actions are open.
 */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { EvaluationRow } from '@/db/database'
import { repos } from '@/db/repos'

export const useHomeStore = defineStore('home', () => {
  const loaded = ref(false)
  const stores = ref(0)
  const evaluations = ref<number | null>(null)
  const openActions = ref<number | null>(null)
  const drafts = shallowRef<EvaluationRow[]>([])
  const storeNames = ref<Record<string, string>>({})

  async function load(): Promise<void> {
    const r = repos()
    const [n, d, e, a] = await Promise.all([
      r.stores.count(),
      r.evaluations.listDrafts(),
      r.evaluations.count(),
      r.actions.countOpen(),
    ])
    stores.value = n
    drafts.value = d
    evaluations.value = e
    openActions.value = a
    const codes = [...new Set(d.map((x) => x.storeCode))]
    const found = await Promise.all(codes.map((c) => r.stores.get(c)))
    storeNames.value = Object.fromEntries(
      found.filter((s) => s !== undefined).map((s) => [s.code, s.name]),
    )
    loaded.value = true
  }

  return { loaded, stores, evaluations, openActions, drafts, storeNames, load }
})

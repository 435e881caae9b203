/**
 * The store register as the list, the edit form and the import screen need it: every store in
 * memory (20,000 are a few MB and filter instantly), add/edit by hand, all-or-nothing import,
 * and the last grade of the stores on screen, fetched only for the rows being shown.
 * Writes go through useStoresStore; this adds what the virtualised list needs on top.
 */
import { defineStore } from 'pinia'
import { computed, reactive, ref, shallowRef, watch } from 'vue'
import { repos } from '@/db/repos'
import { lastGrade } from '@/domain/store-summary'
import type { Grade, Store } from '@/domain/types'
import { usePolicyStore } from './policy'
import { useStoresStore } from './stores'

export const useStoreRegisterStore = defineStore('storeRegister', () => {
  // shallowRef: 20,000 deep-reactive stores would cost far more than the list ever needs.
  const all = shallowRef<Store[]>([])
  const loaded = ref(false)
  const grades = reactive(new Map<string, Grade | 'ungraded' | undefined>())
  const gradesAsked = new Set<string>()
  const policyStore = usePolicyStore()

  const codes = computed(() => new Set(all.value.map((s) => s.code)))

  async function load(): Promise<void> {
    all.value = await repos().stores.all()
    loaded.value = true
  }

  function get(code: string): Promise<Store | undefined> {
    return repos().stores.get(code)
  }

  /** Adds or replaces one store (hand edit); the register in memory follows. */
  async function save(store: Store): Promise<void> {
    await useStoresStore().save(store)
    const rest = all.value.filter((s) => s.code !== store.code)
    all.value = [...rest, store].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
  }

  /** Writes every store in one transaction (nothing on failure); returns how many. */
  async function importStores(stores: readonly Store[]): Promise<number> {
    const n = await useStoresStore().importStores(stores)
    await load()
    return n
  }

  /** Closes a store from a day or opens it again (null); the register in memory follows. */
  async function setClosed(code: string, day: string | null): Promise<Store> {
    const s = await useStoresStore().setClosed(code, day)
    all.value = all.value.map((x) => (x.code === code ? s : x))
    return s
  }

  /** Deletes a store that has no evaluations (StoreInUseError otherwise). */
  async function deleteUnused(code: string): Promise<void> {
    await useStoresStore().deleteUnused(code)
    all.value = all.value.filter((x) => x.code !== code)
  }

  /** Fetches the last grade of these stores once each (the virtual list asks for its visible rows). */
  async function ensureGrades(storeCodes: readonly string[]): Promise<void> {
    const todo = storeCodes.filter((c) => !gradesAsked.has(c))
    todo.forEach((c) => gradesAsked.add(c))
    const byCode = new Map(all.value.map((s) => [s.code, s]))
    await Promise.all(
      todo.map(async (code) => {
        const store = byCode.get(code)
        if (!store) return
        // The compact results carry the scores; the evaluations' answers are not needed here.
        const summaries = await repos().results.listByStore(code)
        grades.set(code, lastGrade(store, summaries, policyStore.policy))
      }),
    )
  }

  /** Forget cached grades (after an evaluation was submitted or data was loaded). */
  function invalidateGrades(): void {
    gradesAsked.clear()
    grades.clear()
  }

  // Grades are the policy's: another policy in force makes the cached ones stale.
  watch(
    () => policyStore.policy,
    () => invalidateGrades(),
  )

  return {
    all,
    loaded,
    grades,
    codes,
    load,
    get,
    save,
    importStores,
    setClosed,
    deleteUnused,
    ensureGrades,
    invalidateGrades,
  }
})

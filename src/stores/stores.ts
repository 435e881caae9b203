/**
 * The store register as the views see it: provinces → cities → stores, search, import and
 * hand edits. Stores are kept by code; lists hold codes.
 */
import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import type { DemoSummary } from '@/db/demo'
import { repos } from '@/db/repos'
import type { Store } from '@/domain/types'
import { useRubricStore } from './rubrics'
import { useSyncStore } from './sync'

export const useStoresStore = defineStore('stores', () => {
  const byCode = ref<Record<string, Store>>({})
  const total = ref(0)
  const provinces = ref<string[]>([])
  const citiesByProvince = ref<Record<string, string[]>>({})
  /** Codes of the stores of a city, keyed `province/city`. */
  const codesByCity = ref<Record<string, string[]>>({})
  const searchResults = ref<string[]>([])
  const demoLoaded = ref(false)

  const isEmpty = computed(() => total.value === 0)

  // Connected, an account sees the stores of its units only (a store manager: its store).
  const sync = useSyncStore()
  const visible = (stores: Store[]) =>
    sync.connected ? stores.filter((s) => sync.sees(s)) : stores

  // New data from the server, or another account: lists are read again.
  watch([() => sync.pulledTick, () => sync.connected], () => {
    byCode.value = {}
    searchResults.value = []
    void refresh()
  })

  function remember(all: Store[]): string[] {
    const stores = visible(all)
    for (const s of stores) byCode.value[s.code] = s
    return stores.map((s) => s.code)
  }

  /** Counts and top-level lists; call on start and after imports. */
  async function refresh(): Promise<void> {
    await sync.init()
    total.value = await repos().stores.count()
    demoLoaded.value = (await repos().meta.get('demoLoaded')) !== undefined
    provinces.value = (await repos().stores.provinces()).filter((p) => sync.seesUnit(`group/${p}`))
    citiesByProvince.value = {}
    codesByCity.value = {}
  }

  async function loadCities(province: string): Promise<string[]> {
    await sync.init()
    const cities = (await repos().stores.cities(province)).filter((c) =>
      sync.seesUnit(`group/${province}/${c}`),
    )
    citiesByProvince.value[province] = cities
    return cities
  }

  async function loadCity(province: string, city: string): Promise<Store[]> {
    await sync.init()
    const stores = visible(await repos().stores.listByCity(province, city))
    codesByCity.value[`${province}/${city}`] = remember(stores)
    return stores
  }

  async function loadProvince(province: string): Promise<Store[]> {
    await sync.init()
    const stores = visible(await repos().stores.listByProvince(province))
    remember(stores)
    return stores
  }

  async function get(code: string): Promise<Store | undefined> {
    await sync.init()
    const known = byCode.value[code]
    if (known) return known
    const s = await repos().stores.get(code)
    if (!s || visible([s]).length === 0) return undefined
    remember([s])
    return s
  }

  async function search(query: string, limit = 50): Promise<Store[]> {
    await sync.init()
    const found = visible(await repos().stores.search(query, limit))
    searchResults.value = remember(found)
    return found
  }

  /** All-or-nothing: throws (InvalidStoresError, StorageFullError) and writes nothing on failure. */
  async function importStores(stores: readonly Store[]): Promise<number> {
    const n = await repos().stores.bulkPut(stores)
    await refresh()
    return n
  }

  async function save(store: Store): Promise<void> {
    const plain = { ...store }
    await repos().stores.put(plain)
    remember([plain])
    await refresh()
  }

  async function remove(code: string): Promise<void> {
    await repos().stores.remove(code)
    delete byCode.value[code]
    await refresh()
  }

  /**
   * Register upkeep (close, delete, refresh by file) is this device's own while it is not
   * connected; connected, the server's register is the one in force (it comes down with each
   * pull), so the screens offer no upkeep and this refuses it.
   */
  const upkeepAllowed = computed(() => !sync.connected)
  function demandUpkeep(): void {
    if (sync.connected) throw new Error('register upkeep is the server’s while connected')
  }

  /** Closes a store from a day (`YYYY-MM-DD`) or, with null, opens it again. */
  async function setClosed(code: string, day: string | null): Promise<Store> {
    demandUpkeep()
    const s = await repos().stores.setClosed(code, day)
    byCode.value[code] = s
    return s
  }

  /** Deletes a store without evaluations or actions; StoreInUseError otherwise. */
  async function deleteUnused(code: string): Promise<void> {
    demandUpkeep()
    await repos().stores.deleteUnused(code)
    delete byCode.value[code]
    await refresh()
  }

  /**
   * Writes the generated demo province (one transaction), each store evaluated with the rubric
   * the registry picks for it, as a real evaluation would be.
   */
  async function loadDemo(): Promise<DemoSummary> {
    const rubrics = useRubricStore()
    await rubrics.load()
    // The generator loads only when asked for (it is not part of the home page).
    const { loadDemo: writeDemo } = await import('@/db/demo')
    const summary = await writeDemo(repos().db, (store) => {
      const picked = rubrics.pick(store)
      return picked.ok ? picked.entry.rubric : undefined
    })
    await refresh()
    return summary
  }

  /** Removes the demo province and all that was recorded about its stores. */
  async function clearDemo(): Promise<{ stores: number; evaluations: number }> {
    const rubrics = useRubricStore()
    await rubrics.load()
    const { clearDemo: removeDemo } = await import('@/db/demo')
    const out = await removeDemo(repos().db, (store) => {
      const picked = rubrics.pick(store)
      return picked.ok ? picked.entry.rubric : undefined
    })
    byCode.value = {}
    await refresh()
    return out
  }

  return {
    upkeepAllowed,
    setClosed,
    deleteUnused,
    clearDemo,
    byCode,
    demoLoaded,
    total,
    provinces,
    citiesByProvince,
    codesByCity,
    searchResults,
    isEmpty,
    refresh,
    loadCities,
    loadCity,
    loadProvince,
    get,
    search,
    importStores,
    save,
    remove,
    loadDemo,
  }
})

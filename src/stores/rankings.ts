/**
 * Rankings, certification and charts share one computation: the period's results through the
 * engine (results → rankings → certification proposal with the recorded overrides). This store
 * loads the inputs and keeps the engine's outputs as computeds; screens only read and filter.
 *
 * Large arrays are shallowRefs: 20,000 stores in deep reactive proxies would cost more than the
 * engine itself, and nothing edits them in place.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { onDataChanged, RANKING_TABLES } from '@/db/data-changed'
import { getDatabase } from '@/db/database'
import type { RankingSource } from '@/db/rankings.repo'
import { repos } from '@/db/repos'
import type { UnitSelection } from '@/domain/ranking-table'
import { certifyAndRank, periodResults } from '@/domain/rankings-pipeline'
import { registerFor } from '@/domain/store-register'
import type { CertificationEntry } from '@/domain/records'
import type { EvaluationRecord } from '@/domain/store-result'
import type { Period } from '@/domain/types'
import { usePolicyStore } from './policy'

export const useRankingsStore = defineStore('rankings', () => {
  const policyStore = usePolicyStore()
  const policy = computed(() => policyStore.policy)
  const periods = ref<Period[]>([])
  const period = ref<Period | null>(null)
  const unit = ref<UnitSelection>({ scope: 'group' })
  const source = shallowRef<RankingSource | null>(null)
  const log = shallowRef<CertificationEntry[]>([])
  /** Every period's records, for trend charts; loaded on demand. */
  const history = shallowRef<EvaluationRecord[] | null>(null)
  const loading = ref(false)
  const error = ref<string | null>(null)

  // Stores closed before the period began are out of its rankings and quotas (domain rule).
  const stores = computed(() =>
    source.value ? registerFor(source.value.stores, source.value.period) : [],
  )
  // The pipeline in two stages (domain/rankings-pipeline): a new log re-certifies and re-ranks
  // without recomputing every store's result.
  const results = computed(() =>
    source.value ? periodResults(stores.value, source.value.records, policy.value) : [],
  )
  const ranked = computed(() =>
    certifyAndRank({
      register: stores.value,
      results: results.value,
      policy: policy.value,
      log: log.value,
      extras: source.value
        ? {
            evaluatorById: source.value.evaluatorById,
            pending: source.value.pending,
            heldBack: source.value.heldBack,
          }
        : {},
    }),
  )
  const overrides = computed(() => ranked.value.overrides)
  const proposal = computed(() => ranked.value.proposal)
  const rankings = computed(() => ranked.value.rankings)
  const rows = computed(() => ranked.value.rows)
  const provinces = computed(() => [...new Set(stores.value.map((s) => s.province))])
  const citiesOf = (province: string) => [
    ...new Set(stores.value.filter((s) => s.province === province).map((s) => s.city)),
  ]

  /**
   * Screens follow the data: once anything has been loaded, a committed write to the register,
   * the results or the certification log (here or in another tab, see db/data-changed.ts)
   * re-reads the period, its log and, when the charts asked for it, the history.
   */
  let loaded = false
  let reading: Promise<void> | null = null
  let again = false
  onDataChanged(
    () => getDatabase().name,
    RANKING_TABLES,
    () => void refresh(),
  )

  /** Re-reads what was loaded, without the loading state (the screen keeps its rows meanwhile). */
  async function refresh(): Promise<void> {
    if (!loaded) return
    if (reading) {
      again = true
      return
    }
    reading = (async () => {
      do {
        again = false
        await read(undefined, true)
        if (history.value !== null) await loadHistory()
      } while (again)
    })()
    try {
      await reading
    } finally {
      reading = null
    }
  }
  /** The one-province default scope is chosen once: a later load keeps the user's choice. */
  let scopeChosen = false

  /** Loads a period (the newest when none is given) and its certification log. */
  async function load(wanted?: Period): Promise<void> {
    loaded = true
    await read(wanted, false)
  }

  async function read(wanted: Period | undefined, quiet: boolean): Promise<void> {
    if (!quiet) loading.value = true
    error.value = null
    // User Timing marks: the rankings benchmark reads them to say where the time goes.
    performance.mark('rankings:load')
    try {
      const db = getDatabase()
      await db.open()
      performance.mark('rankings:open')
      const repo = repos().rankings
      periods.value = await repo.periods()
      const keep = period.value !== null && periods.value.includes(period.value)
      const p = wanted ?? (keep ? period.value : null) ?? periods.value[0] ?? null
      period.value = p
      if (p === null) {
        source.value = null
        log.value = []
        return
      }
      performance.mark('rankings:periods')
      const [src, entries] = await Promise.all([repo.load(p), repos().certification.list(p)])
      performance.mark('rankings:read')
      source.value = src
      log.value = entries
      if (!scopeChosen && unit.value.scope === 'group' && provinceCount() === 1)
        unit.value = { scope: 'province', province: provinces.value[0]! }
      if (provinceCount() > 0) scopeChosen = true
    } catch (e) {
      error.value = e instanceof Error ? e.message : String(e)
    } finally {
      if (!quiet) loading.value = false
    }
  }

  function provinceCount(): number {
    return provinces.value.length
  }

  /** Re-reads only the certification log (after recording a step or an override). */
  async function reloadLog(): Promise<void> {
    if (period.value === null) return
    log.value = await repos().certification.list(period.value)
  }

  async function loadHistory(): Promise<void> {
    history.value = await repos().rankings.allRecords()
  }

  return {
    history,
    loadHistory,
    policy,
    periods,
    period,
    unit,
    source,
    log,
    loading,
    error,
    stores,
    results,
    overrides,
    proposal,
    rankings,
    rows,
    ranked,
    provinces,
    citiesOf,
    load,
    reloadLog,
  }
})

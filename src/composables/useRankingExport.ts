/**
 * XLSX and CSV downloads of the current unit's ranking. The export module (and SheetJS behind
 * it) is imported on click, so neither is in the first-load bundle.
 */
import { ref } from 'vue'
import { inUnit, type UnitSelection } from '@/domain/ranking-table'
import type { Locale } from '@/domain/types'
import { useRankingsStore } from '@/stores/rankings'

export function unitLabel(unit: UnitSelection, group: string): string {
  return unit.scope === 'group'
    ? group
    : unit.scope === 'province'
      ? unit.province
      : `${unit.province}-${unit.city}`
}

/** Saves bytes through a temporary object URL (allowed by the CSP, unlike a data: URL in img-src). */
export function downloadBytes(bytes: Uint8Array | Blob, name: string, type: string): void {
  const blob = bytes instanceof Blob ? bytes : new Blob([bytes as BlobPart], { type })
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

export function useRankingExport() {
  const store = useRankingsStore()
  const working = ref(false)
  const error = ref<string | null>(null)

  async function exportData() {
    const io = await import('@/io/ranking-export')
    // The store's pipeline output as it is on screen: the export does not rank again.
    const data = io.rankingExportData({
      ranked: store.ranked,
      period: store.period ?? undefined,
      log: store.log,
    })
    // Ranks are computed over the whole register; the file then keeps the chosen unit's rows.
    const unit = store.unit
    const byCode = new Map(store.stores.map((s) => [s.code, s]))
    data.stores = data.stores.filter((r) => inUnit(r, unit))
    data.cities = data.cities.filter((r) =>
      inUnit({ province: r.province, city: r.city ?? '' }, unit),
    )
    data.provinces = data.provinces.filter(
      (r) => unit.scope === 'group' || r.province === unit.province,
    )
    data.quota = data.quota.filter(
      (q) =>
        unit.scope === 'group' ||
        q.unit === 'group' ||
        q.unit === unit.province ||
        q.unit.startsWith(`${unit.province}/`),
    )
    data.overrides = data.overrides.filter((o) => {
      const s = byCode.get(o.code)
      return s !== undefined && inUnit(s, unit)
    })
    // Record lines of the unit: its stores' overrides, its cities' and province's steps.
    data.record = data.record.filter((r) => {
      if (r.code !== undefined) {
        const s = byCode.get(r.code)
        return s !== undefined && inUnit(s, unit)
      }
      if (unit.scope === 'group') return true
      const [province, city] = r.unit.split('/')
      return province === unit.province && (unit.scope !== 'city' || !city || city === unit.city)
    })
    return { io, data }
  }

  async function run(
    kind: 'xlsx' | 'csv',
    locale: Locale,
    groupLabel: string,
    encoding: 'utf-8' | 'gbk' = 'utf-8',
  ): Promise<void> {
    working.value = true
    error.value = null
    try {
      const { io, data } = await exportData()
      const name = `rankings-${unitLabel(store.unit, groupLabel)}-${store.period ?? ''}`
      if (kind === 'xlsx') {
        const bytes = await io.rankingWorkbook(data, locale)
        downloadBytes(
          bytes,
          `${name}.xlsx`,
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        )
      } else {
        downloadBytes(
          io.rankingStoresCsv(data, locale, { encoding }),
          `${name}.csv`,
          `text/csv;charset=${encoding}`,
        )
      }
    } catch (e) {
      error.value = e instanceof Error ? e.message : String(e)
    } finally {
      working.value = false
    }
  }

  return { working, error, run }
}

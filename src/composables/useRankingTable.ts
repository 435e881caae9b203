/**
 * Filter and sort state of the rankings table. The work is done by the pure functions in
 * src/domain/ranking-table.ts; this only holds the choices and recomputes when they change.
 */
import { computed, ref, type Ref } from 'vue'
import { collator } from '@/i18n/format'
import {
  filterRows,
  sortRows,
  type RankingFilter,
  type RankingRow,
  type SortDir,
  type SortKey,
  type UnitSelection,
} from '@/domain/ranking-table'
import { usePinyin } from './usePinyin'
import type { Grade, Locale, StoreLevel } from '@/domain/types'

export interface FilterChoices {
  cityKey: string
  level: StoreLevel | ''
  grade: Grade | 'ungraded' | ''
  query: string
}

export function useRankingTable(
  rows: Ref<readonly RankingRow[]>,
  unit: Ref<UnitSelection>,
  locale: Ref<Locale>,
  graded: boolean,
) {
  const choices = ref<FilterChoices>({ cityKey: '', level: '', grade: '', query: '' })
  const sortKey = ref<SortKey>(graded ? 'rank' : 'code')
  const sortDir = ref<SortDir>('asc')
  const pinyin = usePinyin(computed(() => choices.value.query))

  const filter = computed<RankingFilter>(() => {
    const f: RankingFilter = { unit: unit.value, graded }
    const c = choices.value
    if (c.cityKey) f.cityKey = c.cityKey
    if (c.level !== '') f.level = c.level
    if (c.grade) f.grade = c.grade
    if (c.query.trim()) {
      f.query = c.query
      f.romanise = pinyin.value
    }
    return f
  })
  const inUnitCount = computed(() => filterRows(rows.value, { unit: unit.value, graded }).length)
  const visible = computed(() => {
    const c = collator(locale.value)
    return sortRows(
      filterRows(rows.value, filter.value),
      sortKey.value,
      sortDir.value,
      c.compare,
      unit.value,
    )
  })

  /** Click on a column: first ascending (descending for scores), again to flip. */
  function sortBy(key: SortKey): void {
    if (sortKey.value === key) sortDir.value = sortDir.value === 'asc' ? 'desc' : 'asc'
    else {
      sortKey.value = key
      sortDir.value = key === 'score' ? 'desc' : 'asc'
    }
  }

  return { choices, sortKey, sortDir, visible, inUnitCount, sortBy }
}

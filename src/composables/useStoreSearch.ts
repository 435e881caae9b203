/**
 * Browse the register by province → city and search by code or name, in memory. 20,000 stores
 * filter in a few milliseconds, so every keystroke filters at once without a round trip to
 * IndexedDB; the list itself is virtualised (StoreVirtualList).
 */
import { computed, ref, watch, type Ref } from 'vue'
import { containsText, searchText, type Romaniser } from '@/domain/text-search'
import type { Locale, Store } from '@/domain/types'
import { collator } from '@/i18n/format'
import { usePinyin } from './usePinyin'

export interface StoreQuery {
  province: string
  city: string
  text: string
}

/** Code-prefix matches first (what an inspector types), then name or code containing the text. */
export function filterStores(
  stores: readonly Store[],
  q: StoreQuery,
  romanise?: Romaniser | null,
): Store[] {
  const inPlace = stores.filter(
    (s) => (!q.province || s.province === q.province) && (!q.city || s.city === q.city),
  )
  const text = searchText(q.text)
  if (!text) return inPlace
  const prefix: Store[] = []
  const contains: Store[] = []
  for (const s of inPlace) {
    if (s.code.toLowerCase().startsWith(text)) prefix.push(s)
    else if (containsText(text, [s.code, s.name], romanise)) contains.push(s)
  }
  return [...prefix, ...contains]
}

/** Distinct values in the locale's order (pinyin for Chinese). */
export function distinctSorted(values: Iterable<string>, locale: Locale): string[] {
  return [...new Set(values)].sort(collator(locale).compare)
}

export function useStoreSearch(stores: Ref<readonly Store[]>, locale: Ref<Locale>) {
  const province = ref('')
  const city = ref('')
  const text = ref('')
  const pinyin = usePinyin(text)

  const provinces = computed(() =>
    distinctSorted(
      stores.value.map((s) => s.province),
      locale.value,
    ),
  )
  const cities = computed(() =>
    distinctSorted(
      stores.value
        .filter((s) => !province.value || s.province === province.value)
        .map((s) => s.city),
      locale.value,
    ),
  )
  // A city belongs to one province: choosing another province clears it.
  watch(province, () => (city.value = ''))

  const results = computed(() =>
    filterStores(
      stores.value,
      { province: province.value, city: city.value, text: text.value },
      pinyin.value,
    ),
  )

  return { province, city, text, provinces, cities, results }
}

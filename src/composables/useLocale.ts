import { computed, type ComputedRef } from 'vue'
import { useI18n } from 'vue-i18n'
import type { Locale } from '@/domain/types'

/** The current UI locale as the domain's `Locale` type. */
export function useLocale(): ComputedRef<Locale> {
  const { locale } = useI18n()
  return computed(() => (locale.value === 'en' ? 'en' : 'zh'))
}

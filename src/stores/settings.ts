/**
 * Per-device preferences: the UI language and the evaluator's name (prefilled on new
 * evaluations). Kept in localStorage: both are needed synchronously at start-up and are not data
 * worth backing up.
 */
import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import { initialLocale, setLocale as applyLocale } from '@/i18n'
import type { Locale } from '@/domain/types'

const NAME_KEY = 'evaluatorName'
const ADVANCE_KEY = 'autoAdvance'

export const useSettingsStore = defineStore('settings', () => {
  const locale = ref<Locale>(initialLocale())
  const evaluatorName = ref<string>(globalThis.localStorage?.getItem(NAME_KEY) ?? '')
  /** Answering an item moves the form on to the next unanswered one (on unless turned off). */
  const autoAdvance = ref<boolean>(globalThis.localStorage?.getItem(ADVANCE_KEY) !== 'off')

  function setLocale(l: Locale): void {
    locale.value = l
    applyLocale(l)
  }

  watch(evaluatorName, (name) => globalThis.localStorage?.setItem(NAME_KEY, name.trim()))
  watch(autoAdvance, (on) => globalThis.localStorage?.setItem(ADVANCE_KEY, on ? 'on' : 'off'))

  return { locale, evaluatorName, autoAdvance, setLocale }
})

import type { App } from 'vue'
import { createI18n } from 'vue-i18n'
import type { Locale } from '@/domain/types'
import { mergeLocaleModules, type LocaleModule } from './merge'

/**
 * Messages live next to each other per domain (`locales/<domain>.ts`, zh and en side by side)
 * so that a screen's strings are found in one file and a missing translation shows in review.
 */
const modules = import.meta.glob<{ default: LocaleModule }>('./locales/*.ts', { eager: true })
export const messages = mergeLocaleModules(Object.values(modules).map((m) => m.default))

const STORAGE_KEY = 'locale'

export function initialLocale(): Locale {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY)
  return saved === 'en' || saved === 'zh' ? saved : 'zh'
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh',
  messages,
  missingWarn: import.meta.env.DEV,
  fallbackWarn: false,
})

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  globalThis.localStorage?.setItem(STORAGE_KEY, locale)
  document.documentElement.lang = locale === 'zh' ? 'zh-CN' : 'en'
}

export function installI18n(app: App): void {
  app.use(i18n)
  document.documentElement.lang = i18n.global.locale.value === 'zh' ? 'zh-CN' : 'en'
}

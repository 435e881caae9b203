import type { App } from 'vue'
import { createI18n } from 'vue-i18n'
import type { Locale } from '@/domain/types'
import { mergeLocaleModules, type LocaleModule } from './merge'

/**
 * Messages live next to each other per domain (`locales/<domain>.ts`, zh and en side by side)
 * so that a screen's strings are found in one file and a missing translation shows in review.
 *
 * Most domains are on the first page. The ones only their own screens use load with those
 * screens: a route names them in `meta.messages` and the router waits for them
 * (`loadMessages`), which keeps the first page under its weight budget (issue 16).
 */
const eager = import.meta.glob<{ default: LocaleModule }>(
  [
    './locales/*.ts',
    '!./locales/rankings.ts',
    '!./locales/certify.ts',
    '!./locales/charts.ts',
    '!./locales/exchange.ts',
    '!./locales/scores.ts',
    '!./locales/status.ts',
    '!./locales/admin.ts',
    '!./locales/planning.ts',
  ],
  { eager: true },
)
const lazy = import.meta.glob<{ default: LocaleModule }>([
  './locales/rankings.ts',
  './locales/certify.ts',
  './locales/charts.ts',
  './locales/exchange.ts',
  './locales/scores.ts',
  './locales/status.ts',
  './locales/admin.ts',
  './locales/planning.ts',
])

export type LazyMessages =
  'rankings' | 'certify' | 'charts' | 'exchange' | 'scores' | 'status' | 'admin' | 'planning'

const STORAGE_KEY = 'locale'

export function initialLocale(): Locale {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY)
  return saved === 'en' || saved === 'zh' ? saved : 'zh'
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh',
  messages: mergeLocaleModules(Object.values(eager).map((m) => m.default)),
  missingWarn: import.meta.env.DEV,
  fallbackWarn: false,
})

const loaded = new Map<string, Promise<void>>()

/** Adds the named domains' messages, each fetched once; resolves when all are in. */
export function loadMessages(names: readonly LazyMessages[]): Promise<void> {
  return Promise.all(
    names.map((name) => {
      let done = loaded.get(name)
      if (!done) {
        const load = lazy[`./locales/${name}.ts`]
        if (!load) throw new Error(`no message file for ${name}`)
        done = load().then(({ default: mod }) => {
          i18n.global.mergeLocaleMessage('zh', mod.zh)
          i18n.global.mergeLocaleMessage('en', mod.en)
        })
        done.catch(() => loaded.delete(name))
        loaded.set(name, done)
      }
      return done
    }),
  ).then(() => undefined)
}

/** Every domain's messages, both languages: for checks over the whole catalogue. */
export async function allMessages(): Promise<ReturnType<typeof mergeLocaleModules>> {
  const rest = await Promise.all(Object.values(lazy).map((load) => load()))
  return mergeLocaleModules([...Object.values(eager), ...rest].map((m) => m.default))
}

/** Loads every lazy domain into `i18n`: component tests mount screens without the router. */
export function loadAllMessages(): Promise<void> {
  const names = Object.keys(lazy).map((path) => path.replace(/^.*\/(.*)\.ts$/, '$1'))
  return loadMessages(names as LazyMessages[])
}

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  globalThis.localStorage?.setItem(STORAGE_KEY, locale)
  document.documentElement.lang = locale === 'zh' ? 'zh-CN' : 'en'
}

export function installI18n(app: App): void {
  app.use(i18n)
  document.documentElement.lang = i18n.global.locale.value === 'zh' ? 'zh-CN' : 'en'
}

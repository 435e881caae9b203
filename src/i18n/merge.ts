import type { LocaleMessageValue, VueMessageType } from 'vue-i18n'

export type Messages = Record<string, LocaleMessageValue<VueMessageType>>

/** One domain's strings in both languages. */
export interface LocaleModule {
  zh: Messages
  en: Messages
}

export function mergeLocaleModules(mods: LocaleModule[]): { zh: Messages; en: Messages } {
  const out: { zh: Messages; en: Messages } = { zh: {}, en: {} }
  for (const m of mods) {
    Object.assign(out.zh, m.zh)
    Object.assign(out.en, m.en)
  }
  return out
}

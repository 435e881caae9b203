import { i18n } from '@/i18n'
import type { LocaleModule } from '@/i18n/merge'

/**
 * A screen's own strings, loaded with the screen (its chunk) instead of on the first page:
 * `src/i18n/lazy/<screen>.ts`, merged into the catalogues when the screen's chunk loads.
 */
export function addLocaleModule(mod: LocaleModule): void {
  for (const l of ['zh', 'en'] as const) i18n.global.mergeLocaleMessage(l, mod[l])
}

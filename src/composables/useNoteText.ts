/**
 * The engine's notes in the UI language, from the one catalogue of words (domain/words.ts)
 * through vue-i18n; a code without a wording of its own falls back to the engine's English text.
 */
import { useI18n } from 'vue-i18n'
import type { Note } from '@/domain/notes'
import type { Locale } from '@/domain/types'
import { noteParams } from '@/domain/words'

export function useNoteText() {
  const { t, te, locale } = useI18n()
  return (n: Note): string =>
    te(`rankNotes.${n.code}`)
      ? t(`rankNotes.${n.code}`, noteParams(n, locale.value as Locale))
      : n.message
}

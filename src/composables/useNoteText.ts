/** The engine's notes in the UI language; an unknown code falls back to the engine's English text. */
import { useI18n } from 'vue-i18n'
import type { Note } from '@/domain/notes'

export function useNoteText() {
  const { t, te } = useI18n()
  return (n: Note): string =>
    te(`rankNotes.${n.code}`) ? t(`rankNotes.${n.code}`, n.params ?? {}) : n.message
}

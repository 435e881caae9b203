/**
 * Ties an open evaluation form to the page's life cycle so that every change reaches IndexedDB.
 *
 * The evaluation store already writes each change at once, one write in flight, coalescing
 * whatever arrives meanwhile per item. Typing therefore needs no timer of its own: a keystroke is
 * handed to the store immediately (a debounce of 0 ms, well inside the ≤ 300 ms budget), and the
 * coalescing keeps it to one write per round trip. What this adds:
 * - flushes on blur, when the page is hidden (visibilitychange) or left (pagehide), and before a
 *   PWA update takes over the page (onBeforeUpdate), so a reload loses at most the keystroke
 *   in flight;
 * - if another tab saved the same evaluation, takes the fresher copy instead of overwriting it,
 *   and says so (`reloadedFromOtherTab`).
 */
import { getCurrentScope, onScopeDispose, ref, watch } from 'vue'
import { onBeforeUpdate } from '@/pwa/state'
import { useEvaluationStore } from '@/stores/evaluation'
import type { Answer } from '@/domain/types'
import { cleanMultiline } from '@/domain/text-clean'

type Patch = Partial<Omit<Answer, 'itemId'>>

/** What the save indicator shows. */
export type SaveState = 'saved' | 'saving' | 'error'

export function useAutosave(store = useEvaluationStore()) {
  const reloadedFromOtherTab = ref(false)

  function flush(): Promise<void> {
    return store.flush()
  }

  /** One change to one item; replaces the fields given, keeps the rest. */
  function patch(itemId: string, p: Patch): void {
    if (!store.editable) return
    store.patchAnswer(itemId, p)
  }

  function setValue(itemId: string, value: boolean | number): void {
    patch(itemId, { value, na: undefined })
  }

  function setNa(itemId: string, na: boolean): void {
    patch(itemId, na ? { na: true, value: undefined } : { na: undefined })
  }

  function setNote(itemId: string, note: string): void {
    // Bidi and invisible characters never reach the record (domain/text-clean.ts).
    const clean = cleanMultiline(note)
    patch(itemId, { note: clean === '' ? undefined : clean })
  }

  // The other tab's copy wins: ours was refused, so nothing it saved is overwritten.
  watch(
    () => store.conflict,
    async (c) => {
      if (!c) return
      reloadedFromOtherTab.value = true
      await store.acceptFresher()
    },
  )

  if (getCurrentScope() && typeof window !== 'undefined') {
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') void flush()
    }
    const onPageHide = () => void flush()
    document.addEventListener('visibilitychange', onVisibility)
    window.addEventListener('pagehide', onPageHide)
    const unregister = onBeforeUpdate(flush)
    onScopeDispose(() => {
      document.removeEventListener('visibilitychange', onVisibility)
      window.removeEventListener('pagehide', onPageHide)
      unregister()
      void flush()
    })
  }

  return { flush, patch, setValue, setNa, setNote, reloadedFromOtherTab }
}

/**
 * Keeps the form's current step in the URL (`?step=3`), so a reload or the back button returns
 * the inspector to the step they were on; and jumps to an item (e.g. one that needs evidence).
 */
import { nextTick, watch, type Ref } from 'vue'
import { useRoute, useRouter } from 'vue-router'

interface Steps {
  current: Ref<number>
  go(i: number): void
  stepOf(itemId: string): number | undefined
}

export function useStepInUrl(form: Steps) {
  const route = useRoute()
  const router = useRouter()

  /** Moves to the step the URL names (1-based); call once the rubric is known. */
  function restore(): void {
    form.go(Number(route.query.step ?? 1) - 1)
  }

  watch(form.current, (i) => {
    window.scrollTo({ top: 0 })
    void router.replace({ query: { ...route.query, step: String(i + 1) } })
  })

  async function gotoItem(itemId: string): Promise<void> {
    const s = form.stepOf(itemId)
    if (s === undefined) return
    form.go(s)
    await nextTick()
    const card = document.querySelector<HTMLElement>(`[data-item="${CSS.escape(itemId)}"]`)
    card?.scrollIntoView({ block: 'center' })
    // Keyboards and screen readers follow too; the card is already in view.
    card
      ?.querySelector<HTMLElement>('button:not([disabled]), input')
      ?.focus({ preventScroll: true })
  }

  return { restore, gotoItem }
}

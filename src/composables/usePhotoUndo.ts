/**
 * Deleting a photo with a way back: the photo disappears at once but is only removed for good a
 * few seconds later (or when another photo is deleted, or the form is left), so "undo" just
 * forgets the deletion. Nothing is written until then, so there is nothing to restore.
 */
import { onScopeDispose, ref } from 'vue'

export const UNDO_MS = 6000

export function usePhotoUndo(remove: (itemId: string, photoId: string) => Promise<void>) {
  const pending = ref<{ itemId: string; photoId: string } | null>(null)
  let timer: ReturnType<typeof setTimeout> | undefined

  async function commit(): Promise<void> {
    clearTimeout(timer)
    const p = pending.value
    pending.value = null
    if (p) await remove(p.itemId, p.photoId)
  }

  async function request(itemId: string, photoId: string): Promise<void> {
    await commit()
    pending.value = { itemId, photoId }
    timer = setTimeout(() => void commit(), UNDO_MS)
  }

  function undo(): void {
    clearTimeout(timer)
    pending.value = null
  }

  const hidden = (photoId: string) => pending.value?.photoId === photoId

  onScopeDispose(() => void commit())
  return { pending, request, undo, commit, hidden }
}

/**
 * Photos in the form: each picked or captured file is re-encoded (JPEG, ≤ 1600 px, no EXIF)
 * before it is stored, one at a time so a burst of camera shots cannot exhaust memory.
 */
import { ref } from 'vue'
import type { EncodedPhoto } from '@/domain/records'
import { encodePhoto } from '@/io/photo'

interface PhotoTarget {
  addPhoto(itemId: string, encoded: EncodedPhoto): Promise<unknown>
  removePhoto(itemId: string, photoId: string): Promise<void>
}

/** The message key for a failed photo operation. */
export function photoErrorKey(e: unknown): string {
  const name = (e as Error | null)?.name
  if (name === 'StorageFullError') return 'evaluation.error.storageFull'
  if (name === 'PhotoDecodeError') return 'evaluation.error.photo'
  return 'evaluation.error.save'
}

export function useFormPhotos(target: PhotoTarget) {
  /** The item whose photos are being processed. */
  const busy = ref<string | null>(null)
  const errorKey = ref<string | null>(null)

  async function add(itemId: string, files: File[]): Promise<void> {
    busy.value = itemId
    errorKey.value = null
    try {
      for (const f of files) await target.addPhoto(itemId, await encodePhoto(f))
    } catch (e) {
      errorKey.value = photoErrorKey(e)
    } finally {
      busy.value = null
    }
  }

  async function remove(itemId: string, photoId: string): Promise<void> {
    errorKey.value = null
    try {
      await target.removePhoto(itemId, photoId)
    } catch (e) {
      errorKey.value = photoErrorKey(e)
    }
  }

  return { busy, errorKey, add, remove }
}

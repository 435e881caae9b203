/**
 * Object URLs for stored photos (bytes + MIME), made when first shown and revoked when the photo
 * goes or the view closes: a URL left unrevoked keeps the bytes in memory. The CSP allows
 * `img-src blob:` for exactly this.
 */
import { onScopeDispose, shallowRef, watch, type Ref } from 'vue'
import type { Photo } from '@/domain/records'
import { photoUrl } from '@/io/photo'

export function usePhotoUrls(photos: Ref<readonly Photo[]>) {
  const thumbs = shallowRef<Record<string, string>>({})
  const full = new Map<string, string>()

  watch(
    photos,
    (list) => {
      const next: Record<string, string> = {}
      const keep = new Set(list.map((p) => p.id))
      for (const p of list) next[p.id] = thumbs.value[p.id] ?? photoUrl(p.thumbBytes)
      for (const [id, url] of Object.entries(thumbs.value))
        if (!keep.has(id) && url) URL.revokeObjectURL(url)
      for (const [id, url] of full) {
        if (!keep.has(id)) {
          URL.revokeObjectURL(url)
          full.delete(id)
        }
      }
      thumbs.value = next
    },
    { immediate: true, deep: true },
  )

  function fullUrl(id: string): string | null {
    const known = full.get(id)
    if (known) return known
    const p = photos.value.find((x) => x.id === id)
    if (!p) return null
    const url = photoUrl(p.bytes)
    if (!url) return null
    full.set(id, url)
    return url
  }

  /** Thumbnails of the given ids, in order, skipping photos not loaded. */
  function thumbsOf(ids: readonly string[] | undefined): { id: string; url: string }[] {
    return (ids ?? []).flatMap((id) => (thumbs.value[id] ? [{ id, url: thumbs.value[id] }] : []))
  }

  onScopeDispose(() => {
    for (const url of Object.values(thumbs.value)) URL.revokeObjectURL(url)
    for (const url of full.values()) URL.revokeObjectURL(url)
  })

  return { thumbs, fullUrl, thumbsOf }
}

/**
 * Pinyin for the store searches, loaded the first time someone types Latin letters: pinyin-pro
 * (its dictionary is ~300 kB) is its own chunk, so the first page and the register stay light
 * and a search in Chinese characters never loads it. Romanisations are remembered per text, so
 * filtering 20,000 stores on each keystroke romanises each name once.
 */
import { shallowRef, watch, type Ref, type ShallowRef } from 'vue'
import type { Romaniser } from '@/domain/text-search'

let loading: Promise<Romaniser> | null = null
const shared = shallowRef<Romaniser | null>(null)

function memo(f: (s: string) => string): (s: string) => string {
  const cache = new Map<string, string>()
  return (s) => {
    let v = cache.get(s)
    if (v === undefined) {
      v = f(s)
      if (cache.size > 100_000) cache.clear()
      cache.set(s, v)
    }
    return v
  }
}

/** Loads the library once; every caller shares the one romaniser. */
export function loadPinyin(): Promise<Romaniser> {
  loading ??= import('pinyin-pro').then(({ pinyin }) => {
    const r: Romaniser = {
      full: memo((s) => pinyin(s, { toneType: 'none', type: 'array' }).join('').toLowerCase()),
      initials: memo((s) =>
        pinyin(s, { pattern: 'first', toneType: 'none', type: 'array' }).join('').toLowerCase(),
      ),
    }
    shared.value = r
    return r
  })
  return loading
}

/** The romaniser once loaded (null before); asks for it when `query` first holds a Latin letter. */
export function usePinyin(query: Ref<string>): ShallowRef<Romaniser | null> {
  watch(
    query,
    (q) => {
      if (!shared.value && /[a-z]/i.test(q)) void loadPinyin()
    },
    { immediate: true },
  )
  return shared
}

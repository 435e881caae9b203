import { computed, type ComputedRef, type Ref } from 'vue'
import type { Rubric } from '@/domain/rubric-schema'
import type { Locale } from '@/domain/types'
import { tr } from '@/i18n/format'

/** Section titles and item labels (bonus and deduction items too) of a rubric, in the UI language. */
export function useRubricLabels(rubric: Ref<Rubric | null>, locale: Ref<Locale>) {
  const sections: ComputedRef<Record<string, string>> = computed(() =>
    Object.fromEntries(
      (rubric.value?.sections ?? []).map((s) => [s.id, tr(s.title, locale.value)]),
    ),
  )
  const items: ComputedRef<Record<string, string>> = computed(() => {
    const r = rubric.value
    if (!r) return {}
    const all = [
      ...r.sections.flatMap((s) => s.items),
      ...(r.bonus?.items ?? []),
      ...(r.deductions?.items ?? []),
    ]
    return Object.fromEntries(all.map((i) => [i.id, tr(i.label, locale.value)]))
  })
  return { sections, items }
}

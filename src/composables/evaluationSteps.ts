/**
 * The form's steps, derived from a rubric: one step per section, then bonus and deductions in
 * steps of their own (they are answered differently: occurrences, not compliance).
 */
import type { BonusItem, DeductionItem, Rubric, RubricItem } from '@/domain/rubric-schema'
import type { Answer, Text } from '@/domain/types'

export type FormItem =
  | { group: 'section'; item: RubricItem }
  | { group: 'bonus'; item: BonusItem }
  | { group: 'deduction'; item: DeductionItem }

export interface FormStep {
  id: string
  kind: 'section' | 'bonus' | 'deductions'
  title: Text
  items: FormItem[]
}

export const BONUS_TITLE: Text = { zh: '加分项', en: 'Bonus' }
export const DEDUCTIONS_TITLE: Text = { zh: '扣分项', en: 'Deductions' }

export function stepsOf(rubric: Rubric): FormStep[] {
  const steps: FormStep[] = rubric.sections.map((s) => ({
    id: s.id,
    kind: 'section',
    title: s.title,
    items: s.items.map((item) => ({ group: 'section', item })),
  }))
  if (rubric.bonus) {
    steps.push({
      id: '_bonus',
      kind: 'bonus',
      title: BONUS_TITLE,
      items: rubric.bonus.items.map((item) => ({ group: 'bonus', item })),
    })
  }
  if (rubric.deductions) {
    steps.push({
      id: '_deductions',
      kind: 'deductions',
      title: DEDUCTIONS_TITLE,
      items: rubric.deductions.items.map((item) => ({ group: 'deduction', item })),
    })
  }
  return steps
}

export function isAnswered(a: Answer | undefined): boolean {
  return a !== undefined && (a.na === true || (a.value !== undefined && a.value !== null))
}

/** Every item of the rubric by id, to label lists (missing evidence, lost points). */
export function itemIndex(steps: FormStep[]): Map<string, { item: FormItem; step: number }> {
  const out = new Map<string, { item: FormItem; step: number }>()
  steps.forEach((s, step) => s.items.forEach((item) => out.set(item.item.id, { item, step })))
  return out
}

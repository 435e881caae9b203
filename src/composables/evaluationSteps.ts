/**
 * The form's steps, derived from a rubric: one step per section, then bonus and deductions in
 * steps of their own (they are answered differently: occurrences, not compliance).
 */
import type {
  BonusItem,
  CheckKind,
  DeductionItem,
  Rubric,
  RubricItem,
} from '@/domain/rubric-schema'
import type { LostPoints } from '@/domain/scoring'
import type { Answers, Text } from '@/domain/types'
import { isAnswered } from '@/domain/answers'
import { WORDS } from '@/domain/words'

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

// The titles come from the one catalogue of words, in both languages (steps carry a Text).
export const BONUS_TITLE: Text = { zh: WORDS.zh.formStep.bonus, en: WORDS.en.formStep.bonus }
export const DEDUCTIONS_TITLE: Text = {
  zh: WORDS.zh.formStep.deductions,
  en: WORDS.en.formStep.deductions,
}

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

/** The one answered rule (domain/answers.ts), re-exported for the form's components. */
export { isAnswered } from '@/domain/answers'

/** Every item of the rubric by id, to label lists (missing evidence, lost points). */
export function itemIndex(steps: FormStep[]): Map<string, { item: FormItem; step: number }> {
  const out = new Map<string, { item: FormItem; step: number }>()
  steps.forEach((s, step) => s.items.forEach((item) => out.set(item.item.id, { item, step })))
  return out
}

/** Every item's label by id (sections, bonus, deductions). */
export function labelsOf(rubric: Rubric | null | undefined): Record<string, Text> {
  const out: Record<string, Text> = {}
  if (!rubric) return out
  for (const step of stepsOf(rubric)) for (const { item } of step.items) out[item.id] = item.label
  return out
}

/** Section titles by id. */
export function sectionTitles(rubric: Rubric | null | undefined): Record<string, Text> {
  return Object.fromEntries((rubric?.sections ?? []).map((s) => [s.id, s.title]))
}

/**
 * What lost points: the engine's list for a scored result; for a checklist (no result), every
 * item answered "no".
 */
export function lostItems(result: { lost: LostPoints[] } | null, answers: Answers): LostPoints[] {
  if (result) return result.lost
  return Object.values(answers)
    .filter((a) => a.value === false)
    .map((a) => ({ itemId: a.itemId, lost: 0, kind: 'item' as const }))
}

/** How an item is checked; rubric versions before the field read as 明查 (seen on the visit). */
export function checkOf(entry: FormItem): CheckKind {
  return entry.item.check ?? 'visit'
}

/** Items of one check kind, or all when `kind` is null. */
export function itemsOfKind(items: readonly FormItem[], kind: CheckKind | null): FormItem[] {
  return kind === null ? [...items] : items.filter((e) => checkOf(e) === kind)
}

/**
 * Items checked from records over a period (查资料) that were scored (answered, not N/A): the
 * result says they are part of the score, so they are not mixed in without saying so.
 */
export function recordItemsScored(rubric: Rubric | null | undefined, answers: Answers): string[] {
  if (!rubric) return []
  const out: string[] = []
  for (const step of stepsOf(rubric))
    for (const e of step.items) {
      const a = answers[e.item.id]
      if (checkOf(e) === 'records' && isAnswered(a) && a?.na !== true) out.push(e.item.id)
    }
  return out
}

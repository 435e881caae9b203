/**
 * The conflict screen in the user's words (issue 17 item 6): for two copies of a record, the
 * lines that differ, each named by what the user knows (the rubric item's label, not
 * `answers.rc-smile.value`) and each value as the user answered it (yes/no, points, a count, a
 * measure with its unit, not applicable, a time). Pure: the screen translates the `field` and
 * `value` kinds and formats times in the current locale.
 */
import { diffFields, type RecordKind } from './merge'
import type { Rubric } from './rubric-schema'
import type { Text } from './types'

/** A value as shown: the screen words each kind (是/否, 不适用, a local time, …). */
export type ShownValue =
  | { kind: 'none' }
  | { kind: 'yes' }
  | { kind: 'no' }
  | { kind: 'na' }
  | { kind: 'number'; value: number; unit?: Text }
  | { kind: 'points'; value: number; max: number }
  | { kind: 'count'; value: number }
  | { kind: 'score'; centi: number }
  | { kind: 'time'; iso: string }
  | { kind: 'text'; text: string }
  | { kind: 'photos'; n: number }

/** What a line is about: a rubric item (its label), or a named field of the record. */
export type ShownField =
  { kind: 'item'; label: Text; part: 'value' | 'note' | 'photos' } | { kind: 'field'; name: string }

export interface ConflictLine {
  field: ShownField
  local: ShownValue
  incoming: ShownValue
}

interface ItemInfo {
  label: Text
  kind: 'yesno' | 'scale' | 'count' | 'measure'
  max?: number
  unit?: Text
}

function itemsOf(rubric: Rubric | undefined): Map<string, ItemInfo> {
  const out = new Map<string, ItemInfo>()
  if (!rubric) return out
  for (const s of rubric.sections)
    for (const i of s.items)
      out.set(i.id, {
        label: i.label,
        kind: i.kind,
        ...(i.kind === 'scale' ? { max: i.max } : {}),
        ...(i.kind === 'measure' ? { unit: i.unit } : {}),
      })
  for (const i of [...(rubric.bonus?.items ?? []), ...(rubric.deductions?.items ?? [])])
    out.set(i.id, { label: i.label, kind: i.kind })
  return out
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/

/** Any other field's value, as plainly as it goes. */
function plain(v: unknown): ShownValue {
  if (v === undefined || v === null || v === '') return { kind: 'none' }
  if (v === true) return { kind: 'yes' }
  if (v === false) return { kind: 'no' }
  if (typeof v === 'number') return { kind: 'number', value: v }
  if (typeof v === 'string')
    return ISO.test(v) ? { kind: 'time', iso: v } : { kind: 'text', text: v }
  const s = JSON.stringify(v)
  return { kind: 'text', text: s.length > 200 ? `${s.slice(0, 200)}…` : s }
}

interface AnswerLike {
  value?: unknown
  na?: boolean
  note?: string
  photoIds?: string[]
}

function answerValue(a: AnswerLike | undefined, item: ItemInfo | undefined): ShownValue {
  if (!a) return { kind: 'none' }
  if (a.na) return { kind: 'na' }
  const v = a.value
  if (v === undefined || v === null) return { kind: 'none' }
  if (typeof v === 'boolean') return { kind: v ? 'yes' : 'no' }
  if (typeof v !== 'number') return plain(v)
  if (item?.kind === 'scale' && item.max !== undefined)
    return { kind: 'points', value: v, max: item.max }
  if (item?.kind === 'count') return { kind: 'count', value: v }
  if (item?.kind === 'measure')
    return { kind: 'number', value: v, ...(item.unit ? { unit: item.unit } : {}) }
  return { kind: 'number', value: v }
}

const same = (a: ShownValue, b: ShownValue) => JSON.stringify(a) === JSON.stringify(b)

/** Fields never shown: identities, counters and what follows from the answers. */
const HIDDEN = new Set(['id', 'editSeq', 'revisionOf', 'rubricId', 'rubricVersion', 'storeCode'])

/** The score of a copy, when it has one. */
function scoreOf(e: Record<string, unknown> | undefined): ShownValue {
  const r = e?.result as { final?: unknown } | null | undefined
  return typeof r?.final === 'number' ? { kind: 'score', centi: r.final } : { kind: 'none' }
}

/**
 * The lines of an evaluation conflict: who and when for each copy, the score, then every
 * answer that differs (its value, note and photos as separate lines), then other fields.
 */
function evaluationLines(
  local: Record<string, unknown> | undefined,
  incoming: Record<string, unknown>,
  rubric: Rubric | undefined,
): ConflictLine[] {
  const items = itemsOf(rubric)
  const lines: ConflictLine[] = []
  const field = (name: string, l: ShownValue, i: ShownValue, always = false) => {
    if (always || !same(l, i)) lines.push({ field: { kind: 'field', name }, local: l, incoming: i })
  }
  field('evaluatorName', plain(local?.evaluatorName), plain(incoming.evaluatorName), true)
  field('status', plain(local?.status), plain(incoming.status), true)
  field(
    'submittedAt',
    plain(local?.submittedAt ?? local?.updatedAt),
    plain(incoming.submittedAt ?? incoming.updatedAt),
    true,
  )
  field('score', scoreOf(local), scoreOf(incoming), true)
  const la = (local?.answers ?? {}) as Record<string, AnswerLike>
  const ia = (incoming.answers ?? {}) as Record<string, AnswerLike>
  // In the rubric's order; answers to items the rubric does not know come last, by id.
  const order = [...items.keys()]
  const ids = [...new Set([...Object.keys(la), ...Object.keys(ia)])].sort(
    (a, b) =>
      (order.indexOf(a) + 1 || order.length + 1) - (order.indexOf(b) + 1 || order.length + 1) ||
      a.localeCompare(b),
  )
  for (const id of ids) {
    const item = items.get(id)
    const label = item?.label ?? { zh: id, en: id }
    const a = la[id]
    const b = ia[id]
    const pairs: [ConflictLine['field'], ShownValue, ShownValue][] = [
      [{ kind: 'item', label, part: 'value' }, answerValue(a, item), answerValue(b, item)],
      [{ kind: 'item', label, part: 'note' }, plain(a?.note), plain(b?.note)],
      [
        { kind: 'item', label, part: 'photos' },
        { kind: 'photos', n: a?.photoIds?.length ?? 0 },
        { kind: 'photos', n: b?.photoIds?.length ?? 0 },
      ],
    ]
    for (const [f, l, i] of pairs) if (!same(l, i)) lines.push({ field: f, local: l, incoming: i })
  }
  const shown = new Set([
    'evaluatorName',
    'status',
    'submittedAt',
    'updatedAt',
    'createdAt',
    'result',
    'answers',
  ])
  for (const d of diffFields('evaluation', local ?? {}, incoming)) {
    const top = d.path.split('.')[0]!
    if (shown.has(top) || HIDDEN.has(top)) continue
    field(d.path, plain(d.local), plain(d.incoming))
  }
  return lines
}

/** The lines in which two copies of a record differ, in the user's words. */
export function conflictLines(
  kind: RecordKind,
  local: unknown,
  incoming: unknown,
  rubric?: Rubric,
): ConflictLine[] {
  if (kind === 'evaluation')
    return evaluationLines(
      local as Record<string, unknown> | undefined,
      (incoming ?? {}) as Record<string, unknown>,
      rubric,
    )
  return diffFields(kind, local, incoming)
    .filter((d) => !HIDDEN.has(d.path))
    .map((d) => ({
      field: { kind: 'field', name: d.path },
      local: plain(d.local),
      incoming: plain(d.incoming),
    }))
}

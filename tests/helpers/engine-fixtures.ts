/**
 * Small rubrics, answers, stores and results for the engine tests. Rubrics go through
 * rubricSchema.parse so they carry the same defaults as rubric files.
 */
import { rubricSchema, type Rubric, type RubricInput } from '../../src/domain/rubric-schema'
import type { StoreResult } from '../../src/domain/store-result'
import type { Answer, Answers, Centi, Grade, Reviewer, Store } from '../../src/domain/types'

export const SRC = '002_f6e0ab89cfbcd1f6.txt:L144'
export const label = (en: string) => ({ zh: en, en })

type SectionInput = RubricInput['sections'][number]
type ItemInput = SectionInput['items'][number]

/** An item with the boilerplate filled in. */
export function item(
  props: Record<string, unknown> & { id: string; kind: ItemInput['kind'] },
): ItemInput {
  return { label: label(props.id), hint: label(props.id), source: SRC, ...props } as ItemInput
}

export function section(id: string, weight: number, items: ItemInput[]): SectionInput {
  return { id, title: label(id), weight, items }
}

export function rubric(sections: SectionInput[], extra: Partial<RubricInput> = {}): Rubric {
  return rubricSchema.parse({
    kind: 'rubric',
    id: 'test',
    version: '1.0.0',
    title: label('test'),
    appliesTo: { levels: [1, 2, 3], types: ['self'] },
    sections,
    ...extra,
  })
}

/** A rubric of two yes/no items in one 100-weight section: `earned` true, the rest false. */
export function rubricScoring(earned: number, bonus?: number): Rubric {
  const items: ItemInput[] = [item({ id: 'got', kind: 'yesno', max: earned })]
  if (earned < 100)
    items.push(
      item({
        id: 'lost',
        kind: 'yesno',
        max: Math.round((100 - earned) * 100) / 100,
        evidence: 'none',
      }),
    )
  return rubric(
    [section('all', 100, items)],
    bonus === undefined
      ? {}
      : {
          bonus: {
            cap: 10,
            items: [
              {
                id: 'x',
                label: label('x'),
                hint: label('x'),
                source: SRC,
                kind: 'yesno',
                points: bonus,
              },
            ],
          },
        },
  )
}

export function answersFor(r: Rubric, bonus = false): Answers {
  const a: Answers = { got: { itemId: 'got', value: true } }
  if (r.sections[0]?.items.some((i) => i.id === 'lost')) a.lost = { itemId: 'lost', value: false }
  if (bonus) a.x = { itemId: 'x', value: true }
  return a
}

export function answers(list: Array<Omit<Answer, 'itemId'> & { id: string }>): Answers {
  const out: Answers = {}
  for (const { id, ...rest } of list) out[id] = { itemId: id, ...rest }
  return out
}

let storeSeq = 0
export function store(props: Partial<Store> & { code?: string } = {}): Store {
  storeSeq += 1
  return {
    code: props.code ?? `S${String(storeSeq).padStart(5, '0')}`,
    name: props.name ?? 'store',
    province: props.province ?? '广东',
    city: props.city ?? '广州',
    level: props.level ?? 1,
    type: props.type ?? 'self',
    ...props,
  }
}

/** A graded result with a score (as storeResult would produce for a city inspection). */
export function result(
  storeCode: string,
  final: Centi,
  grade: Grade,
  extra: { deductions?: Centi; base?: Centi; bonus?: Centi; reviewer?: Reviewer } = {},
): StoreResult {
  return {
    storeCode,
    graded: true,
    reviewer: extra.reviewer ?? 'city',
    final,
    base: extra.base ?? final,
    bonus: extra.bonus ?? 0,
    deductions: extra.deductions ?? 0,
    scoreGrade: grade,
    grade,
    redLines: [],
    notes: [],
  }
}

/**
 * The rubric converted to Centi once and checked (weights, duplicate ids, scored): scoring
 * 60,000 evaluations must not re-parse decimals. Cached per rubric object.
 */
import { toCenti } from '../points'
import type { Evidence, Rubric, RubricItem } from '../rubric-schema'
import type { Centi } from '../types'
import { BASE_TOTAL, type ScoringError } from './types'

export type CItem =
  | {
      kind: 'yesno'
      id: string
      max: Centi
      redLine: boolean
      allowNA: boolean
      evidence: Evidence
    }
  | {
      kind: 'scale'
      id: string
      max: Centi
      step: Centi
      redLine: boolean
      allowNA: boolean
      evidence: Evidence
    }
  | {
      kind: 'count'
      id: string
      max: Centi
      per: Centi
      redLine: boolean
      allowNA: boolean
      evidence: Evidence
    }
  | {
      kind: 'measure'
      id: string
      max: Centi
      better: 'lower' | 'higher'
      bands: { limit: number; points: Centi }[]
      redLine: boolean
      allowNA: boolean
      evidence: Evidence
    }

export interface CSection {
  id: string
  weight: Centi
  items: CItem[]
}

export interface CExtra {
  id: string
  kind: 'yesno' | 'count'
  points: Centi
  max: Centi | null
  redLine: boolean
  evidence: Evidence
}

interface CompiledRubric {
  errors: ScoringError[]
  sections: CSection[]
  bonus: CExtra[]
  bonusCap: Centi
  deductions: CExtra[]
  itemIds: Set<string>
  total: number
}

const compiled = new WeakMap<Rubric, CompiledRubric>()

export function compile(rubric: Rubric): CompiledRubric {
  const cached = compiled.get(rubric)
  if (cached) return cached
  const errors: ScoringError[] = []
  const itemIds = new Set<string>()
  const seen = (id: string) => {
    if (itemIds.has(id))
      errors.push({ code: 'duplicate-item', itemId: id, message: `item id ${id} is used twice` })
    itemIds.add(id)
  }
  const defaultEvidence: Evidence = rubric.evidence ?? 'photo-or-note'
  if (rubric.scored === false) {
    errors.push({
      code: 'rubric-not-scored',
      message: `rubric ${rubric.id} is a checklist without scores`,
    })
  }
  let weightSum = 0
  let total = 0
  const sections = rubric.sections.map((s): CSection => {
    const weight = toCenti(s.weight)
    weightSum += weight
    return {
      id: s.id,
      weight,
      items: s.items.map((item) => {
        seen(item.id)
        total += 1
        return compileItem(item, defaultEvidence)
      }),
    }
  })
  if (weightSum !== BASE_TOTAL) {
    errors.push({
      code: 'weights-sum',
      message: `section weights of ${rubric.id} sum to ${weightSum / 100}, not 100`,
    })
  }
  const extra = (
    i: { id: string; kind: 'yesno' | 'count'; points: number; max?: number; evidence?: Evidence },
    redLine: boolean,
  ): CExtra => {
    seen(i.id)
    return {
      id: i.id,
      kind: i.kind,
      points: toCenti(i.points),
      max: i.max === undefined ? null : toCenti(i.max),
      redLine,
      evidence: i.evidence ?? defaultEvidence,
    }
  }
  const result: CompiledRubric = {
    errors,
    sections,
    bonus: (rubric.bonus?.items ?? []).map((i) => extra(i, false)),
    bonusCap: rubric.bonus ? toCenti(rubric.bonus.cap) : 0,
    deductions: (rubric.deductions?.items ?? []).map((i) => extra(i, i.redLine === true)),
    itemIds,
    total,
  }
  compiled.set(rubric, result)
  return result
}

function compileItem(item: RubricItem, defaultEvidence: Evidence): CItem {
  const common = {
    id: item.id,
    max: toCenti(item.max),
    redLine: item.redLine === true,
    allowNA: item.allowNA === true,
    evidence: item.evidence ?? defaultEvidence,
  }
  switch (item.kind) {
    case 'yesno':
      return { kind: 'yesno', ...common }
    case 'scale':
      return { kind: 'scale', ...common, step: toCenti(item.step) }
    case 'count':
      return { kind: 'count', ...common, per: toCenti(item.perOccurrence) }
    case 'measure':
      return {
        kind: 'measure',
        ...common,
        better: item.better,
        bands: item.bands.map((b) => ({ limit: b.limit, points: toCenti(b.points) })),
      }
  }
}

import { describe, expect, it } from 'vitest'
import { conflictLines } from '../../src/domain/conflict-view'
import { TEST_RUBRIC } from '../fixtures/exchange'

const base = {
  id: 'e1',
  storeCode: 'JSNJ001',
  evaluatorName: '王',
  status: 'submitted',
  submittedAt: '2026-12-05T03:00:00.000Z',
  result: { final: 9000 },
  editSeq: 3,
  answers: {
    clean: { itemId: 'clean', value: false, note: '地面脏' },
    greet: { itemId: 'greet', value: 20 },
    queue: { itemId: 'queue', value: 1 },
  },
}

describe('the conflict screen in the user’s words', () => {
  it('names items by label and shows answers as given; ids and counters never show', () => {
    const other = {
      ...base,
      id: 'e2',
      editSeq: 9,
      result: { final: 9500 },
      answers: {
        clean: { itemId: 'clean', value: true },
        greet: { itemId: 'greet', value: 30 },
        queue: { itemId: 'queue', na: true },
      },
    }
    const lines = conflictLines('evaluation', base, other, TEST_RUBRIC)
    const find = (label: string, part = 'value') =>
      lines.find(
        (l) => l.field.kind === 'item' && l.field.label.zh === label && l.field.part === part,
      )
    expect(find('整洁')).toMatchObject({ local: { kind: 'no' }, incoming: { kind: 'yes' } })
    expect(find('整洁', 'note')).toMatchObject({ local: { kind: 'text', text: '地面脏' } })
    expect(find('问候')).toMatchObject({
      local: { kind: 'points', value: 20, max: 30 },
      incoming: { kind: 'points', value: 30, max: 30 },
    })
    expect(find('排队')).toMatchObject({
      local: { kind: 'count', value: 1 },
      incoming: { kind: 'na' },
    })
    const score = lines.find((l) => l.field.kind === 'field' && l.field.name === 'score')
    expect(score).toMatchObject({ local: { kind: 'score', centi: 9000 } })
    const submitted = lines.find((l) => l.field.kind === 'field' && l.field.name === 'submittedAt')
    expect(submitted?.local).toEqual({ kind: 'time', iso: base.submittedAt })
    const names = lines.flatMap((l) => (l.field.kind === 'field' ? [l.field.name] : []))
    expect(names).not.toContain('id')
    expect(names).not.toContain('editSeq')
    expect(names.some((n) => n.startsWith('answers.'))).toBe(false)
  })
})

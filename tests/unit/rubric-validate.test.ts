import { describe, expect, it } from 'vitest'
import {
  formatPath,
  parsePath,
  validateRubric,
  type RubricError,
} from '../../src/domain/rubric-validate'

/** A small valid rubric; each test breaks one thing. Raw, untyped data on purpose: it is what a file holds. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function rubric(): Record<string, any> {
  const t = (s: string) => ({ zh: `中${s}`, en: s })
  const yesno = (id: string, max = 5) => ({
    id,
    kind: 'yesno',
    max,
    label: t(id),
    hint: t(id),
    source: 'common practice: test',
  })
  return {
    kind: 'rubric',
    id: 'test',
    version: '1.0.0',
    title: t('Test'),
    appliesTo: { levels: [1, 2, 3], types: ['self'] },
    sections: [
      { id: 's1', title: t('S1'), weight: 60, items: [yesno('a'), yesno('b')] },
      {
        id: 's2',
        title: t('S2'),
        weight: 40,
        items: [
          yesno('c'),
          {
            id: 'd',
            kind: 'scale',
            max: 4,
            step: 1,
            label: t('d'),
            hint: t('d'),
            source: 'common practice: test',
          },
          {
            id: 'e',
            kind: 'count',
            max: 3,
            perOccurrence: 1,
            label: t('e'),
            hint: t('e'),
            source: 'common practice: test',
          },
          {
            id: 'f',
            kind: 'measure',
            max: 3,
            unit: t('min'),
            better: 'lower',
            bands: [
              { limit: 30, points: 3 },
              { limit: 45, points: 1 },
            ],
            label: t('f'),
            hint: t('f'),
            source: '002_f6e0ab89cfbcd1f6.txt:L35-L37',
          },
        ],
      },
    ],
    bonus: {
      cap: 5,
      items: [
        {
          id: 'g',
          kind: 'count',
          points: 1,
          max: 2,
          label: t('g'),
          hint: t('g'),
          source: 'common practice: x',
        },
      ],
    },
    deductions: {
      items: [
        {
          id: 'h',
          kind: 'yesno',
          points: 10,
          redLine: true,
          label: t('h'),
          hint: t('h'),
          source: 'common practice: x',
        },
      ],
    },
  }
}

function errorsOf(raw: unknown): RubricError[] {
  const r = validateRubric(raw)
  return r.ok ? [] : r.errors
}

function paths(raw: unknown): string[] {
  return errorsOf(raw).map((e) => e.path)
}

describe('validateRubric', () => {
  it('accepts a valid rubric and fills the defaults', () => {
    const r = validateRubric(rubric())
    expect(r.ok).toBe(true)
    if (r.ok) {
      expect(r.rubric.scored).toBe(true)
      expect(r.rubric.evidence).toBe('photo-or-note')
    }
  })

  it('reports a bad weight sum at `sections`, with the total', () => {
    const raw = rubric()
    raw.sections[1].weight = 35.5
    expect(errorsOf(raw)).toEqual([
      {
        path: 'sections',
        message:
          'the section weights add up to 95.5; they must add up to exactly 100 (4.5 missing)',
      },
    ])
    raw.sections[1].weight = 40.01
    expect(errorsOf(raw)[0]?.message).toContain('100.01')
    expect(errorsOf(raw)[0]?.message).toContain('too many')
  })

  it('sums weights exactly in hundredths', () => {
    const raw = rubric()
    raw.sections.push({
      ...raw.sections[1],
      id: 's3',
      items: [{ ...raw.sections[1].items[0], id: 'c3' }],
    })
    raw.sections[0].weight = 33.33
    raw.sections[1].weight = 33.33
    raw.sections[2].weight = 33.34
    expect(errorsOf(raw)).toEqual([])
    raw.sections[2].weight = 33.33
    expect(paths(raw)).toEqual(['sections'])
  })

  it('reports a zero or negative max at the item path', () => {
    const raw = rubric()
    raw.sections[1].items[1].max = 0
    raw.sections[0].items[1].max = -2
    expect(errorsOf(raw)).toEqual(
      expect.arrayContaining([
        { path: 'sections[1].items[1].max', message: 'must be > 0' },
        { path: 'sections[0].items[1].max', message: 'must be > 0' },
      ]),
    )
  })

  it('reports a zero section weight and skips the sum check then', () => {
    const raw = rubric()
    raw.sections[1].weight = 0
    expect(errorsOf(raw)).toEqual([{ path: 'sections[1].weight', message: 'must be > 0' }])
  })

  it('reports duplicate ids anywhere in the rubric, naming the first use', () => {
    const raw = rubric()
    raw.sections[1].items[0].id = 'a'
    raw.bonus.items[0].id = 's1'
    raw.deductions.items[0].id = 'b'
    expect(errorsOf(raw)).toEqual([
      {
        path: 'sections[1].items[0].id',
        message:
          '"a" is already used at sections[0].items[0].id; every id must be different in the whole rubric',
      },
      {
        path: 'bonus.items[0].id',
        message:
          '"s1" is already used at sections[0].id; every id must be different in the whole rubric',
      },
      {
        path: 'deductions.items[0].id',
        message:
          '"b" is already used at sections[0].items[1].id; every id must be different in the whole rubric',
      },
    ])
  })

  describe('measure bands', () => {
    it('reports limits out of order for lower-is-better', () => {
      const raw = rubric()
      raw.sections[1].items[3].bands[1].limit = 20
      expect(paths(raw)).toEqual(['sections[1].items[3].bands[1].limit'])
    })

    it('reports limits out of order for higher-is-better', () => {
      const raw = rubric()
      raw.sections[1].items[3].better = 'higher'
      // 30 then 45 is wrong when larger values are better.
      expect(paths(raw)).toEqual(['sections[1].items[3].bands[1].limit'])
      raw.sections[1].items[3].bands = [
        { limit: 10, points: 3 },
        { limit: 8, points: 1 },
      ]
      expect(paths(raw)).toEqual([])
    })

    it('reports points that rise, exceed max, are negative, or never reach max', () => {
      const raw = rubric()
      raw.sections[1].items[3].bands = [
        { limit: 10, points: 3 },
        { limit: 20, points: 4 },
        { limit: 30, points: -1 },
      ]
      expect(errorsOf(raw).map((e) => e.path)).toEqual([
        'sections[1].items[3].bands[1].points',
        'sections[1].items[3].bands[1].points',
        'sections[1].items[3].bands[2].points',
      ])
      raw.sections[1].items[3].bands = [{ limit: 10, points: 2 }]
      expect(errorsOf(raw)).toEqual([
        {
          path: 'sections[1].items[3].bands[0].points',
          message:
            "the first (best) band must give the item's full max (3), or the item can never be passed in full",
        },
      ])
    })
  })

  it('requires a scale max to be a whole number of steps', () => {
    const raw = rubric()
    raw.sections[1].items[1].step = 1.5
    expect(errorsOf(raw)).toEqual([
      {
        path: 'sections[1].items[1].max',
        message: 'must be a whole number of steps of 1.5 (for example 3 or 4.5)',
      },
    ])
    raw.sections[1].items[1].step = 5
    expect(paths(raw)).toEqual(['sections[1].items[1].step'])
  })

  it('requires a count item to lose no more per occurrence than its max', () => {
    const raw = rubric()
    raw.sections[1].items[2].perOccurrence = 4
    expect(paths(raw)).toEqual(['sections[1].items[2].perOccurrence'])
  })

  it('allows red lines only on yes/no section items and on deductions', () => {
    const raw = rubric()
    raw.sections[0].items[0].redLine = true
    expect(paths(raw)).toEqual([])
    raw.sections[1].items[1].redLine = true
    raw.sections[1].items[3].redLine = true
    expect(paths(raw)).toEqual(['sections[1].items[1].redLine', 'sections[1].items[3].redLine'])
  })

  it('checks the bonus cap and bonus/deduction maxima', () => {
    const raw = rubric()
    raw.bonus.cap = 0
    expect(paths(raw)).toEqual(['bonus.cap'])
    raw.bonus.cap = 0.5
    expect(paths(raw)).toEqual(['bonus.items[0].points'])
    raw.bonus.cap = 5
    raw.bonus.items[0].max = 0.5
    raw.deductions.items[0].max = 20
    expect(paths(raw)).toEqual(['bonus.items[0].max', 'deductions.items[0].max'])
  })

  it('refuses bonus and deductions in an unscored checklist', () => {
    const raw = rubric()
    raw.scored = false
    expect(paths(raw)).toEqual(['bonus', 'deductions'])
  })

  it('writes plain messages for missing fields, wrong types, unknown fields and bad kinds', () => {
    const raw = rubric()
    delete raw.sections[0].items[0].label
    raw.sections[0].items[1].max = '5'
    raw.sections[1].wieght = 3
    raw.sections[1].items[0].kind = 'yes-no'
    raw.appliesTo.levels = [1, 5]
    raw.sections[0].items[1].source = 'seeds'
    expect(errorsOf(raw)).toEqual(
      expect.arrayContaining([
        { path: 'sections[0].items[0].label', message: 'is missing' },
        { path: 'sections[0].items[1].max', message: 'must be a number' },
        { path: 'sections[1].wieght', message: 'is not a known field (check the spelling)' },
        {
          path: 'sections[1].items[0].kind',
          message: 'must be one of: yesno, scale, count, measure',
        },
        { path: 'appliesTo.levels[1]', message: 'must be one of: 1, 2, 3, 4' },
        {
          path: 'sections[0].items[1].source',
          message:
            'must cite a seed file and line (e.g. "002_f6e0ab89cfbcd1f6.txt:L285") or start with "common practice"',
        },
      ]),
    )
    for (const e of errorsOf(raw))
      expect(e.message).not.toMatch(/Invalid input|expected .* received/)
  })

  it('reports schema and cross-field errors together', () => {
    const raw = rubric()
    raw.sections[0].items[0].label.en = ''
    raw.sections[1].weight = 30
    expect(paths(raw)).toEqual(['sections[0].items[0].label.en', 'sections'])
  })

  it('rejects something that is not a rubric at all', () => {
    expect(paths('hello')).toEqual([''])
    expect(paths([])).toEqual([''])
  })
})

describe('paths', () => {
  it('formats and parses the same path', () => {
    const segs = ['sections', 2, 'items', 4, 'max']
    expect(formatPath(segs)).toBe('sections[2].items[4].max')
    expect(parsePath('sections[2].items[4].max')).toEqual(segs)
    expect(parsePath('')).toEqual([])
  })
})

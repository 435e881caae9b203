import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Rubric } from '../../src/domain/rubric-schema'
import {
  compareVersions,
  normaliseProvince,
  pick,
  RubricRegistry,
} from '../../src/domain/rubric-registry'
import {
  addVariant,
  resolveVariant,
  validateVariant,
  type RubricVariant,
} from '../../src/domain/rubric-variant'
import { validateRubric } from '../../src/domain/rubric-validate'
import type { Store } from '../../src/domain/types'

const t = (s: string) => ({ zh: `中${s}`, en: s })
const yesno = (id: string, max = 5) => ({
  id,
  kind: 'yesno' as const,
  max,
  label: t(id),
  hint: t(id),
  source: 'common practice: test',
})

function baseRubric(over: Record<string, unknown> = {}): Rubric {
  const r = validateRubric({
    kind: 'rubric',
    id: 'svc',
    version: '1.0.0',
    title: t('Service'),
    appliesTo: { levels: [1, 2, 3], types: ['self'] },
    sections: [
      { id: 'queue', title: t('Queue'), weight: 20, items: [yesno('q1'), yesno('q2')] },
      { id: 'env', title: t('Env'), weight: 80, items: [yesno('e1'), yesno('e2')] },
    ],
    bonus: {
      cap: 3,
      items: [
        {
          id: 'b1',
          kind: 'yesno',
          points: 1,
          label: t('b1'),
          hint: t('b1'),
          source: 'common practice: x',
        },
      ],
    },
    ...over,
  })
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  return r.rubric
}

function variant(
  overrides: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): RubricVariant {
  const v = validateVariant({
    kind: 'rubric-variant',
    id: 'svc-js',
    version: '1.0.0',
    title: t('Jiangsu'),
    extends: { id: 'svc', version: '1.0.0' },
    appliesTo: { provinces: ['江苏'] },
    overrides,
    ...extra,
  })
  if (!v.ok) throw new Error(JSON.stringify(v.errors))
  return v.variant
}

describe('resolveVariant', () => {
  it('overrides weights, adds items and bonus, and leaves the base untouched', () => {
    const base = baseRubric()
    const before = structuredClone(base)
    const v = variant({
      sections: [
        { id: 'queue', weight: 30 },
        { id: 'env', weight: 70 },
      ],
      addItems: [
        { section: 'queue', after: 'q1', item: yesno('vip', 2) },
        { section: 'env', item: yesno('e3', 1) },
      ],
      addBonus: [
        {
          id: 'b2',
          kind: 'yesno',
          points: 1,
          label: t('b2'),
          hint: t('b2'),
          source: 'common practice: x',
        },
      ],
      addDeductions: [
        {
          id: 'd1',
          kind: 'yesno',
          points: 2,
          label: t('d1'),
          hint: t('d1'),
          source: 'common practice: x',
        },
      ],
    })
    const r = resolveVariant(v, base)
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(`${r.rubric.id}@${r.rubric.version}`).toBe('svc-js@1.0.0')
    expect(r.rubric.title).toEqual(t('Jiangsu'))
    expect(r.rubric.sections.map((s) => s.weight)).toEqual([30, 70])
    expect(r.rubric.sections[0]?.items.map((i) => i.id)).toEqual(['q1', 'vip', 'q2'])
    expect(r.rubric.sections[1]?.items.map((i) => i.id)).toEqual(['e1', 'e2', 'e3'])
    expect(r.rubric.bonus?.items.map((i) => i.id)).toEqual(['b1', 'b2'])
    expect(r.rubric.deductions?.items.map((i) => i.id)).toEqual(['d1'])
    expect(r.rubric.appliesTo).toEqual(base.appliesTo)
    expect(base).toEqual(before)
  })

  it('removes section, bonus and deduction items', () => {
    const v = variant({ removeItems: ['q2', 'b1'] })
    const r = resolveVariant(v, baseRubric())
    expect(r.ok && r.rubric.sections[0]?.items.map((i) => i.id)).toEqual(['q1'])
    expect(r.ok && r.rubric.bonus).toBeUndefined()
  })

  it('validates the result: weights that no longer add up to 100 are refused', () => {
    const r = resolveVariant(variant({ sections: [{ id: 'queue', weight: 25 }] }), baseRubric())
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.errors).toHaveLength(1)
    expect(r.errors[0]?.path).toBe('overrides.sections')
    expect(r.errors[0]?.message).toContain('add up to 105')
  })

  it('refuses an added item whose id the base already uses', () => {
    const r = resolveVariant(
      variant({ addItems: [{ section: 'env', item: yesno('q1') }] }),
      baseRubric(),
    )
    expect(r.ok).toBe(false)
    expect(!r.ok && r.errors[0]?.message).toContain('"q1" is already used')
  })

  it('points at the variant field that names something the base lacks', () => {
    const r = resolveVariant(
      variant({
        sections: [{ id: 'nope', weight: 10 }],
        addItems: [
          { section: 'queue', after: 'zz', item: yesno('x') },
          { section: 'ghost', item: yesno('y') },
        ],
        removeItems: ['missing'],
      }),
      baseRubric(),
    )
    expect(!r.ok && r.errors.map((e) => e.path)).toEqual([
      'overrides.sections[0].id',
      'overrides.removeItems[0]',
      'overrides.addItems[0].after',
      'overrides.addItems[1].section',
    ])
  })

  it('refuses a base with another id or version', () => {
    const r = resolveVariant(variant({}), baseRubric({ version: '1.1.0' }))
    expect(!r.ok && r.errors[0]?.path).toBe('extends')
  })

  it('checks the items a variant adds at the variant path', () => {
    const v = validateVariant({
      kind: 'rubric-variant',
      id: 'svc-js',
      version: '1.0.0',
      title: t('J'),
      extends: { id: 'svc', version: '1.0.0' },
      overrides: {
        addItems: [{ section: 'queue', item: { ...yesno('s'), kind: 'scale', max: 5, step: 2 } }],
      },
    })
    expect(!v.ok && v.errors.map((e) => e.path)).toEqual(['overrides.addItems[0].item.max'])
  })
})

function store(level: Store['level'], type: Store['type'], province = '浙江'): Store {
  return { code: 'S1', name: 'x', province, city: 'c', level, type }
}

describe('RubricRegistry and pick', () => {
  function registry(): RubricRegistry {
    const reg = new RubricRegistry()
    reg.add(baseRubric())
    reg.add(
      baseRubric({
        id: 'basic',
        scored: false,
        bonus: undefined,
        appliesTo: { levels: [1, 2, 3, 4], types: ['self', 'partner'] },
      }),
    )
    reg.add(
      baseRubric({
        id: 'daily',
        purpose: 'daily-check',
        scored: false,
        bonus: undefined,
        appliesTo: { levels: [1, 2, 3, 4], types: ['self'] },
      }),
    )
    const added = addVariant(reg, variant({ addItems: [{ section: 'queue', item: yesno('vip') }] }))
    expect(added.ok).toBe(true)
    return reg
  }

  it('picks the group rubric for a graded self-operated store', () => {
    const r = pick(registry(), store(2, 'self'))
    expect(r.ok && `${r.entry.rubric.id} ${r.reason}`).toBe('svc group')
  })

  it('picks the basic checklist for level 4 and for partner stores', () => {
    const reg = registry()
    for (const s of [store(4, 'self'), store(1, 'partner'), store(4, 'partner', '江苏')]) {
      const r = pick(reg, s)
      expect(r.ok && r.entry.rubric.id).toBe('basic')
    }
  })

  it('picks the provincial variant for a store in that province, however the name is written', () => {
    const reg = registry()
    for (const p of ['江苏', '江苏省', ' 江苏省 ']) {
      const r = pick(reg, store(1, 'self', p))
      expect(r.ok && `${r.entry.rubric.id} ${r.reason}`).toBe('svc-js province-variant')
    }
    expect(normaliseProvince('广西壮族自治区')).toBe('广西')
  })

  it('picks the daily check only when asked for it', () => {
    const reg = registry()
    const r = pick(reg, store(4, 'self'), { purpose: 'daily-check' })
    expect(r.ok && r.entry.rubric.id).toBe('daily')
    expect(pick(reg, store(4, 'partner'), { purpose: 'daily-check' })).toMatchObject({
      ok: false,
      reason: 'no-match',
    })
  })

  it('uses the latest version by default and keeps every old version retrievable', () => {
    const reg = registry()
    const v1 = reg.get('svc', '1.0.0')
    const v1Copy = structuredClone(v1)
    reg.add(baseRubric({ version: '1.10.0', title: t('Service v1.10') }))
    reg.add(baseRubric({ version: '1.2.0', title: t('Service v1.2') }))
    expect(reg.versions('svc')).toEqual(['1.0.0', '1.2.0', '1.10.0'])
    const latest = pick(reg, store(3, 'self'))
    expect(latest.ok && latest.entry.rubric.version).toBe('1.10.0')
    // An evaluation recorded svc@1.0.0: it is re-scored with exactly that, unchanged.
    const old = pick(reg, store(3, 'self'), { id: 'svc', version: '1.0.0' })
    expect(old.ok && old.reason).toBe('explicit')
    expect(old.ok && old.entry.rubric).toEqual(v1Copy)
    expect(pick(reg, store(3, 'self'), { id: 'svc', version: '9.9.9' })).toMatchObject({
      ok: false,
      reason: 'not-found',
    })
  })

  it('never lets a published version be replaced with different content', () => {
    const reg = registry()
    expect(() => reg.add(baseRubric({ title: t('Changed') }))).toThrow(/already registered/)
    expect(() => reg.add(baseRubric())).not.toThrow()
  })

  it('reports ties instead of guessing', () => {
    const reg = registry()
    reg.add(baseRubric({ id: 'svc2' }))
    const r = pick(reg, store(2, 'self'))
    expect(r.ok).toBe(false)
    expect(!r.ok && r.reason).toBe('ambiguous')
    expect(!r.ok && r.candidates.map((c) => c.rubric.id).sort()).toEqual(['svc', 'svc2'])
  })

  it('refuses a variant whose base is not registered', () => {
    const reg = new RubricRegistry()
    expect(addVariant(reg, variant({}))).toMatchObject({ ok: false, errors: [{ path: 'extends' }] })
  })

  it('compares versions numerically', () => {
    expect(compareVersions('1.10.0', '1.9.0')).toBeGreaterThan(0)
    expect(compareVersions('2.0.0', '2.0.0')).toBe(0)
    expect(compareVersions('0.9.9', '1.0.0')).toBeLessThan(0)
  })
})

describe('the shipped rubrics through the registry', () => {
  it('scores a Jiangsu level-1 store with the Jiangsu variant and others with the group rubric', async () => {
    const { buildRegistry } = await import('../../src/io/rubric-file')
    const dir = join(__dirname, '../../rubrics')
    const names = [
      'ct-store-service@1.0.0.yaml',
      'ct-store-service-js@1.0.0.yaml',
      'ct-store-basic@1.0.0.yaml',
      'ct-store-daily-check@1.0.0.yaml',
    ]
    const { registry: reg, reports } = buildRegistry(
      names.map((n) => ({ name: n, text: readFileSync(join(dir, n), 'utf8') })),
    )
    expect(reports.every((r) => r.ok)).toBe(true)
    const js = pick(reg, store(1, 'self', '江苏省'))
    expect(js.ok && js.entry.rubric.id).toBe('ct-store-service-js')
    const zj = pick(reg, store(1, 'self', '浙江省'))
    expect(zj.ok && zj.entry.rubric.id).toBe('ct-store-service')
    expect(
      (pick(reg, store(4, 'self', '江苏')) as { ok: true; entry: { rubric: Rubric } }).entry.rubric
        .id,
    ).toBe('ct-store-basic')
    const jsRubric = js.ok ? js.entry.rubric : undefined
    const queue = jsRubric?.sections.find((s) => s.id === 'queue')
    expect(queue?.weight).toBe(18)
    expect(queue?.items.map((i) => i.id).slice(0, 2)).toEqual(['qu-wait', 'js-vip-immediate'])
    expect(
      reg.get('ct-store-service', '1.0.0')?.sections.find((s) => s.id === 'queue')?.weight,
    ).toBe(14)
  })
})

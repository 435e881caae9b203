import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildRegistry, loadText, parseRubricText } from '../../src/io/rubric-file'

const SMALL = `kind: rubric
id: small
version: 1.0.0
title: { zh: 小, en: Small }
appliesTo:
  levels: [1]
  types: [self]
sections:
  - id: s1
    title: { zh: 一, en: One }
    weight: 100
    items:
      - id: a
        kind: yesno
        max: 2
        label: { zh: 甲, en: A }
        hint: { zh: 甲, en: A }
        source: "common practice: test"
`

describe('parseRubricText', () => {
  it('reads a YAML rubric', () => {
    const r = parseRubricText(SMALL)
    expect(r.ok && r.kind).toBe('rubric')
  })

  it('reads the same rubric written as JSON', () => {
    const data = loadText(SMALL).data
    const r = parseRubricText(JSON.stringify(data, null, 2))
    expect(r.ok && r.kind === 'rubric' && r.rubric.id).toBe('small')
  })

  it('reports YAML syntax errors with line and column', () => {
    const broken = SMALL.replace('    weight: 100', '    weight: 100: 5')
    const r = parseRubricText(broken)
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.errors[0]?.message).toMatch(/^YAML syntax error/)
    expect(r.errors[0]?.line).toBe(11)
    expect(r.errors[0]?.column).toBeGreaterThan(0)
  })

  it('reports a duplicated key as a syntax error on its line', () => {
    const r = parseRubricText(SMALL.replace('version: 1.0.0\n', 'version: 1.0.0\nversion: 1.0.1\n'))
    expect(!r.ok && r.errors[0]?.line).toBe(4)
  })

  it('maps validation errors to the line of the offending value', () => {
    const r = parseRubricText(
      SMALL.replace('        max: 2', '        max: 0').replace(
        '    weight: 100',
        '    weight: 90',
      ),
    )
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.errors).toEqual([
      { path: 'sections[0].items[0].max', message: 'must be > 0', line: 15, column: 14 },
      expect.objectContaining({ path: 'sections', line: 9 }),
    ])
  })

  it('points a missing field at its parent', () => {
    const r = parseRubricText(SMALL.replace('        max: 2\n', ''))
    expect(!r.ok && r.errors[0]).toMatchObject({
      path: 'sections[0].items[0].max',
      message: 'is missing',
      line: 13,
    })
  })

  it('dispatches on kind and explains an unknown kind', () => {
    expect(parseRubricText(SMALL.replace('kind: rubric', 'kind: rubrik'))).toMatchObject({
      ok: false,
      errors: [{ path: 'kind', line: 1 }],
    })
    const policy = readFileSync(join(__dirname, '../../rubrics/policy.default.yaml'), 'utf8')
    expect(parseRubricText(policy)).toMatchObject({ ok: true, kind: 'policy' })
    const variant = readFileSync(
      join(__dirname, '../../rubrics/ct-store-service-js@1.0.0.yaml'),
      'utf8',
    )
    expect(parseRubricText(variant)).toMatchObject({ ok: true, kind: 'rubric-variant' })
  })
})

describe('buildRegistry', () => {
  it('resolves a variant against a base read from another file, and reports a missing base', () => {
    const variant = `kind: rubric-variant
id: small-js
version: 1.0.0
title: { zh: 小江苏, en: Small Jiangsu }
extends: { id: small, version: 1.0.0 }
appliesTo: { provinces: [江苏] }
overrides:
  addItems:
    - section: s1
      item: { id: b, kind: yesno, max: 1, label: { zh: 乙, en: B }, hint: { zh: 乙, en: B }, source: "common practice: x" }
`
    const ok = buildRegistry(
      [{ name: 'v.yaml', text: variant }],
      [{ name: 'base.yaml', text: SMALL }],
    )
    expect(ok.reports).toEqual([
      expect.objectContaining({
        name: 'v.yaml',
        ok: true,
        key: 'small-js@1.0.0',
        summary: 'variant of small@1.0.0, 2 items',
      }),
    ])
    expect(ok.registry.get('small-js', '1.0.0')?.sections[0]?.items.map((i) => i.id)).toEqual([
      'a',
      'b',
    ])

    const missing = buildRegistry([{ name: 'v.yaml', text: variant }])
    expect(missing.reports[0]).toMatchObject({ ok: false, errors: [{ path: 'extends', line: 5 }] })
  })

  it('refuses two files that publish the same id@version differently', () => {
    const other = SMALL.replace(
      'title: { zh: 小, en: Small }',
      'title: { zh: 小二, en: Small two }',
    )
    const r = buildRegistry([
      { name: 'a.yaml', text: SMALL },
      { name: 'b.yaml', text: other },
    ])
    expect(r.reports.map((x) => x.ok)).toEqual([true, false])
  })
})

/**
 * Issue 7: a generated corpus of malformed rubric files (YAML and JSON), read the way the app and
 * `npm run rubric:check` read them (parseRubricText / buildRegistry). Each must be refused with
 * a message that names what is wrong (a path or a specific reason, not a crash), or accepted with
 * its text kept literally; none may throw, and none may take long (no catastrophic backtracking,
 * no alias expansion blow-up).
 */
import { describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import {
  buildRegistry,
  loadText,
  MAX_ALIAS_COUNT,
  MAX_RUBRIC_CHARS,
  parseRubricText,
} from '../../src/io/rubric-file'

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

interface Case {
  name: string
  text: string
  /**
   * 'refuse' with an optional check on the errors: a RegExp one message must match, or a path
   * one error's path must start with. 'either': only the invariants (no throw, time, messages).
   */
  expect: 'refuse' | 'accept' | 'either'
  message?: RegExp
  path?: string
  /** For an accepted file: this text must appear verbatim in the parsed rubric. */
  keeps?: string
}

function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }
const base = (): Record<string, Json> => loadText(SMALL).data as Record<string, Json>

/** Sets (or with `undefined` deletes) the value at a dotted path such as `sections.0.items.0.max`. */
function edit(path: string, value: Json | undefined): string {
  const doc = base()
  const keys = path.split('.')
  let node = doc as Record<string, Json>
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, Json>
  const last = keys.at(-1) as string
  if (value === undefined) delete node[last]
  else node[last] = value
  return stringify(doc)
}

const billionLaughs = (levels: number, width: number): string => {
  const lines = ['kind: rubric', `l0: &l0 "lol"`]
  for (let i = 1; i <= levels; i++)
    lines.push(`l${i}: &l${i} [${Array.from({ length: width }, () => `*l${i - 1}`).join(', ')}]`)
  return lines.join('\n')
}

const NASTY = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(document.cookie)</script>',
  '"><svg/onload=alert(1)>',
  '{{constructor.constructor("alert(1)")()}}',
  'javascript:alert(1)',
]

function corpus(): Case[] {
  const r = rng(7_2026)
  const cases: Case[] = []
  const add = (c: Case) => cases.push(c)

  // 1. YAML syntax errors, each at a known place in an otherwise good file.
  const syntax: [string, string][] = [
    ['bad-indent', SMALL.replace('    weight: 100', '      weight: 100')],
    [
      'unclosed-flow-map',
      SMALL.replace('title: { zh: 小, en: Small }', 'title: { zh: 小, en: Small'),
    ],
    ['unclosed-flow-seq', SMALL.replace('levels: [1]', 'levels: [1')],
    ['unclosed-double-quote', SMALL.replace('source: "common practice: test"', 'source: "common')],
    ['unclosed-single-quote', SMALL.replace('id: small', "id: 'small")],
    ['bad-escape', SMALL.replace('source: "common practice: test"', 'source: "bad \\q escape"')],
    ['tab-indent', SMALL.replace('    weight: 100', '\tweight: 100')],
    ['duplicate-key', SMALL.replace('id: small\n', 'id: small\nid: other\n')],
    ['map-in-scalar', SMALL.replace('    weight: 100', '    weight: 100: 5')],
    ['seq-after-map', `${SMALL}- stray item\n`],
    ['two-documents', `${SMALL}---\n${SMALL}`],
    ['anchor-without-value', SMALL.replace('id: small', 'id: &')],
    ['unresolved-alias', SMALL.replace('id: small', 'id: *nowhere')],
    ['alias-before-anchor', SMALL.replace('id: small', 'id: *later\nlater: &later x')],
    ['stray-closing-bracket', SMALL.replace('types: [self]', 'types: [self]]')],
    ['flow-map-missing-comma', SMALL.replace('{ zh: 小, en: Small }', '{ zh: 小 en: Small }')],
    ['block-scalar-bad-indent', SMALL.replace('id: small', 'id: |\nsmall')],
    ['json-trailing-comma', '{"kind": "rubric", "id": "x",}'],
    ['json-unclosed', '{"kind": "rubric", "id": "x"'],
    ['json-single-quotes-unclosed', "{'kind': 'rubric}"],
  ]
  for (const [name, text] of syntax)
    add({ name: `syntax-${name}`, text, expect: 'refuse', message: /YAML|must|missing|kind/ })
  // An unknown directive version is only a warning in YAML 1.2: the file may be read.
  add({ name: 'syntax-future-directive', text: `%YAML 9.9\n---\n${SMALL}`, expect: 'either' })

  // 2. Not a rubric at all: empty, scalars, lists, binary junk.
  for (const [name, text] of [
    ['empty', ''],
    ['whitespace', ' \n\t\n'],
    ['doc-marker-only', '---\n'],
    ['null', 'null'],
    ['number', '42'],
    ['string', '"rubric"'],
    ['list', '- kind: rubric\n'],
    ['kind-unknown', 'kind: recipe\n'],
    ['kind-number', 'kind: 7\n'],
    ['kind-list', 'kind: [rubric]\n'],
    ['kind-html', `kind: "${NASTY[0]}"\n`],
    ['json-array', '[{"kind":"rubric"}]'],
  ] as const)
    add({ name: `not-rubric-${name}`, text, expect: 'refuse', path: 'kind' })
  for (let i = 0; i < 15; i++) {
    const len = 8 + Math.floor(r() * 4000)
    const text = String.fromCharCode(...Array.from({ length: len }, () => Math.floor(r() * 256)))
    add({ name: `junk-${i}`, text, expect: 'refuse' })
  }
  add({ name: 'nul-bytes', text: `kind: rubric\nid: a\u0000b\n`, expect: 'refuse' })
  add({ name: 'utf16-as-text', text: `\ufeff${SMALL.split('').join('\u0000')}`, expect: 'refuse' })

  // 3. Wrong types at every level: the error names the field.
  const paths = [
    'id',
    'version',
    'title',
    'title.zh',
    'appliesTo',
    'appliesTo.levels',
    'appliesTo.types',
    'sections',
    'sections.0',
    'sections.0.id',
    'sections.0.weight',
    'sections.0.items',
    'sections.0.items.0.id',
    'sections.0.items.0.kind',
    'sections.0.items.0.max',
    'sections.0.items.0.label',
    'sections.0.items.0.label.en',
  ]
  const wrong: [string, Json][] = [
    ['null', null],
    ['number', -1.5],
    ['bool', true],
    ['list', [1, 'x']],
    ['object', { x: { y: 1 } }],
  ]
  for (const p of paths)
    for (const [label, value] of wrong) {
      // A number where a number belongs is covered by the range cases below.
      if (label === 'number' && /weight|max/.test(p)) continue
      add({
        name: `wrong-type-${p}-${label}`,
        text: edit(p, value),
        expect: 'refuse',
        path: p.replace(/\.(\d+)/g, '[$1]').replace(/\.0$/, ''),
      })
    }
  for (const [p, v] of [
    ['sections.0.weight', -5],
    ['sections.0.weight', 1e308],
    ['sections.0.items.0.max', 0],
    ['sections.0.items.0.max', -2],
    ['appliesTo.levels', [9]],
    ['appliesTo.types', ['franchise']],
  ] as [string, Json][])
    add({
      name: `out-of-range-${p}-${JSON.stringify(v)}`,
      text: edit(p, v),
      expect: 'refuse',
      path: p.replace(/\.(\d+)/g, '[$1]'),
    })

  // 4. Missing fields: the error names the one that is missing.
  for (const p of [
    'kind',
    'id',
    'version',
    'title',
    'appliesTo',
    'sections',
    'sections.0.id',
    'sections.0.title',
    'sections.0.items',
    'sections.0.items.0.id',
    'sections.0.items.0.kind',
    'sections.0.items.0.max',
    'sections.0.items.0.label',
    'sections.0.items.0.source',
  ])
    add({
      name: `missing-${p}`,
      text: edit(p, undefined),
      expect: 'refuse',
      path: p.replace(/\.(\d+)/g, '[$1]'),
    })

  // 5. Markup in labels and ids: ids are refused by their pattern; labels are plain text and
  //    must come through verbatim (the UI renders them as text, never as HTML).
  for (const [i, nasty] of NASTY.entries()) {
    add({
      name: `html-label-${i}`,
      text: edit('sections.0.items.0.label.zh', nasty),
      expect: 'accept',
      keeps: nasty,
    })
    add({
      name: `html-title-${i}`,
      text: edit('title.en', nasty),
      expect: 'accept',
      keeps: nasty,
    })
    add({ name: `html-id-${i}`, text: edit('id', nasty), expect: 'refuse', path: 'id' })
    add({
      name: `html-item-id-${i}`,
      text: edit('sections.0.items.0.id', nasty),
      expect: 'refuse',
      path: 'sections[0].items[0].id',
    })
  }

  // 6. Deep nesting, in YAML block and flow style and as JSON.
  for (const depth of [1_000, 10_000, 100_000])
    add({
      name: `deep-flow-${depth}`,
      text: `kind: rubric\nx: ${'['.repeat(depth)}${']'.repeat(depth)}\n`,
      expect: 'refuse',
    })
  for (const depth of [200, 2_000])
    add({
      name: `deep-block-${depth}`,
      text: `kind: rubric\n${Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}k:`).join('\n')}\n`,
      expect: 'refuse',
    })
  for (const depth of [5_000, 50_000])
    add({
      name: `deep-json-${depth}`,
      text: `{"kind":"rubric","x":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`,
      expect: 'refuse',
    })

  // 7. One-megabyte single lines, in every place a long line can sit: refused by size before
  //    parsing. Below the size limit, long lines are parsed (linear time) and judged normally.
  const mb = 1024 * 1024
  const tooLarge = /file too large/
  const long = (n: number): Case[] => [
    { name: `${n}-id`, text: SMALL.replace('id: small', `id: ${'a'.repeat(n)}`), expect: 'either' },
    {
      name: `${n}-id-regex-bait`,
      text: SMALL.replace('id: small', `id: ${'a-'.repeat(n / 2)}!`),
      expect: 'refuse',
      path: 'id',
    },
    {
      name: `${n}-version-regex-bait`,
      text: SMALL.replace('version: 1.0.0', `version: 1.0.0-${'0.'.repeat(n / 2)}!`),
      expect: 'refuse',
      path: 'version',
    },
    { name: `${n}-comment`, text: `# ${'x'.repeat(n)}\n${SMALL}`, expect: 'accept' },
    {
      name: `${n}-label`,
      text: SMALL.replace(
        'label: { zh: 甲, en: A }',
        `label: { zh: 甲, en: "${'A '.repeat(n / 2)}" }`,
      ),
      expect: 'either',
    },
    {
      name: `${n}-escaped-string`,
      text: SMALL.replace(
        'source: "common practice: test"',
        `source: "${'\\"\\u00e9'.repeat(n / 8)}"`,
      ),
      expect: 'either',
    },
    { name: `${n}-no-newline-junk`, text: 'k'.repeat(n), expect: 'refuse' },
    { name: `${n}-colons`, text: `kind: rubric\nx: ${': '.repeat(n / 2)}`, expect: 'refuse' },
    { name: `${n}-flow-items`, text: `kind: rubric\nx: [${'1,'.repeat(n / 2)}]`, expect: 'refuse' },
    {
      name: `${n}-json-line`,
      text: JSON.stringify({ ...base(), pad: 'p'.repeat(n) }),
      expect: 'refuse',
      path: 'pad',
    },
  ]
  for (const c of long(mb))
    add({ ...c, name: `mb-${c.name}`, expect: 'refuse', message: tooLarge, path: '' })
  for (const c of long(MAX_RUBRIC_CHARS - 4096)) add({ ...c, name: `near-limit-${c.name}` })

  // 8. Alias bombs ("billion laughs") and alias tricks: refused quickly, by name.
  for (const [levels, width] of [
    [9, 9],
    [12, 10],
    [30, 2],
    [4, 60],
  ] as const)
    add({
      name: `billion-laughs-${levels}x${width}`,
      text: billionLaughs(levels, width),
      expect: 'refuse',
      message: /aliases expand too much/,
    })
  add({
    name: 'billion-laughs-in-label',
    text: `${billionLaughs(9, 9).replace('kind: rubric\n', '')}\n${SMALL.replace('label: { zh: 甲, en: A }', 'label: { zh: *l9, en: A }')}`,
    expect: 'refuse',
    message: /aliases expand too much/,
  })
  add({
    name: 'merge-key-bomb',
    text: [
      'kind: rubric',
      'a: &a { x: 1, y: 2 }',
      ...Array.from(
        { length: 12 },
        (_, i) =>
          `m${i + 1}: &m${i + 1} { <<: [${Array(8)
            .fill(i === 0 ? '*a' : `*m${i}`)
            .join(', ')}] }`,
      ),
    ].join('\n'),
    expect: 'refuse',
  })
  add({
    name: 'many-aliases-of-scalar',
    text: `kind: rubric\na: &a x\nlist: [${Array(MAX_ALIAS_COUNT * 3)
      .fill('*a')
      .join(', ')}]\n`,
    expect: 'refuse',
    message: /aliases expand too much/,
  })

  // 9. Other kinds with garbage.
  for (const kind of ['rubric-variant', 'policy'])
    for (const [label, body] of [
      ['empty', ''],
      ['wrong-types', 'id: 5\nversion: [1]\nextends: "x"\n'],
      ['html', `id: "${NASTY[1]}"\nversion: "${NASTY[0]}"\n`],
    ])
      add({ name: `${kind}-${label}`, text: `kind: ${kind}\n${body}`, expect: 'refuse' })

  return cases
}

// A guard against super-linear (catastrophic) parsing, not a speed target: those live in the
// benchmarks. Generous so a loaded CI machine cannot make it flake.
const SECONDS = 10

describe('malformed rubric files (issue 7 corpus)', () => {
  const cases = corpus()

  it('is large enough and has unique names', () => {
    console.info(`rubric corpus: ${cases.length} files`)
    expect(cases.length).toBeGreaterThanOrEqual(150)
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length)
  })

  it(`refuses each with a specific message or keeps its text literally, never throws, each under ${SECONDS} s`, () => {
    const failures: string[] = []
    for (const c of cases) {
      const t0 = performance.now()
      let result
      try {
        result = parseRubricText(c.text)
      } catch (e) {
        failures.push(`${c.name}: threw ${String(e)}`)
        continue
      }
      const ms = performance.now() - t0
      if (ms > SECONDS * 1000) failures.push(`${c.name}: took ${Math.round(ms)} ms`)
      if (!result.ok) {
        if (c.expect === 'accept')
          failures.push(`${c.name}: refused: ${JSON.stringify(result.errors.slice(0, 2))}`)
        if (result.errors.length === 0) failures.push(`${c.name}: refused without an error`)
        // Specific: a path to the field, or a message that says what is wrong by itself.
        for (const e of result.errors)
          if (
            !e.message.trim() ||
            /\[object |^error$/i.test(e.message) ||
            (!e.path && e.message.length < 12)
          )
            failures.push(`${c.name}: vague message ${JSON.stringify(e)}`)
        // A message is for a person: a bounded line, not a megabyte echo of the input.
        for (const e of result.errors)
          if (e.message.length > 500)
            failures.push(`${c.name}: message of ${e.message.length} chars`)
        if (c.message && !result.errors.some((e) => c.message?.test(e.message)))
          failures.push(
            `${c.name}: no message matches ${c.message}: ${JSON.stringify(result.errors.map((e) => e.message))}`,
          )
        if (c.path && !result.errors.some((e) => e.path.startsWith(c.path as string)))
          failures.push(
            `${c.name}: no error at ${c.path}: ${JSON.stringify(result.errors.map((e) => e.path))}`,
          )
      } else {
        if (c.expect === 'refuse') failures.push(`${c.name}: accepted`)
        if (c.keeps && !JSON.stringify(result).includes(JSON.stringify(c.keeps).slice(1, -1)))
          failures.push(`${c.name}: text not kept verbatim`)
      }
    }
    expect(failures).toEqual([])
  }, 120_000)

  it('the registry reads the whole corpus at once without throwing and keeps only valid rubrics', () => {
    // The long-line files were timed above; here the point is many bad files side by side.
    const small = cases.filter((c) => c.text.length < 64 * 1024)
    const files = small.map((c) => ({ name: `${c.name}.yaml`, text: c.text }))
    const { reports, registry } = buildRegistry(files)
    expect(reports).toHaveLength(small.length)
    const accepted = reports.filter((x) => x.ok).map((x) => x.name)
    // Files that parse to the same id@version collide: only the first is registered.
    expect(accepted.length).toBeGreaterThan(0)
    const refusedCase = new Set(
      small.filter((c) => c.expect === 'refuse').map((c) => `${c.name}.yaml`),
    )
    expect(accepted.filter((n) => refusedCase.has(n))).toEqual([])
    expect(registry.get('small', '1.0.0')).toBeDefined()
  }, 120_000)

  it('the yaml library itself refuses alias bombs by default, and we pass the limit explicitly', () => {
    // Guards the assumption the loader relies on: an upgrade that changed the default would
    // still be caught, because loadText passes MAX_ALIAS_COUNT itself.
    expect(MAX_ALIAS_COUNT).toBeLessThanOrEqual(1000)
    const r = loadText(billionLaughs(9, 9))
    expect(r.data).toBeUndefined()
    expect(r.syntaxErrors[0]?.message).toMatch(/aliases expand too much/)
    // A modest, legitimate use of aliases still works.
    const ok = loadText('a: &a { zh: 甲, en: A }\nb: *a\nc: *a\n')
    expect(ok.data).toEqual({
      a: { zh: '甲', en: 'A' },
      b: { zh: '甲', en: 'A' },
      c: { zh: '甲', en: 'A' },
    })
  })
})

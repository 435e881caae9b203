/**
 * The rubric files shipped in rubrics/: each one validates, and the content rules of issue 3
 * hold (every item cites a source, every text has both languages, weights sum to 100).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Rubric, TextT } from '../../src/domain/rubric-schema'
import { buildRegistry, parseRubricText, type SourceFile } from '../../src/io/rubric-file'

const DIR = join(__dirname, '../../rubrics')
const files: SourceFile[] = readdirSync(DIR)
  .filter((f) => /\.(ya?ml|json)$/.test(f))
  .sort()
  .map((f) => ({ name: f, text: readFileSync(join(DIR, f), 'utf8') }))

const { registry, reports } = buildRegistry(files)
const rubrics: Rubric[] = registry.all().map((e) => e.rubric)

/** Every text a rubric shows, with where it is, so a failure names the culprit. */
function texts(r: Rubric): [string, TextT][] {
  const out: [string, TextT][] = [[`${r.id} title`, r.title]]
  if (r.description) out.push([`${r.id} description`, r.description])
  for (const s of r.sections) {
    out.push([`${s.id} title`, s.title])
    if (s.rationale) out.push([`${s.id} rationale`, s.rationale])
    for (const i of s.items) {
      out.push([`${i.id} label`, i.label], [`${i.id} hint`, i.hint])
      if (i.kind === 'measure') out.push([`${i.id} unit`, i.unit])
    }
  }
  for (const i of [...(r.bonus?.items ?? []), ...(r.deductions?.items ?? [])]) {
    out.push([`${i.id} label`, i.label], [`${i.id} hint`, i.hint])
  }
  return out
}

function allItems(r: Rubric) {
  return [
    ...r.sections.flatMap((s) => s.items),
    ...(r.bonus?.items ?? []),
    ...(r.deductions?.items ?? []),
  ]
}

const SEED_REF = /(\d{3}_[0-9a-f]{16}\.txt):L(\d+)(?:-L?(\d+))?/g

describe('rubric files in rubrics/', () => {
  it('finds the four rubric files and the policy', () => {
    const names = files.map((f) => f.name)
    expect(names).toEqual(
      expect.arrayContaining([
        'ct-store-service@1.0.0.yaml',
        'ct-store-basic@1.0.0.yaml',
        'ct-store-daily-check@1.0.0.yaml',
        'ct-store-service-js@1.0.0.yaml',
        'ct-store-service@1.1.0.yaml',
        'ct-store-service-js@1.1.0.yaml',
      ]),
    )
  })

  it.each(files.map((f) => f.name))('%s validates', (name) => {
    const report = reports.find((r) => r.name === name)
    expect(report?.errors).toEqual([])
    expect(report?.ok).toBe(true)
  })

  it('names each rubric and variant file <id>@<version>.yaml', () => {
    for (const r of reports.filter((r) => r.kind === 'rubric' || r.kind === 'rubric-variant')) {
      expect(r.name).toBe(`${r.key}.yaml`)
    }
  })

  it('resolves the Jiangsu variant into a full rubric', () => {
    expect(rubrics.map((r) => `${r.id}@${r.version}`).sort()).toEqual([
      'ct-store-basic@1.0.0',
      'ct-store-daily-check@1.0.0',
      'ct-store-service-js@1.0.0',
      'ct-store-service-js@1.1.0',
      'ct-store-service@1.0.0',
      'ct-store-service@1.1.0',
    ])
  })

  describe.each(rubrics.map((r) => [`${r.id}@${r.version}`, r] as const))('%s', (_key, rubric) => {
    it('has section weights that add up to exactly 100', () => {
      const total = rubric.sections.reduce((sum, s) => sum + Math.round(s.weight * 100), 0)
      expect(total).toBe(10000)
    })

    it('gives every item (section, bonus, deduction) a source', () => {
      for (const item of allItems(rubric)) {
        expect(item.source.trim(), item.id).not.toBe('')
        expect(SEED_REF.test(item.source) || /^common practice/i.test(item.source), item.id).toBe(
          true,
        )
        SEED_REF.lastIndex = 0
      }
    })

    it('has non-empty Chinese and English for every title, label, hint, rationale and unit', () => {
      for (const [where, t] of texts(rubric)) {
        expect(t.zh.trim(), where).not.toBe('')
        expect(t.en.trim(), where).not.toBe('')
        expect(t.zh, `${where} zh should be Chinese`).toMatch(/[\u4e00-\u9fff]/)
      }
    })

    it('explains each section weight', () => {
      for (const s of rubric.sections) expect(s.rationale, s.id).toBeDefined()
    })
  })

  // The seeds live next to the project checkout, not in it: a clone without them reports a skip.
  const seedDir = join(__dirname, '../../../shared/seeds')
  it.skipIf(!existsSync(seedDir))('cites seed lines that exist in the seed files', () => {
    const seeds = new Map(
      readdirSync(seedDir).map((f) => [
        f,
        readFileSync(join(seedDir, f), 'utf8').split('\n').length,
      ]),
    )
    for (const rubric of rubrics) {
      for (const item of allItems(rubric)) {
        for (const m of item.source.matchAll(SEED_REF)) {
          const lines = seeds.get(m[1] as string)
          expect(lines, `${item.id}: ${m[1]}`).toBeDefined()
          expect(Number(m[3] ?? m[2]), `${item.id}: ${m[0]}`).toBeLessThanOrEqual(lines as number)
        }
      }
    }
  })

  describe('ct-store-service@1.0.0 (the group rubric)', () => {
    const r = registry.get('ct-store-service', '1.0.0') as Rubric
    const items = r.sections.flatMap((s) => s.items)

    it('applies to self-operated stores of levels 1–3 and is scored', () => {
      expect(r.appliesTo).toEqual({ levels: [1, 2, 3], types: ['self'] })
      expect(r.scored).toBe(true)
    })

    it('starts with the five focus areas the seeds name, then the added groups', () => {
      expect(r.sections.slice(0, 5).map((s) => s.title.zh)).toEqual([
        '用户来了有人管',
        '排队等候有关怀',
        '业务办理快捷规范',
        '咨询投诉首问负责',
        '环境干净清爽',
      ])
      expect(r.sections.map((s) => s.id).slice(5)).toEqual([
        'staff',
        'notices',
        'accessibility',
        'privacy',
      ])
    })

    it('weighs the customer-perceived moments most', () => {
      const focus = r.sections.slice(0, 5).reduce((n, s) => n + s.weight, 0)
      expect(focus).toBeGreaterThan(50)
      const minFocus = Math.min(...r.sections.slice(0, 5).map((s) => s.weight))
      const maxOther = Math.max(...r.sections.slice(5).map((s) => s.weight))
      expect(minFocus).toBeGreaterThanOrEqual(maxOther)
    })

    it('measures the numbers the seeds give', () => {
      const measured = Object.fromEntries(
        items
          .filter((i) => i.kind === 'measure')
          .map((i) => [i.id, i.kind === 'measure' ? i.bands[0]?.limit : 0]),
      )
      expect(measured).toEqual({
        'qu-wait': 30,
        'hd-time-simple': 5,
        'hd-time-complex': 15,
        'nt-hours': 10,
      })
      const hours = items.find((i) => i.id === 'nt-hours')
      expect(hours?.allowNA).toBe(true)
    })

    it('has 50–70 section items, a capped bonus and red-line deductions', () => {
      expect(items.length).toBeGreaterThanOrEqual(50)
      expect(items.length).toBeLessThanOrEqual(70)
      expect(r.bonus?.cap).toBe(5)
      const red = (r.deductions?.items ?? []).filter((i) => i.redLine).map((i) => i.id)
      expect(red).toEqual(
        expect.arrayContaining(['dd-privacy-leak', 'dd-price-gouging', 'dd-unauthorised-charge']),
      )
    })

    it('never asks for photos of customer data', () => {
      const privacy = r.sections.find((s) => s.id === 'privacy')
      for (const i of privacy?.items ?? []) expect(i.evidence, i.id).toBe('note')
      expect(r.deductions?.items.find((i) => i.id === 'dd-privacy-leak')?.evidence).toBe('note')
    })
  })

  describe('ct-store-service@1.1.0 and ct-store-service-js@1.1.0 (issue 11 audit)', () => {
    const r = registry.get('ct-store-service', '1.1.0') as Rubric
    const js = registry.get('ct-store-service-js', '1.1.0') as Rubric
    const items = (x: Rubric) => allItems(x)
    const byId = (x: Rubric, id: string) => items(x).find((i) => i.id === id)
    const NA_ZH = '检查期间未发生此类情况时选「不适用」。'
    const NA_EN = 'Mark N/A if this did not occur during the visit.'

    it('keeps the 1.0.0 files, so stored evaluations still score with their version', () => {
      expect(registry.get('ct-store-service', '1.0.0')).toBeDefined()
      expect(registry.get('ct-store-service-js', '1.0.0')).toBeDefined()
      expect(js.sections.find((s) => s.id === 'queue')?.weight).toBe(18)
    })

    it('adds up item maxima to every section weight, in the group rubric and the Jiangsu variant', () => {
      for (const x of [r, js]) {
        for (const s of x.sections) {
          const sum = s.items.reduce((a, i) => a + Math.round(i.max * 100), 0)
          expect(sum, `${x.id} ${s.id}`).toBe(Math.round(s.weight * 100))
        }
      }
    })

    it('marks the three citations that did not support their item as common practice', () => {
      for (const id of ['en-tidy', 'st-discipline', 'dd-complaint']) {
        expect(byId(r, id)?.source, id).toMatch(/^common practice/)
      }
      expect(byId(r, 'en-tidy')?.source).not.toMatch(/002_f6e0ab89cfbcd1f6\.txt:L104/)
      expect(byId(r, 'st-discipline')?.source).not.toMatch(/002_f6e0ab89cfbcd1f6\.txt:L84/)
      expect(byId(r, 'dd-complaint')?.source).not.toMatch(/004_b5fda79def36415a\.txt:L357/)
    })

    it('scores each act once', () => {
      // folded into the red-line deduction dd-unauthorised-charge, and into st-posture
      for (const id of ['hd-consent', 'hd-free', 'en-quiet'])
        expect(byId(r, id), id).toBeUndefined()
      expect(byId(r, 'dd-unauthorised-charge')).toMatchObject({ redLine: true })
      // narrowed so the pairs no longer overlap
      expect(byId(r, 'dd-refuse')?.label.zh).not.toMatch(/推诿/)
      expect(byId(r, 'st-language')?.hint.zh).not.toMatch(/禁语[^」]*;|有服务禁语/)
      expect(byId(r, 'hd-explain')?.hint.zh).not.toMatch(/隐瞒/)
      expect(byId(r, 'dd-misleading')?.hint.zh).not.toMatch(/隐瞒/)
      expect(byId(r, 'st-posture')?.label.zh).toMatch(/喧哗/)
    })

    it('says how every item is checked (明查 / 暗访 / 查资料)', () => {
      for (const x of [r, js]) {
        for (const i of items(x))
          expect(i.check, `${x.id} ${i.id}`).toMatch(/^(visit|mystery|records)$/)
      }
      expect(byId(r, 'fa-log')?.check).toBe('records')
      expect(byId(r, 'dd-complaint')?.check).toBe('records')
      expect(byId(r, 'rc-needs')?.check).toBe('mystery')
    })

    it('lets items that depend on something happening during the visit be N/A, with one hint', () => {
      const eventItems = [
        'fa-patience',
        'hd-bill',
        'fa-apology',
        'ac-elderly',
        'qu-delay',
        'qu-peak',
      ]
      for (const id of [
        ...eventItems,
        'hd-card',
        'hd-time-simple',
        'hd-time-complex',
        'fa-follow-up',
        'qu-pause-sign',
      ]) {
        const i = r.sections.flatMap((s) => s.items).find((x) => x.id === id)
        expect(i?.allowNA, id).toBe(true)
        expect(i?.hint.zh, id).toContain(NA_ZH)
        expect(i?.hint.en, id).toContain(NA_EN)
      }
    })

    it('has the common inspection items, each marked common practice', () => {
      for (const id of [
        'qu-pause-sign',
        'rc-courtesy',
        'hd-realname',
        'hd-porting',
        'en-fire',
        'en-first-aid',
      ]) {
        expect(byId(r, id)?.source, id).toMatch(/^common practice/)
      }
      expect(byId(r, 'hd-realname')).toMatchObject({ kind: 'yesno', redLine: true })
      expect(byId(r, 'hd-realname')?.label.zh).toMatch(/人证一致/)
    })

    it('tells inspectors to leave cross-border zones out of the items they could touch', () => {
      for (const id of ['en-clean', 'en-devices', 'en-promo', 'nt-prices'])
        expect(byId(r, id)?.hint.zh, id).toMatch(/跨界合作区域/)
    })

    it('uses the floor role 大堂经理/引导员 and plain wording', () => {
      const all = JSON.stringify(r)
      expect(all).not.toMatch(/[^堂]厅经理/)
      expect(all).not.toMatch(/给出方案|明示可用|佩戴工号牌于胸前/)
    })

    it('says in the header that a red line is common practice, not seed text', () => {
      const text = files.find((f) => f.name === 'ct-store-service@1.1.0.yaml')!.text
      expect(text).toMatch(/common practice \(一票否决\), not seed text/)
    })
  })

  it('keeps the basic checklist and the daily check unscored', () => {
    const basic = registry.get('ct-store-basic', '1.0.0') as Rubric
    const daily = registry.get('ct-store-daily-check', '1.0.0') as Rubric
    expect(basic.scored).toBe(false)
    expect(basic.appliesTo.types).toContain('partner')
    expect(basic.appliesTo.levels).toContain(4)
    expect(daily.scored).toBe(false)
    expect(daily.purpose).toBe('daily-check')
    expect(daily.appliesTo.levels).toEqual([1, 2, 3, 4])
  })

  it('parses every file on its own too (no hidden dependency on load order)', () => {
    for (const f of files) {
      const parsed = parseRubricText(f.text)
      expect(parsed.ok, f.name).toBe(true)
    }
  })
})

describe('rubric:check: item maxima add up to the section weight (issue 11)', () => {
  const base = files.find((f) => f.name === 'ct-store-service@1.1.0.yaml')!
  const draft = (text: string): SourceFile => ({ name: 'draft.yaml', text })
  // qu-peak max 1 → 2: queue items add up to 15 against a weight of 14
  const off = base.text
    .replace('version: 1.1.0', 'version: 9.0.0')
    .replace(/(- id: qu-peak\n\s+kind: yesno\n(?:\s+check: visit\n)?\s+max: )1/, '$12')

  it('refuses a rubric whose items do not add up, with the line and the section', () => {
    expect(off).not.toBe(base.text)
    const {
      reports: [report],
    } = buildRegistry([draft(off)], [], { itemSums: true })
    expect(report!.ok).toBe(false)
    expect(report!.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/section "queue" add up to 15, not its weight 14/),
    ])
    expect(report!.errors[0]!.line).toBeGreaterThan(0)
    // the app and the bundle importer still load it: the engine rescales
    expect(buildRegistry([draft(off)]).reports[0]!.ok).toBe(true)
  })

  it('accepts it when the file says it rescales on purpose', () => {
    const {
      reports: [report],
    } = buildRegistry(
      [draft(off.replace('scored: true', 'scored: true\nrescaleItems: true'))],
      [],
      { itemSums: true },
    )
    expect(report!.errors).toEqual([])
  })

  it('checks a variant after resolving it, and only the published Jiangsu 1.0.0 is exempt', () => {
    const js = files.find((f) => f.name === 'ct-store-service-js@1.0.0.yaml')!
    const renamed = draft(js.text.replace('version: 1.0.0\ntitle', 'version: 1.0.1\ntitle'))
    const {
      reports: [report],
    } = buildRegistry([renamed], files, { itemSums: true })
    expect(report!.errors.map((e) => e.message.match(/section "(\w+)"/)?.[1])).toEqual([
      'handling',
      'environment',
      'staff',
    ])
    const shipped = buildRegistry(files, [], { itemSums: true }).reports
    expect(shipped.filter((r) => !r.ok)).toEqual([])
  })

  it('a variant can set a new max only on yes/no items', () => {
    const js = files.find((f) => f.name === 'ct-store-service-js@1.1.0.yaml')!
    const bad = draft(
      js.text
        .replace('version: 1.1.0\ntitle', 'version: 1.1.1\ntitle')
        .replace('- { id: hd-explain, max: 2 }', '- { id: qu-wait, max: 2 }'),
    )
    const {
      reports: [report],
    } = buildRegistry([bad], files)
    expect(report!.errors.map((e) => e.message)).toContainEqual(
      expect.stringMatching(/"qu-wait" is a measure item; only yes\/no items can take a new max/),
    )
  })
})

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
      'ct-store-service@1.0.0',
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

import { describe, expect, it } from 'vitest'
import { generateDemo, generateStores, rubricForStore, seededRandom } from '../../src/demo/generate'
import { scoreEvaluation } from '../../src/domain/scoring'
import { GRADES, REVIEWERS } from '../../src/domain/types'
import { groupRubric } from '../helpers/db-fixtures'

const rubric = groupRubric()

describe('demo data', () => {
  it('is deterministic: the same seed gives the same data, another seed other data', () => {
    const a = generateDemo(rubric)
    const b = generateDemo(rubric)
    expect(b).toEqual(a)
    const c = generateDemo(rubric, { seed: 7 })
    expect(c.evaluations.map((e) => e.id)).not.toEqual(a.evaluations.map((e) => e.id))
  })

  it('has a province of 4–5 cities with ~60 stores of every level and both types, unique codes', () => {
    const { stores } = generateDemo(rubric)
    expect(stores.length).toBeGreaterThanOrEqual(55)
    expect(stores.length).toBeLessThanOrEqual(65)
    expect(new Set(stores.map((s) => s.province))).toEqual(new Set(['江苏']))
    const cities = new Set(stores.map((s) => s.city))
    expect(cities.size).toBeGreaterThanOrEqual(4)
    expect(cities.size).toBeLessThanOrEqual(5)
    expect(new Set(stores.map((s) => s.level))).toEqual(new Set([1, 2, 3, 4]))
    expect(new Set(stores.map((s) => s.type))).toEqual(new Set(['self', 'partner']))
    expect(new Set(stores.map((s) => s.code)).size).toBe(stores.length)
  })

  it('evaluates only stores the rubric applies to, with both kinds of reviewer, and valid answers', () => {
    const { stores, evaluations, photos } = generateDemo(rubric)
    const byCode = new Map(stores.map((s) => [s.code, s]))
    const reviewers = new Set(evaluations.map((e) => e.reviewer))
    expect(reviewers.has('self')).toBe(true)
    expect(reviewers.has('city')).toBe(true)
    expect(reviewers.has('province')).toBe(true)
    expect([...reviewers].every((r) => REVIEWERS.includes(r))).toBe(true)
    expect(evaluations.some((e) => e.status === 'draft')).toBe(true)

    const grades = new Set<string>()
    for (const e of evaluations) {
      const s = byCode.get(e.storeCode)!
      expect(rubricForStore([rubric], s)).toBe(rubric)
      expect(e).toMatchObject({ rubricId: rubric.id, rubricVersion: rubric.version })
      expect(['2026-Q4', '2026-Q3']).toContain(e.period)
      const out = scoreEvaluation(rubric, e.answers)
      expect(out.ok, JSON.stringify(!out.ok && out.errors.slice(0, 2))).toBe(true)
      if (!out.ok) continue
      if (e.status === 'submitted') {
        // Submitted demo evaluations would pass the app's own submit checks.
        expect(out.score.complete).toBe(true)
        expect(out.score.missingEvidence).toEqual([])
        grades.add(out.score.grade)
      }
    }
    // A spread of results, not all one grade.
    expect(grades.size).toBeGreaterThanOrEqual(3)
    expect([...grades].every((g) => GRADES.includes(g as never))).toBe(true)
    // Photos are attached to answers of their own evaluation.
    const ids = new Set(evaluations.map((e) => e.id))
    expect(photos.every((p) => ids.has(p.evaluationId) && p.mime && p.bytes.byteLength > 0)).toBe(
      true,
    )
  })

  it('has the quarter before for trends, without changing the main period', () => {
    const both = generateDemo(rubric)
    const one = generateDemo(rubric, { previous: null })
    const q4 = new Set(one.evaluations.map((e) => e.id))
    expect(both.stores).toEqual(one.stores)
    expect(both.evaluations.filter((e) => q4.has(e.id))).toEqual(one.evaluations)
    expect(both.photos.slice(0, one.photos.length)).toEqual(one.photos)
    expect(both.actions.slice(0, one.actions.length)).toEqual(one.actions)

    const before = both.evaluations.filter((e) => !q4.has(e.id))
    expect(new Set(before.map((e) => e.period))).toEqual(new Set(['2026-Q3']))
    expect(before.every((e) => e.status === 'submitted' && e.createdAt < '2026-10-01')).toBe(true)
    expect(new Set(before.map((e) => e.reviewer))).toEqual(new Set(['self', 'city']))
    // Every store evaluated now was self-assessed the quarter before too.
    const selfBefore = new Set(before.filter((e) => e.reviewer === 'self').map((e) => e.storeCode))
    expect(one.evaluations.every((e) => selfBefore.has(e.storeCode))).toBe(true)
    // A little weaker then, so the trend rises.
    const mean = (list: typeof before) => {
      const finals = list
        .filter((e) => e.status === 'submitted' && e.reviewer === 'city')
        .map((e) => {
          const out = scoreEvaluation(rubric, e.answers)
          if (!out.ok) throw new Error('invalid demo answers')
          return out.score.final
        })
      return finals.reduce((a, b) => a + b, 0) / finals.length
    }
    expect(mean(before)).toBeLessThan(mean(one.evaluations))
  })

  it('raises corrective actions from items that lost points', () => {
    const { evaluations, actions } = generateDemo(rubric)
    expect(actions.length).toBeGreaterThan(0)
    expect(actions.some((a) => a.status === 'open')).toBe(true)
    for (const a of actions) {
      const ev = evaluations.find((e) => e.id === a.evaluationId)!
      const out = scoreEvaluation(rubric, ev.answers)
      if (!out.ok) throw new Error('invalid')
      expect(out.score.lost.map((l) => l.itemId)).toContain(a.itemId)
    }
  })

  it('generates N stores across P provinces deterministically', () => {
    const a = generateStores(20000, { provinces: 31, citiesPerProvince: 11, seed: 3 })
    expect(a).toHaveLength(20000)
    expect(new Set(a.map((s) => s.code)).size).toBe(20000)
    expect(new Set(a.map((s) => s.province)).size).toBe(31)
    expect(new Set(a.map((s) => `${s.province}/${s.city}`)).size).toBe(341)
    expect(generateStores(50, { seed: 3 })).toEqual(generateStores(50, { seed: 3 }))
  })

  it('seededRandom stays in [0, 1) and repeats per seed', () => {
    const r1 = seededRandom(42)
    const r2 = seededRandom(42)
    const xs = Array.from({ length: 1000 }, () => r1())
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true)
    expect(Array.from({ length: 1000 }, () => r2())).toEqual(xs)
  })
})

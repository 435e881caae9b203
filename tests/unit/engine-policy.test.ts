import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { gradeOf } from '../../src/domain/grade'
import { DEFAULT_POLICY, provinceGoodDifferential, type Policy } from '../../src/domain/policy'
import { parsePolicy, policySchema } from '../../src/domain/policy-schema'

const yamlPath = fileURLToPath(new URL('../../rubrics/policy.default.yaml', import.meta.url))

describe('policy file', () => {
  it('rubrics/policy.default.yaml parses to exactly DEFAULT_POLICY', () => {
    const result = parsePolicy(parse(readFileSync(yamlPath, 'utf8')))
    expect(result.ok).toBe(true)
    if (result.ok) expect(result.policy).toStrictEqual(DEFAULT_POLICY)
  })

  it('the default file names each open reading of the seeds', () => {
    const text = readFileSync(yamlPath, 'utf8')
    for (const ref of ['§4.1', '§4.2', '§4.3', '§4.4', '§4.5', '§4.7', '§4.8'])
      expect(text).toContain(ref)
  })

  it('DEFAULT_POLICY is itself valid', () => {
    expect(policySchema.safeParse(DEFAULT_POLICY).success).toBe(true)
  })

  it('reports every problem with its path', () => {
    const bad = {
      ...DEFAULT_POLICY,
      grades: { excellent: 95, good: 96, pass: 80.001 },
      quota: { ...DEFAULT_POLICY.quota, goodShare: 1.5, unit: 'district' },
      tieBreak: ['code-asc', 'code-asc'],
    }
    const result = parsePolicy(bad)
    expect(result.ok).toBe(false)
    if (result.ok) return
    const paths = result.issues.map((i) => i.path)
    expect(paths).toContain('grades.pass')
    expect(paths).toContain('grades.good')
    expect(paths).toContain('quota.goodShare')
    expect(paths).toContain('quota.unit')
    expect(paths).toContain('tieBreak')
  })

  it('rejects unknown keys (typos must not be silently ignored)', () => {
    expect(parsePolicy({ ...DEFAULT_POLICY, cascadee: false }).ok).toBe(false)
  })

  it('per-province good differential overrides the default', () => {
    const p: Policy = {
      ...DEFAULT_POLICY,
      differential: { ...DEFAULT_POLICY.differential, provinceGoodByProvince: { 江苏: 0.25 } },
    }
    expect(provinceGoodDifferential(p, '江苏')).toBe(0.25)
    expect(provinceGoodDifferential(p, '广东')).toBe(0.2)
  })
})

describe('gradeOf', () => {
  const g = (c: number) => gradeOf(c, DEFAULT_POLICY)
  it('uses inclusive lower bounds and half-open bands', () => {
    expect(g(7999)).toBe('fail')
    expect(g(8000)).toBe('pass')
    expect(g(8999)).toBe('pass')
    expect(g(9000)).toBe('good')
    expect(g(9499)).toBe('good')
    expect(g(9500)).toBe('excellent')
    expect(g(10000)).toBe('excellent')
    expect(g(10350)).toBe('excellent')
    expect(g(0)).toBe('fail')
  })
  it('refuses a non-integer Centi such as 89.999 points', () => {
    expect(() => g(8999.9)).toThrow(RangeError)
  })
  it('follows the policy bounds', () => {
    const p: Policy = { ...DEFAULT_POLICY, grades: { excellent: 92.5, good: 85, pass: 60 } }
    expect(gradeOf(9249, p)).toBe('good')
    expect(gradeOf(9250, p)).toBe('excellent')
    expect(gradeOf(6000, p)).toBe('pass')
  })
})

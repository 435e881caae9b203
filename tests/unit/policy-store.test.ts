import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_POLICY, type Policy } from '@/domain/policy'
import type { Store } from '@/domain/types'
import { usePolicyStore } from '@/stores/policy'
import { useRankingsStore } from '@/stores/rankings'

const stores: Store[] = [
  { code: 'A', name: '甲', province: '江苏', city: '南京', level: 1, type: 'self' },
  { code: 'B', name: '乙', province: '江苏', city: '南京', level: 1, type: 'self' },
]

beforeEach(() => setActivePinia(createPinia()))

describe('policy store: the one policy source', () => {
  it('starts with the default policy', () => {
    expect(usePolicyStore().policy).toBe(DEFAULT_POLICY)
    expect(usePolicyStore().source).toEqual({ kind: 'default' })
  })

  it('the rankings follow the policy put in force, and back', () => {
    const rankings = useRankingsStore()
    rankings.source = {
      period: '2026-Q4',
      stores,
      records: [
        { storeCode: 'A', reviewer: 'city', submittedAt: '2026-12-01T00:00:00Z', final: 9200 },
        { storeCode: 'B', reviewer: 'city', submittedAt: '2026-12-01T00:00:00Z', final: 8500 },
      ],
      evaluatorById: new Map(),
      pending: new Map(),
      heldBack: new Map(),
      sectionsById: new Map(),
    }
    expect(rankings.rows.map((r) => r.grade)).toEqual(['good', 'pass'])
    const strict: Policy = {
      ...DEFAULT_POLICY,
      grades: { excellent: 98, good: 93, pass: 86 },
    }
    usePolicyStore().use(strict, { kind: 'file', name: 'policy.strict.yaml' })
    expect(rankings.policy).toBe(strict)
    expect(rankings.rows.map((r) => r.grade)).toEqual(['pass', 'fail'])
    usePolicyStore().reset()
    expect(rankings.rows.map((r) => r.grade)).toEqual(['good', 'pass'])
  })
})

import { beforeAll, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { i18n, setLocale } from '@/i18n'
import ResultSummary from '@/components/evaluation/ResultSummary.vue'
import StoreEvaluations from '@/components/stores/StoreEvaluations.vue'
import CheckKindFilter from '@/components/evaluation/CheckKindFilter.vue'
import { itemsOfKind, type FormItem } from '@/composables/evaluationSteps'
import type { Evaluation } from '@/domain/records'
import type { EvaluationScore } from '@/domain/scoring'

const global = { plugins: [i18n], stubs: { RouterLink: true } }

function score(patch: Partial<EvaluationScore>): EvaluationScore {
  return {
    rubricId: 'r',
    rubricVersion: '1.0.0',
    base: 10000,
    bonus: 0,
    bonusUncapped: 0,
    bonusCounted: 0,
    deductions: 0,
    final: 10000,
    grade: 'excellent',
    scoreGrade: 'excellent',
    sections: [],
    redLines: [],
    reasons: [],
    lost: [],
    missingEvidence: [],
    unanswered: [],
    answered: 1,
    total: 1,
    complete: true,
    ...patch,
  }
}

beforeAll(() => setLocale('en'))

describe('ResultSummary', () => {
  it('shows a self-assessment of 100 with its score and what it counts for', () => {
    const w = mount(ResultSummary, {
      props: { result: score({}), labels: {}, selfCeiling: 'pass' },
      global,
    })
    expect(w.get('[data-testid=final-score]').text()).toBe('100.00')
    expect(w.get('[data-testid=self-ceiling]').text()).toContain('counts as "Pass" at most')
  })

  it('says when the bonus earned did not count (cap, red line)', () => {
    const capped = mount(ResultSummary, {
      props: { result: score({ bonus: 300, bonusCounted: 100, base: 9900 }), labels: {} },
      global,
    })
    expect(capped.get('[data-testid=bonus]').text()).toBe('+3.00')
    expect(capped.get('[data-testid=bonus-uncounted]').text()).toContain('counted +1.00')
    const red = mount(ResultSummary, {
      props: {
        result: score({
          bonus: 300,
          bonusCounted: 0,
          deductions: 300,
          final: 9700,
          grade: 'fail',
          redLines: ['dd-x'],
        }),
        labels: { 'dd-x': { zh: '泄露客户信息', en: 'Leaked customer data' } },
      },
      global,
    })
    expect(red.get('[data-testid=bonus-uncounted]').text()).toContain('no bonus after a red line')
    expect(red.get('[data-testid=red-lines]').text()).toContain('Leaked customer data')
    expect(red.find('[data-testid=self-ceiling]').exists()).toBe(false)
  })
})

describe('StoreEvaluations', () => {
  it('marks a self-assessment above the cap as counting as pass at most', () => {
    const ev = (id: string, reviewer: 'self' | 'city'): Evaluation<EvaluationScore> =>
      ({
        id,
        reviewer,
        revision: 1,
        period: '2026-Q4',
        evaluatorName: 'x',
        status: 'submitted',
        submittedAt: '2026-12-01T00:00:00Z',
        updatedAt: '2026-12-01T00:00:00Z',
        result: score({}),
      }) as unknown as Evaluation<EvaluationScore>
    const w = mount(StoreEvaluations, {
      props: { evaluations: [ev('a', 'self'), ev('b', 'city')] },
      global,
    })
    const rows = w.findAll('tbody tr')
    expect(rows[0]!.get('[data-testid=self-ceiling]').text()).toContain('counts as Pass at most')
    expect(rows[1]!.find('[data-testid=self-ceiling]').exists()).toBe(false)
  })
})

describe('check kinds (明查 / 暗访 / 查资料)', () => {
  const entries: FormItem[] = [
    { group: 'section', item: { id: 'a', check: 'visit' } as never },
    { group: 'section', item: { id: 'b', check: 'mystery' } as never },
    { group: 'section', item: { id: 'c', check: 'records' } as never },
    { group: 'section', item: { id: 'd' } as never }, // before the field: seen on the visit
  ]

  it('shows one kind at a time, or all', () => {
    expect(itemsOfKind(entries, null).map((e) => e.item.id)).toEqual(['a', 'b', 'c', 'd'])
    expect(itemsOfKind(entries, 'visit').map((e) => e.item.id)).toEqual(['a', 'd'])
    expect(itemsOfKind(entries, 'mystery').map((e) => e.item.id)).toEqual(['b'])
    expect(itemsOfKind(entries, 'records').map((e) => e.item.id)).toEqual(['c'])
  })

  it('the filter buttons say which kind is shown and emit the choice', async () => {
    const w = mount(CheckKindFilter, {
      props: { modelValue: null, counts: { visit: 2, mystery: 1, records: 1 } },
      global,
    })
    expect(w.get('[data-testid=check-all]').attributes('aria-pressed')).toBe('true')
    expect(w.get('[data-testid=check-mystery]').text()).toBe('Mystery shop 1')
    await w.get('[data-testid=check-records]').trigger('click')
    expect(w.emitted('update:modelValue')).toEqual([['records']])
  })

  it('the result says which scored items came from records over a period', () => {
    const w = mount(ResultSummary, {
      props: {
        result: score({}),
        labels: { 'fa-log': { zh: '意见登记', en: 'Complaint log' } },
        recordItems: ['fa-log'],
      },
      global,
    })
    expect(w.get('[data-testid=record-items]').text()).toContain(
      'includes 1 item(s) checked from records',
    )
    expect(w.get('[data-testid=record-items]').text()).toContain('Complaint log')
  })
})

/** Issue 17 item 10: the trend chart's picker falls back to the unit when a scope change drops its city. */
import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { i18n, setLocale } from '@/i18n'
import { DEFAULT_POLICY } from '@/domain/policy'
import type { RankingRow } from '@/domain/ranking-table'
import TrendChart from '@/components/charts/TrendChart.vue'

const row = (code: string, city: string): RankingRow =>
  ({
    code,
    name: code,
    province: '江苏',
    city,
    level: 1,
    type: 'self',
    graded: true,
    notes: [],
    certifiedGrade: null,
    certifiedBy: null,
    rankCity: null,
    rankProvince: null,
    rankGroup: null,
  }) as RankingRow

describe('trend chart subject', () => {
  it('keeps a city that is still there and falls back to the unit when it is gone', async () => {
    setLocale('zh')
    const w = mount(TrendChart, {
      props: {
        rows: [row('A', '南京'), row('B', '苏州')],
        history: [],
        policy: DEFAULT_POLICY,
        unitName: '江苏',
      },
      global: { plugins: [i18n] },
    })
    const select = w.get<HTMLSelectElement>('[data-testid="trend-subject"]')
    await select.setValue('city:苏州')
    await w.setProps({ rows: [row('B', '苏州')] })
    expect(select.element.value).toBe('city:苏州')
    await w.setProps({ rows: [row('A', '南京')] })
    expect(select.element.value).toBe('unit')
    expect(select.element.selectedIndex).toBe(0)
  })
})

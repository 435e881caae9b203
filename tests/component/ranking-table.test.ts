import { describe, expect, it } from 'vitest'
import { nextTick, ref } from 'vue'
import { mount } from '@vue/test-utils'
import { createI18n } from 'vue-i18n'
import { useRankingTable, type FilterChoices } from '@/composables/useRankingTable'
import type { RankingRow, UnitSelection } from '@/domain/ranking-table'
import type { Locale } from '@/domain/types'
import RankingFilters from '@/components/ranking/RankingFilters.vue'
import messages from '@/i18n/locales/rankings'
import common from '@/i18n/locales/common'

const row = (
  code: string,
  name: string,
  city: string,
  final: number | undefined,
  rankProvince: number | null,
  level: 1 | 2 | 3 | 4 = 2,
): RankingRow => ({
  code,
  name,
  province: '江苏',
  city,
  level,
  type: 'self',
  graded: final !== undefined,
  certifiedGrade: final === undefined ? null : final >= 9000 ? 'good' : 'pass',
  certifiedBy: null,
  rankCity: null,
  rankProvince,
  rankGroup: rankProvince,
  notes: [],
  ...(final === undefined ? { ungradedReason: 'no-evaluation' as const } : { final }),
})

function setup() {
  const rows = ref<RankingRow[]>([
    row('NJ2', '南京河西', '南京', 8800, 3),
    row('SZ1', '苏州观前', '苏州', 9200, 2),
    row('NJ1', '南京新街口', '南京', 9600, 1, 1),
    row('NJ9', '南京江北', '南京', undefined, null, 4),
  ])
  const unit = ref<UnitSelection>({ scope: 'province', province: '江苏' })
  const locale = ref<Locale>('zh')
  return {
    rows,
    unit,
    locale,
    graded: useRankingTable(rows, unit, locale, true),
    ungraded: useRankingTable(rows, unit, locale, false),
  }
}
const codes = (rs: readonly RankingRow[]) => rs.map((r) => r.code)

describe('useRankingTable', () => {
  it('starts in unit rank order and keeps graded and ungraded apart', () => {
    const { graded, ungraded } = setup()
    expect(codes(graded.visible.value)).toEqual(['NJ1', 'SZ1', 'NJ2'])
    expect(codes(ungraded.visible.value)).toEqual(['NJ9'])
    expect(graded.inUnitCount.value).toBe(3)
  })

  it('sorts by a column, flips on a second click, and puts scores high-first on the first click', () => {
    const { graded } = setup()
    graded.sortBy('name')
    expect(codes(graded.visible.value)).toEqual(['NJ2', 'NJ1', 'SZ1']) // 南京河西 < 南京新街口 (he < xin) < 苏州
    graded.sortBy('name')
    expect(codes(graded.visible.value)).toEqual(['SZ1', 'NJ1', 'NJ2'])
    graded.sortBy('score')
    expect(graded.sortDir.value).toBe('desc')
    expect(codes(graded.visible.value)).toEqual(['NJ1', 'SZ1', 'NJ2'])
  })

  it('applies the filter choices and follows a change of unit', () => {
    const { graded, unit } = setup()
    graded.choices.value = { ...graded.choices.value, cityKey: '江苏/南京' }
    expect(codes(graded.visible.value)).toEqual(['NJ1', 'NJ2'])
    graded.choices.value = { ...graded.choices.value, grade: 'pass' }
    expect(codes(graded.visible.value)).toEqual(['NJ2'])
    graded.choices.value = { cityKey: '', level: 1, grade: '', query: '' }
    expect(codes(graded.visible.value)).toEqual(['NJ1'])
    graded.choices.value = { cityKey: '', level: '', grade: '', query: '观前' }
    expect(codes(graded.visible.value)).toEqual(['SZ1'])
    graded.choices.value = { cityKey: '', level: '', grade: '', query: '' }
    unit.value = { scope: 'city', province: '江苏', city: '苏州' }
    expect(codes(graded.visible.value)).toEqual(['SZ1'])
  })
})

describe('RankingFilters', () => {
  it('writes each control back through v-model', async () => {
    const i18n = createI18n({
      legacy: false,
      locale: 'zh',
      messages: { zh: { ...common.zh, ...messages.zh }, en: { ...common.en, ...messages.en } },
    })
    const model = ref<FilterChoices>({ cityKey: '', level: '', grade: '', query: '' })
    const w = mount(RankingFilters, {
      props: {
        modelValue: model.value,
        'onUpdate:modelValue': (v: FilterChoices) => (model.value = v),
        cityKeys: ['江苏/南京', '江苏/苏州'],
        showGrade: true,
      },
      global: { plugins: [i18n] },
    })
    await w.get('[data-testid=filter-city]').setValue('江苏/苏州')
    expect(model.value.cityKey).toBe('江苏/苏州')
    await w.setProps({ modelValue: model.value })
    await w.get('[data-testid=filter-level]').setValue('3')
    expect(model.value).toMatchObject({ cityKey: '江苏/苏州', level: 3 })
    await w.setProps({ modelValue: model.value })
    await w.get('[data-testid=filter-grade]').setValue('excellent')
    await w.setProps({ modelValue: model.value })
    await w.get('[data-testid=filter-search]').setValue('JS')
    await nextTick()
    expect(model.value).toEqual({ cityKey: '江苏/苏州', level: 3, grade: 'excellent', query: 'JS' })
    expect(w.get('[data-testid=filter-city]').text()).toContain('苏州')
  })
})

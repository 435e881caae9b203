/**
 * The certification candidate list renders a page of rows at a time, and every store stays
 * reachable: by paging on, or by searching its code, name or city.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { i18n, setLocale } from '@/i18n'
import type { CandidateRow } from '@/composables/useCertification'
import CandidateList from '@/components/ranking/CandidateList.vue'

function rows(n: number): CandidateRow[] {
  return Array.from({ length: n }, (_, i) => ({
    store: {
      code: `JS${String(i).padStart(4, '0')}`,
      name: i === 650 ? '鼓楼旗舰营业厅' : `营业厅${i}`,
      province: '江苏',
      city: i % 2 ? '南京' : '苏州',
      level: 2,
      type: 'self',
    },
    outcome: {
      storeCode: `JS${String(i).padStart(4, '0')}`,
      unitKey: '江苏',
      graded: true,
      final: 9000 - i,
      qualifiedGrade: 'good',
      proposedGrade: 'good',
      certifiedGrade: 'good',
      certifiedBy: null,
      notes: [],
    },
    stage: 'proposed',
    evaluationId: `e${i}`,
  })) as CandidateRow[]
}

const codes = (w: ReturnType<typeof mount>) =>
  w.findAll('[data-testid^="cand-"]').map((r) => r.attributes('data-testid')!.slice(5))

describe('candidate list', () => {
  beforeEach(() => setLocale('en'))

  it('pages through 700 stores and finds any of them by code, name or city', async () => {
    const w = mount(CandidateList, {
      props: { rows: rows(700), tieBreak: ['code-asc'] },
      global: { plugins: [i18n, createPinia()] },
    })
    await w.get('[data-testid="show-all"]').trigger('click')
    expect(codes(w)).toHaveLength(300)
    expect(w.get('[data-testid="candidates-shown"]').text()).toBe('Showing 300 of 700 stores')
    expect(w.get('[data-testid="candidates-more"]').text()).toBe('Show 300 more')

    await w.get('[data-testid="candidates-more"]').trigger('click')
    await w.get('[data-testid="candidates-more"]').trigger('click')
    expect(codes(w)).toHaveLength(700)
    expect(codes(w).at(-1)).toBe('JS0699')
    expect(w.find('[data-testid="candidates-more"]').exists()).toBe(false)

    await w.get('[data-testid="candidate-search"]').setValue('js0650')
    expect(codes(w)).toEqual(['JS0650'])
    await w.get('[data-testid="candidate-search"]').setValue('鼓楼')
    expect(codes(w)).toEqual(['JS0650'])
    await w.get('[data-testid="candidate-search"]').setValue('南京')
    expect(codes(w)).toHaveLength(300) // a new search starts again at one page
    expect(w.get('[data-testid="candidates-shown"]').text()).toBe('Showing 300 of 350 stores')
    expect(codes(w).every((c) => Number(c.slice(2)) % 2 === 1)).toBe(true)
  })
})

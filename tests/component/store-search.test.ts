import { beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount, RouterLinkStub } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { nextTick } from 'vue'
import { i18n, setLocale } from '@/i18n'
import { openDatabase, setDatabase } from '@/db/database'
import { repos } from '@/db/repos'
import { generateStores } from '@/demo/generate'
import { filterStores } from '@/composables/useStoreSearch'
import StoreListView from '@/views/stores/StoreListView.vue'

// happy-dom does no layout: give the list's scroller the height of a tablet screen's list.
Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
  configurable: true,
  get(this: HTMLElement) {
    return this.classList.contains('scroller') ? 600 : 0
  },
})
Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1000 })

let n = 0
async function mountList(count: number) {
  setDatabase(openDatabase(`store-search-${Date.now()}-${n++}`))
  await repos().stores.bulkPut(
    generateStores(count, { provinces: 4, citiesPerProvince: 5, seed: 7 }),
  )
  const pinia = createPinia()
  setActivePinia(pinia)
  const w = mount(StoreListView, {
    global: { plugins: [i18n, pinia], stubs: { RouterLink: RouterLinkStub } },
  })
  await flushPromises()
  await nextTick()
  return w
}

const codes = (w: Awaited<ReturnType<typeof mountList>>) =>
  w.findAll('[data-testid="store-row"]').map((r) => r.find('.code').text())

describe('store register search', () => {
  beforeEach(() => setLocale('en'))

  it('renders only the visible rows of a 20,000-store register and finds one by code', async () => {
    const w = await mountList(20_000)
    expect(w.get('[data-testid="store-count"]').text()).toBe('Showing 20,000 of 20,000')
    // Virtualised: a screenful plus overscan, not 20,000 DOM rows.
    const shown = codes(w).length
    expect(shown).toBeGreaterThan(5)
    expect(shown).toBeLessThan(40)

    const target = (await repos().stores.all())[12_345]!
    await w.get('[data-testid="store-search"]').setValue(target.code)
    await nextTick()
    expect(codes(w)).toEqual([target.code])
    expect(w.get('[data-testid="store-count"]').text()).toBe('Showing 1 of 20,000')
  }, 60_000)

  it('narrows by province then city, and searches names within them', async () => {
    const w = await mountList(400)
    const all = await repos().stores.all()
    const provinceOptions = w.findAll('[data-testid="filter-province"] option').map((o) => o.text())
    expect(provinceOptions.slice(1)).toHaveLength(4)

    const province = all[0]!.province
    await w.get('[data-testid="filter-province"]').setValue(province)
    const cityOptions = w
      .findAll('[data-testid="filter-city"] option')
      .map((o) => o.text())
      .slice(1)
    expect(cityOptions.every((c) => c.startsWith(province))).toBe(true)
    expect(cityOptions).toHaveLength(5)
    expect(codes(w).length).toBeGreaterThan(0)

    const city = cityOptions[2]!
    await w.get('[data-testid="filter-city"]').setValue(city)
    const inCity = all.filter((s) => s.city === city)
    expect(w.get('[data-testid="store-count"]').text()).toBe(`Showing ${inCity.length} of 400`)
    expect(codes(w).every((c) => inCity.some((s) => s.code === c))).toBe(true)

    // Choosing another province clears the city.
    await w
      .get('[data-testid="filter-province"]')
      .setValue(all.find((s) => s.province !== province)!.province)
    expect((w.get('[data-testid="filter-city"]').element as HTMLSelectElement).value).toBe('')

    await w.get('[data-testid="filter-province"]').setValue('')
    await w.get('[data-testid="store-search"]').setValue('no such store')
    expect(w.text()).toContain('No store matches.')
  })
})

describe('filterStores', () => {
  const stores = [
    {
      code: 'JSNJ010',
      name: '南京河西营业厅',
      province: '江苏',
      city: '南京',
      level: 2 as const,
      type: 'self' as const,
    },
    {
      code: 'AB001',
      name: 'JSNJ 合作厅',
      province: '江苏',
      city: '南京',
      level: 3 as const,
      type: 'partner' as const,
    },
    {
      code: 'JSSZ001',
      name: '苏州观前街营业厅',
      province: '江苏',
      city: '苏州',
      level: 1 as const,
      type: 'self' as const,
    },
  ]
  it('puts code-prefix matches before name matches, case-insensitively', () => {
    expect(
      filterStores(stores, { province: '', city: '', text: 'jsnj' }).map((s) => s.code),
    ).toEqual(['JSNJ010', 'AB001'])
    expect(
      filterStores(stores, { province: '', city: '', text: '观前' }).map((s) => s.code),
    ).toEqual(['JSSZ001'])
    expect(
      filterStores(stores, { province: '江苏', city: '苏州', text: '' }).map((s) => s.code),
    ).toEqual(['JSSZ001'])
  })
})

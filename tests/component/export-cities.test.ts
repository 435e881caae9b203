/**
 * The Exchange page's export card lists the cities of the chosen province, so one city can be
 * exported alone (the list used to stay empty: the register loads cities on demand).
 */
import { describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { i18n, setLocale } from '@/i18n'
import { openDatabase, setDatabase } from '@/db/database'
import { repos } from '@/db/repos'
import { generateStores } from '@/demo/generate'
import ExportCard from '@/components/exchange/ExportCard.vue'
import { useExchangeStore } from '@/stores/exchange'

describe('the export card', () => {
  it('lists the province’s cities and exports one city alone', async () => {
    setLocale('en')
    setDatabase(openDatabase(`export-cities-${Date.now()}`))
    const all = generateStores(60, { provinces: 2, citiesPerProvince: 3, seed: 5 })
    await repos().stores.bulkPut(all)
    const pinia = createPinia()
    setActivePinia(pinia)
    const w = mount(ExportCard, { global: { plugins: [i18n, pinia] } })
    await flushPromises()
    await flushPromises()

    const cityOptions = () =>
      w
        .findAll('[data-testid="export-city"] option')
        .map((o) => (o.element as HTMLOptionElement).value)
        .filter((v) => v !== '')
    await expect.poll(() => cityOptions().length, { timeout: 10_000 }).toBe(3)
    const province = (w.get('[data-testid="export-province"]').element as HTMLSelectElement).value
    const expected = [...new Set(all.filter((s) => s.province === province).map((s) => s.city))]
    const options = cityOptions()
    expect(options.sort()).toEqual(expected.sort())

    const city = options[1]!
    await w.get('[data-testid="export-city"]').setValue(city)
    await w.get('[data-testid="export-run"]').trigger('click')
    const exchange = useExchangeStore()
    await expect.poll(() => exchange.exported?.manifest, { timeout: 10_000 }).toBeTruthy()
    const m = exchange.exported!.manifest
    expect(m.scope).toMatchObject({ province, city })
    expect(m.counts.stores).toBe(
      all.filter((s) => s.province === province && s.city === city).length,
    )
  })
})

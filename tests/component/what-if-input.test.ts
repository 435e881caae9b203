/** Issue 17 item 10: the what-if panel refuses a share outside 0–100 % instead of clamping it. */
import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { i18n, setLocale } from '@/i18n'
import WhatIfPanel from '@/components/ranking/WhatIfPanel.vue'

describe('what-if input', () => {
  it('says which share is out of range and runs nothing until it is mended', async () => {
    setLocale('zh')
    const pinia = createPinia()
    setActivePinia(pinia)
    const w = mount(WhatIfPanel, { global: { plugins: [i18n, pinia] } })
    const run = w.get<HTMLButtonElement>('[data-testid="whatif-run"]')
    expect(run.element.disabled).toBe(false)
    await w.get('[data-testid="whatif-excellentShare"]').setValue('-5')
    expect(run.element.disabled).toBe(true)
    expect(w.get('[data-testid="whatif-invalid"]').text()).toBe(
      '“优秀名额比例”应为 0 到 100 之间的数',
    )
    await run.trigger('click')
    expect(w.find('[data-testid="whatif-result"]').exists()).toBe(false)
    await w.get('[data-testid="whatif-excellentShare"]').setValue('120')
    expect(run.element.disabled).toBe(true)
    await w.get('[data-testid="whatif-excellentShare"]').setValue('8')
    expect(run.element.disabled).toBe(false)
    expect(w.find('[data-testid="whatif-invalid"]').exists()).toBe(false)
    await run.trigger('click')
    expect(w.get('[data-testid="whatif-result"]').text()).toBe('没有营业厅的认定等级变化')
  })
})

/**
 * Register upkeep is the device's own only while it is not connected: connected, the server's
 * register is in force (stores come down with each pull and are never pushed), so the store
 * page offers no close or delete and the store refuses them.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { i18n, setLocale } from '@/i18n'
import { openDatabase, setDatabase } from '@/db/database'
import { repos } from '@/db/repos'
import { useStoresStore } from '@/stores/stores'
import { useSyncStore } from '@/stores/sync'
import type { Store } from '@/domain/types'
import StoreUpkeep from '@/components/stores/StoreUpkeep.vue'

const STORE: Store = {
  code: 'ZJHZ1',
  name: '杭州厅',
  province: '浙江',
  city: '杭州',
  level: 2,
  type: 'self',
}
let n = 0

async function setup(connected: boolean) {
  setDatabase(openDatabase(`store-upkeep-${Date.now()}-${n++}`))
  await repos().stores.bulkPut([STORE])
  const pinia = createPinia()
  setActivePinia(pinia)
  if (connected)
    useSyncStore().session = {
      url: 'http://localhost',
      token: 't',
      expiresAt: '2099-01-01T00:00:00Z',
      signedInAt: '2026-12-01T00:00:00Z',
      user: { id: 1, username: 'a', displayName: '管理员', disabled: false, roles: [] },
    }
  const w = mount(StoreUpkeep, { props: { store: STORE }, global: { plugins: [i18n, pinia] } })
  return { w }
}

describe('store upkeep and the sync server', () => {
  beforeEach(() => setLocale('zh'))

  it('unconnected: close and delete are offered, closing writes the day', async () => {
    const { w } = await setup(false)
    expect(w.find('[data-testid="close-store"]').exists()).toBe(true)
    expect(w.find('[data-testid="delete-store"]').exists()).toBe(true)
    await useStoresStore().setClosed('ZJHZ1', '2026-10-01')
    expect((await repos().stores.get('ZJHZ1'))!.closedOn).toBe('2026-10-01')
  })

  it('connected: none is offered, the screen says why, and the store refuses them', async () => {
    const { w } = await setup(true)
    expect(w.find('[data-testid="close-store"]').exists()).toBe(false)
    expect(w.find('[data-testid="delete-store"]').exists()).toBe(false)
    expect(w.text()).toContain('由服务器管理员办理')
    await expect(useStoresStore().setClosed('ZJHZ1', '2026-10-01')).rejects.toThrow(/server/)
    await expect(useStoresStore().deleteUnused('ZJHZ1')).rejects.toThrow(/server/)
    expect(await repos().stores.get('ZJHZ1')).not.toHaveProperty('closedOn')
  })
})

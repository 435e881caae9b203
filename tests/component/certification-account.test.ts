/**
 * Connected, the certification screen follows the account (issue 13): the acting name is the
 * account's and cannot be typed, and only the steps and stores of the certifier's units offer
 * their buttons. Unconnected, every step is offered as before.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { mount, RouterLinkStub } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { nextTick } from 'vue'
import { i18n, setLocale } from '@/i18n'
import { openDatabase, setDatabase } from '@/db/database'
import { loadDemo } from '@/db/demo'
import { useRankingsStore } from '@/stores/rankings'
import { useSyncStore } from '@/stores/sync'
import type { RoleBinding } from '@/protocol'
import CertificationView from '@/views/rankings/CertificationView.vue'
import { TEST_RUBRIC } from '../fixtures/exchange'

let n = 0

async function screen(roles: RoleBinding[] | null) {
  const db = openDatabase(`cert-account-${Date.now()}-${n++}`)
  setDatabase(db)
  await loadDemo(db, TEST_RUBRIC, { seed: 3 })
  const pinia = createPinia()
  setActivePinia(pinia)
  if (roles) {
    useSyncStore().session = {
      url: 'http://localhost',
      token: 't',
      expiresAt: '2099-01-01T00:00:00Z',
      signedInAt: '2026-12-01T00:00:00Z',
      user: { id: 7, username: 'cert', displayName: '王认定', disabled: false, roles },
    }
  }
  const w = mount(CertificationView, {
    global: { plugins: [i18n, pinia], stubs: { RouterLink: RouterLinkStub } },
  })
  const rankings = useRankingsStore()
  await vi.waitFor(() => expect(rankings.loading).toBe(false))
  await nextTick()
  return { w, db, rankings }
}

/** Each step row's test id and whether it offers its button. */
const steps = (w: Awaited<ReturnType<typeof screen>>['w']) =>
  w.findAll('li[data-testid^="step-"]').map((li) => ({
    id: li.attributes('data-testid')!,
    offered: li.find('[data-testid="step-run"]').exists(),
  }))

describe('certification follows the account', () => {
  beforeEach(() => {
    setLocale('en')
    localStorage.clear()
  })

  it('unconnected: every step is offered and the name is typed', async () => {
    const { w, db } = await screen(null)
    const rows = steps(w)
    expect(rows.length).toBeGreaterThan(2)
    expect(rows.every((r) => r.offered)).toBe(true)
    expect(w.get('[data-testid="actor-name"]').attributes('readonly')).toBeUndefined()
    w.unmount()
    db.close()
  })

  it("a city's certifier: the account's name, and only that city's step", async () => {
    const probe = await screen(null)
    const store = probe.rankings.stores[0]!
    probe.w.unmount()
    probe.db.close()

    const { w, db, rankings } = await screen([
      { role: 'certifier', unit: `group/${store.province}/${store.city}` },
    ])
    const input = w.get<HTMLInputElement>('[data-testid="actor-name"]')
    expect(input.element.value).toBe('王认定')
    expect(input.attributes('readonly')).toBeDefined()
    const rows = steps(w)
    const offered = rows.filter((r) => r.offered).map((r) => r.id)
    expect(offered).toEqual([`step-city-certify-${store.province}/${store.city}`])
    expect(rows.some((r) => !r.offered && r.id.startsWith('step-province-certify'))).toBe(true)
    expect(w.findAll('[data-testid="step-not-yours"]').length).toBe(rows.length - 1)

    // Candidates: override and send-back only on the stores of that city.
    await w.get('[data-testid="show-all"]').trigger('click')
    await nextTick()
    const seen = new Set<boolean>()
    for (const tr of w.findAll('tr[data-testid^="cand-"]')) {
      const code = tr.attributes('data-testid')!.slice('cand-'.length)
      const s = rankings.stores.find((x) => x.code === code)!
      const mine = s.city === store.city && s.province === store.province
      seen.add(mine)
      expect(tr.find('[data-testid="override-open"]').exists()).toBe(mine)
      expect(tr.find('[data-testid="not-yours"]').exists()).toBe(!mine)
    }
    expect([...seen].sort()).toEqual([false, true])
    w.unmount()
    db.close()
  })

  it("a province's certifier: its cities and the province, not the group's step", async () => {
    const probe = await screen(null)
    const province = probe.rankings.stores[0]!.province
    probe.w.unmount()
    probe.db.close()

    const { w, db } = await screen([{ role: 'certifier', unit: `group/${province}` }])
    const rows = steps(w)
    for (const r of rows) expect(r.offered).toBe(!r.id.startsWith('step-group-certify'))
    w.unmount()
    db.close()
  })

  it('a viewer is offered nothing', async () => {
    const probe = await screen(null)
    const province = probe.rankings.stores[0]!.province
    probe.w.unmount()
    probe.db.close()
    const { w, db } = await screen([{ role: 'viewer', unit: `group/${province}` }])
    expect(steps(w).some((r) => r.offered)).toBe(false)
    expect(w.findAll('[data-testid="override-open"]').length).toBe(0)
    w.unmount()
    db.close()
  })
})

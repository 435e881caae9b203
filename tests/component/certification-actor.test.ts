/**
 * The certification screen's "who acts" field keeps what is typed while the rankings load
 * underneath it, and a step recorded straight after carries that name. (A name typed before
 * the load finished was once reset by the re-render, and the step was refused for want of it.)
 */
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { mount, RouterLinkStub } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { nextTick } from 'vue'
import { i18n, setLocale } from '@/i18n'
import { openDatabase, setDatabase } from '@/db/database'
import { loadDemo } from '@/db/demo'
import { createCertificationRepo } from '@/db/certification.repo'
import { useRankingsStore } from '@/stores/rankings'
import CertificationView from '@/views/rankings/CertificationView.vue'
import { TEST_RUBRIC } from '../fixtures/exchange'

let n = 0

describe('certification actor field', () => {
  beforeEach(() => {
    setLocale('en')
    localStorage.clear()
  })

  it('keeps a name typed while the data loads and signs the next step with it', async () => {
    const db = openDatabase(`cert-actor-${Date.now()}-${n++}`)
    setDatabase(db)
    await loadDemo(db, TEST_RUBRIC, { seed: 3 })
    const pinia = createPinia()
    setActivePinia(pinia)
    const w = mount(CertificationView, {
      global: { plugins: [i18n, pinia], stubs: { RouterLink: RouterLinkStub } },
    })
    const rankings = useRankingsStore()
    expect(rankings.loading).toBe(true)

    // Typed before the load finishes; the change event (blur) only comes after it.
    const input = w.get<HTMLInputElement>('[data-testid="actor-name"]')
    input.element.value = '周敏'
    await input.trigger('input')
    await vi.waitFor(() => expect(rankings.loading).toBe(false))
    await nextTick()
    expect(rankings.source).not.toBeNull()
    expect(input.element.value).toBe('周敏')
    await input.trigger('change')

    const step = w.find('[data-testid^="step-city-certify-"]')
    await step.get('[data-testid="step-run"]').trigger('click')
    await vi.waitFor(() => expect(rankings.log.length).toBe(1))
    await nextTick()
    expect(w.find('[data-testid="cert-error"]').exists()).toBe(false)
    const log = await createCertificationRepo(db).list(rankings.period!)
    expect(log.map((e) => [e.kind, e.actor])).toEqual([['step', '周敏']])
    expect(step.text()).toContain('周敏')
    expect(localStorage.getItem('evaluatorName')).toBe('周敏')
    w.unmount()
    db.close()
  })
})

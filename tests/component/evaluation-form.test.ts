import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { createMemoryHistory, createRouter } from 'vue-router'
import { stringify } from 'yaml'
import { i18n, setLocale } from '@/i18n'
import { openDatabase, setDatabase } from '@/db/database'
import { StorageFullError } from '@/db/errors'
import { repos } from '@/db/repos'
import { useRubricStore } from '@/stores/rubrics'
import EvaluationFormView from '@/views/evaluations/EvaluationFormView.vue'
import evaluationRoutes from '@/views/evaluations/routes'
import { formRubric } from '../fixtures/form-rubric'

let n = 0
let wrapper: VueWrapper | undefined

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    await flushPromises()
    if (check()) return
    await new Promise((r) => setTimeout(r, 5))
  }
  throw new Error(`timed out waiting for ${what}`)
}

async function openForm() {
  setDatabase(openDatabase(`eval-form-${Date.now()}-${n++}`))
  const pinia = createPinia()
  setActivePinia(pinia)
  await useRubricStore().load({ 'test-form@1.0.0.yaml': async () => stringify(formRubric) })
  const row = await repos().evaluations.create({
    storeCode: 'T001',
    period: '2026-Q4',
    reviewer: 'city',
    evaluatorName: 'Tester',
    rubricId: formRubric.id,
    rubricVersion: formRubric.version,
  })
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [...evaluationRoutes, { path: '/:p(.*)*', component: { template: '<div />' } }],
  })
  await router.push(`/evaluations/${row.id}`)
  wrapper = mount(EvaluationFormView, {
    props: { id: row.id },
    global: { plugins: [i18n, pinia, router] },
    attachTo: document.body,
  })
  const w = wrapper
  await until(() => w.findAll('[data-testid=item-card]').length > 0, 'the form')
  const card = (item: string) => w.get(`[data-item=${item}]`)
  const state = () => w.get('[data-testid=save-state]').attributes('data-state')
  return { w, id: row.id, card, state }
}

beforeEach(() => setLocale('en'))
afterEach(() => {
  wrapper?.unmount()
  vi.restoreAllMocks()
})

describe('EvaluationFormView', () => {
  it('saves each answer to IndexedDB at once and shows it as saved', async () => {
    const { w, id, card, state } = await openForm()
    await card('clean').get('[data-testid=answer-no]').trigger('click')
    await card('clean').get('[data-testid=item-note]').setValue('mop left out')
    await until(() => state() === 'saved', 'saved')
    const row = await repos().evaluations.get(id)
    expect(row?.answers.clean).toEqual({ itemId: 'clean', value: false, note: 'mop left out' })
    expect(w.get('[data-testid=progress]').text()).toBe('1 / 5 items')
  })

  it('says so when storage is full, and keeps what was saved before', async () => {
    const { w, id, card, state } = await openForm()
    await card('clean').get('[data-testid=answer-yes]').trigger('click')
    await until(() => state() === 'saved', 'first save')
    vi.spyOn(repos().evaluations, 'saveAnswer').mockRejectedValueOnce(new StorageFullError())
    await card('light').get('[data-testid=scale-4]').trigger('click')
    await until(() => w.find('[data-testid=storage-full]').exists(), 'the storage-full message')
    expect(state()).toBe('error')
    expect(w.get('[data-testid=save-state]').text()).toBe('Not saved')
    const row = await repos().evaluations.get(id)
    expect(row?.answers).toEqual({ clean: { itemId: 'clean', value: true } })
  })

  it('takes the fresher copy when another tab saved in between, instead of overwriting it', async () => {
    const { w, id, card, state } = await openForm()
    await card('clean').get('[data-testid=answer-yes]').trigger('click')
    await until(() => state() === 'saved', 'first save')
    // Another tab, on the same evaluation, records litter.
    const seen = (await repos().evaluations.get(id))!.editSeq
    await repos().evaluations.saveAnswer(
      id,
      'litter',
      { itemId: 'litter', value: 2, note: 'other tab' },
      seen,
    )
    await card('light').get('[data-testid=scale-4]').trigger('click')
    await until(() => w.find('[data-testid=conflict]').exists(), 'the conflict message')
    await until(
      () =>
        (card('litter').get('[data-testid=count-input]').element as HTMLInputElement).value === '2',
      'the fresher answer',
    )
    const row = await repos().evaluations.get(id)
    expect(row?.answers.litter?.note).toBe('other tab')
    expect(row?.answers.light).toBeUndefined()
    // Work goes on from the fresher copy.
    await card('light').get('[data-testid=scale-4]').trigger('click')
    await until(() => state() === 'saved', 'save after reload')
    expect((await repos().evaluations.get(id))?.answers.light?.value).toBe(4)
  })

  it('keeps submit disabled with reasons until complete, then locks it with the engine score', async () => {
    const { w, id, card, state } = await openForm()
    await w.get('[data-testid=step-1]').trigger('click')
    await until(() => w.find('[data-item=wait]').exists(), 'step 2')
    expect(w.get('[data-testid=submit-blockers]').text()).toContain('5 item(s) not answered')
    await card('wait').get('[data-testid=measure-input]').setValue('5')
    await card('greet').get('[data-testid=answer-yes]').trigger('click')
    await w.get('[data-testid=step-0]').trigger('click')
    await until(() => w.find('[data-item=clean]').exists(), 'step 1')
    await card('clean').get('[data-testid=answer-yes]').trigger('click')
    await card('light').get('[data-testid=scale-2]').trigger('click')
    await card('litter').get('[data-testid=count-none]').trigger('click')
    await until(() => state() === 'saved', 'saved')
    // Lighting lost points without evidence.
    expect(w.get('[data-testid=submit-blockers]').text()).toContain(
      '1 item(s) still need a photo or a note',
    )
    await card('light').get('[data-testid=item-note]').setValue('two lamps out')
    await until(() => w.find('[data-testid=submit-ready]').exists(), 'ready to submit')
    await w.get('[data-testid=step-3]').trigger('click')
    await until(() => w.find('[data-testid=submit]').exists(), 'the last step')
    expect(w.get('[data-testid=submit]').attributes('disabled')).toBeUndefined()
    await w.get('[data-testid=submit]').trigger('click')
    await w.get('[data-testid=submit-confirm]').trigger('click')
    await until(() => w.vm.$route.path.endsWith('/result'), 'the result page')
    const row = await repos().evaluations.get(id)
    expect(row?.status).toBe('submitted')
    // light 2 of 4: env 18/20 of 60 = 54, service 40: 94 → good.
    expect(row?.result).toMatchObject({
      final: 9400,
      grade: 'good',
      rubricId: 'test-form',
      rubricVersion: '1.0.0',
    })
  })
  it('asks once, on the first step, whether the store has a cross-border zone, and saves the answer', async () => {
    const { w, id, state } = await openForm()
    const q = () => w.get('[data-testid=cross-border]')
    expect(q().text()).toContain('cross-border partner zone')
    expect(q().get('[data-testid=cross-border-yes]').attributes('aria-pressed')).toBe('false')
    await q().get('[data-testid=cross-border-yes]').trigger('click')
    await until(() => state() === 'saved', 'saved')
    expect((await repos().evaluations.get(id))?.crossBorderZone).toBe(true)
    expect(q().get('[data-testid=cross-border-yes]').attributes('aria-pressed')).toBe('true')
    expect(w.get('[data-testid=cross-border-help]').text()).toContain('Leave that zone')
    // A second tap on the chosen answer takes it back.
    await q().get('[data-testid=cross-border-yes]').trigger('click')
    await until(
      () => q().get('[data-testid=cross-border-yes]').attributes('aria-pressed') === 'false',
      'cleared',
    )
    await until(() => state() === 'saved', 'saved again')
    expect(await repos().evaluations.get(id)).not.toHaveProperty('crossBorderZone')
    await q().get('[data-testid=cross-border-no]').trigger('click')
    await until(() => state() === 'saved', 'saved no')
    expect((await repos().evaluations.get(id))?.crossBorderZone).toBe(false)
    // Asked on the first step only.
    await w.get('[data-testid=step-1]').trigger('click')
    await until(() => w.find('[data-item=wait]').exists(), 'step 2')
    expect(w.find('[data-testid=cross-border]').exists()).toBe(false)
  })
})

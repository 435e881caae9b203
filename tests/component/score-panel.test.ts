import { beforeAll, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { i18n, setLocale } from '@/i18n'
import ScorePanel from '@/components/evaluation/ScorePanel.vue'
import { liveStatus } from '@/db/engine'
import type { Answers } from '@/domain/types'
import { formRubric } from '../fixtures/form-rubric'

const global = { plugins: [i18n] }
const labels = Object.fromEntries(
  formRubric.sections.flatMap((s) => s.items).map((i) => [i.id, i.label]),
)
const full: Answers = {
  clean: { itemId: 'clean', value: true },
  light: { itemId: 'light', value: 4 },
  litter: { itemId: 'litter', value: 0 },
  wait: { itemId: 'wait', value: 5 },
  greet: { itemId: 'greet', value: true },
}
const panel = (answers: Answers) =>
  mount(ScorePanel, { props: { live: liveStatus(formRubric, answers), labels }, global })

beforeAll(() => setLocale('en'))

describe('ScorePanel', () => {
  it('shows progress and the live score and grade from the engine', () => {
    const w = panel({ clean: full.clean!, light: full.light! })
    expect(w.get('[data-testid=progress]').text()).toBe('2 / 5 items')
    // Unanswered items earn nothing yet: env 14/20 of 60 = 42.
    expect(w.get('[data-testid=live-score]').text()).toBe('42.00')
    expect(w.get('[data-testid=live-grade]').text()).toBe('Fail')
  })

  it('reaches full marks and excellent when everything is met', () => {
    const w = panel(full)
    expect(w.get('[data-testid=progress]').text()).toBe('5 / 5 items')
    expect(w.get('[data-testid=live-score]').text()).toBe('100.00')
    expect(w.get('[data-testid=live-grade]').text()).toBe('Excellent')
    expect(w.find('[data-testid=missing-evidence]').exists()).toBe(false)
  })

  it('lists items that lost points without evidence, and jumps to one when tapped', async () => {
    const w = panel({ ...full, litter: { itemId: 'litter', value: 2 } })
    // litter 6 − 2×2 = 2 of 6: env 16/20 → 48; base 88.
    expect(w.get('[data-testid=live-score]').text()).toBe('88.00')
    expect(w.get('[data-testid=live-grade]').text()).toBe('Pass')
    const list = w.get('[data-testid=missing-evidence]')
    expect(list.text()).toContain('Litter')
    // Each item says what it needs, not a count.
    expect(list.get('[data-testid=needs-what]').text()).toBe('Needs a photo or note')
    const photo = mount(ScorePanel, {
      props: {
        live: liveStatus(formRubric, { ...full, litter: { itemId: 'litter', value: 2 } }),
        labels,
        needs: { litter: 'photo' },
      },
      global,
    })
    expect(photo.get('[data-testid=needs-what]').text()).toBe('Needs a photo')
    await list.get('button').trigger('click')
    expect(w.emitted('goto')).toEqual([['litter']])
  })

  it('drops the item from the evidence list once it has a note', () => {
    const w = panel({
      ...full,
      litter: { itemId: 'litter', value: 2, note: 'two bags by the door' },
    })
    expect(w.find('[data-testid=missing-evidence]').exists()).toBe(false)
  })

  it('forces fail on a red line whatever the score', () => {
    const w = panel({ ...full, complaint: { itemId: 'complaint', value: true, note: 'n' } })
    expect(w.get('[data-testid=live-score]').text()).toBe('95.00')
    expect(w.get('[data-testid=live-grade]').text()).toBe('Fail')
    expect(w.find('[data-testid=live-redline]').exists()).toBe(true)
  })
})

import { beforeAll, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { i18n, setLocale } from '@/i18n'
import ScorePanel from '@/components/evaluation/ScorePanel.vue'
import { liveStatus } from '@/domain/submit-check'
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
  // Issue 11: counting unanswered items as 0 showed 不达标 for most of a visit; the panel now
  // shows the score over the answered items, labelled "so far".
  it('mid-visit shows the score so far over the answered items, not 0 for the rest', () => {
    const w = panel({ clean: full.clean!, light: { itemId: 'light', value: 2 } })
    expect(w.get('[data-testid=progress]').text()).toBe('2 / 5 items')
    // Only env answered: 12 of its 14 answered points = 85.71 so far (counting the three open
    // items as 0 gave 60 × 12/20 = 36.00, Fail).
    expect(w.get('[data-testid=live-score]').text()).toBe('85.71')
    expect(w.get('[data-testid=live-grade]').text()).toBe('Pass')
    expect(w.text()).toContain('Score so far (2 of 5 items)')
    expect(w.text()).toContain('Grade so far')
    const good = panel({ clean: full.clean!, greet: full.greet! })
    expect(good.get('[data-testid=live-score]').text()).toBe('100.00')
    expect(good.get('[data-testid=live-grade]').text()).toBe('Excellent')
  })

  it('with nothing answered says there is no score yet', () => {
    const w = panel({})
    expect(w.find('[data-testid=live-score]').exists()).toBe(false)
    expect(w.get('[data-testid=live-nothing-yet]').text()).toContain('No score yet')
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

import { beforeAll, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { i18n, setLocale } from '@/i18n'
import CountControl from '@/components/evaluation/CountControl.vue'
import ItemCard from '@/components/evaluation/ItemCard.vue'
import ItemNote from '@/components/evaluation/ItemNote.vue'
import MeasureControl from '@/components/evaluation/MeasureControl.vue'
import NaToggle from '@/components/evaluation/NaToggle.vue'
import ScaleControl from '@/components/evaluation/ScaleControl.vue'
import YesNoControl from '@/components/evaluation/YesNoControl.vue'
import type { RubricItem } from '@/domain/rubric-schema'
import { formRubric } from '../fixtures/form-rubric'

const global = { plugins: [i18n] }
const items = Object.fromEntries(
  formRubric.sections.flatMap((s) => s.items).map((i) => [i.id, i]),
) as Record<string, RubricItem>
const wait = items.wait as Extract<RubricItem, { kind: 'measure' }>

beforeAll(() => setLocale('en'))

describe('YesNoControl', () => {
  it('emits true for meets and false for fails, and shows the saved answer as pressed', async () => {
    const w = mount(YesNoControl, { props: { value: false }, global })
    expect(w.get('[data-testid=answer-no]').attributes('aria-pressed')).toBe('true')
    expect(w.get('[data-testid=answer-yes]').attributes('aria-pressed')).toBe('false')
    await w.get('[data-testid=answer-yes]').trigger('click')
    await w.get('[data-testid=answer-no]').trigger('click')
    expect(w.emitted('answer')).toEqual([[true], [false]])
    expect(w.text()).toContain('Meets')
  })

  it('words a bonus or deduction as happened / did not happen', () => {
    const w = mount(YesNoControl, { props: { mode: 'occurs' }, global })
    expect(w.get('[data-testid=answer-yes]').text()).toBe('Yes')
  })
})

describe('ScaleControl', () => {
  it('offers 0..max in steps and emits the points chosen', async () => {
    const w = mount(ScaleControl, { props: { max: 4, step: 2, value: 2 }, global })
    const buttons = w.findAll('button')
    expect(buttons.map((b) => b.text())).toEqual(['0', '2', '4'])
    expect(w.get('[data-testid=scale-2]').attributes('aria-pressed')).toBe('true')
    await w.get('[data-testid=scale-4]').trigger('click')
    await w.get('[data-testid=scale-0]').trigger('click')
    expect(w.emitted('answer')).toEqual([[4], [0]])
  })

  it('handles fractional steps without drift', async () => {
    const w = mount(ScaleControl, { props: { max: 0.3, step: 0.1 }, global })
    expect(w.findAll('button').map((b) => b.text())).toEqual(['0.0', '0.1', '0.2', '0.3'])
    await w.get('[data-testid="scale-0.3"]').trigger('click')
    expect(w.emitted('answer')).toEqual([[0.3]])
  })
})

describe('CountControl', () => {
  it('counts up and down from the saved value and never below 0', async () => {
    const w = mount(CountControl, { props: { value: 1 }, global })
    await w.get('[data-testid=count-plus]').trigger('click')
    await w.get('[data-testid=count-minus]').trigger('click')
    expect(w.emitted('answer')).toEqual([[2], [0]])
    await w.setProps({ value: 0 })
    expect(w.get('[data-testid=count-minus]').attributes('disabled')).toBeDefined()
  })

  it('answers "none" as 0 and + as 1 when nothing is recorded yet', async () => {
    const w = mount(CountControl, { props: { value: null }, global })
    await w.get('[data-testid=count-none]').trigger('click')
    await w.get('[data-testid=count-plus]').trigger('click')
    expect(w.emitted('answer')).toEqual([[0], [1]])
  })

  it('takes a typed whole number and ignores a negative or fractional one', async () => {
    const w = mount(CountControl, { props: { value: null }, global })
    const input = w.get('[data-testid=count-input]')
    // setValue fires input and change, as a browser does when the field is left.
    await input.setValue('-1')
    await input.setValue('1.5')
    await input.setValue('5')
    expect(w.emitted('answer')).toEqual([[5]])
  })

  it('never shows a count that is not scored: −1 goes back to the saved count, and says why', async () => {
    const w = mount(CountControl, { props: { value: 2 }, global })
    const input = w.get('[data-testid=count-input]')
    await input.setValue('-1')
    expect((input.element as HTMLInputElement).value).toBe('2')
    expect(w.get('[data-testid=count-refused]').text()).toContain('whole number')
    expect(w.emitted('answer')).toBeUndefined()
    await w.get('[data-testid=count-plus]').trigger('click')
    expect(w.find('[data-testid=count-refused]').exists()).toBe(false)
  })
})

describe('MeasureControl', () => {
  it('emits the typed value and shows the points it earns from the bands', async () => {
    const w = mount(MeasureControl, { props: { item: wait, value: null }, global })
    expect(w.get('[data-testid=measure-points]').text()).toBe('Enter a value')
    const input = w.get('[data-testid=measure-input]')
    await input.setValue('15')
    expect(w.get('[data-testid=measure-points]').text()).toBe('earns 5.00 points')
    await input.setValue('8.5')
    expect(w.get('[data-testid=measure-points]').text()).toBe('earns 10.00 points')
    await input.setValue('25')
    expect(w.get('[data-testid=measure-points]').text()).toBe('earns 0.00 points')
    expect(w.emitted('answer')).toEqual([[15], [8.5], [25]])
    expect(w.text()).toContain('min')
    await input.trigger('blur')
    expect(w.emitted('flush')).toHaveLength(1)
  })

  it('refuses a negative measured value: no answer, no points, a message', async () => {
    const w = mount(MeasureControl, { props: { item: wait, value: null }, global })
    const input = w.get('[data-testid=measure-input]')
    await input.setValue('-5')
    expect(w.emitted('answer')).toBeUndefined()
    expect(w.get('[data-testid=measure-invalid]').text()).toContain('0 or more')
    expect(w.find('[data-testid=measure-points]').exists()).toBe(false)
    await input.setValue('5')
    expect(w.emitted('answer')).toEqual([[5]])
  })
})

describe('NaToggle', () => {
  it('toggles not-applicable on and off', async () => {
    const w = mount(NaToggle, { props: { na: false }, global })
    await w.get('button').trigger('click')
    await w.setProps({ na: true })
    expect(w.get('button').attributes('aria-pressed')).toBe('true')
    await w.get('button').trigger('click')
    expect(w.emitted('change')).toEqual([[true], [false]])
  })
})

describe('ItemNote', () => {
  it('emits every keystroke, asks for a flush on blur, and adopts a note changed elsewhere', async () => {
    const w = mount(ItemNote, { props: { note: '' }, global })
    const area = w.get('textarea')
    await area.setValue('Floor dirty')
    await area.trigger('blur')
    expect(w.emitted('input')).toEqual([['Floor dirty']])
    expect(w.emitted('flush')).toHaveLength(1)
    await w.setProps({ note: 'From the other tab' })
    expect((area.element as HTMLTextAreaElement).value).toBe('From the other tab')
  })

  it('says when a note is required as evidence', () => {
    const w = mount(ItemNote, { props: { required: true }, global })
    expect(w.text()).toContain('lost points need a note or a photo')
  })
})

describe('ItemCard', () => {
  const props = { needsEvidence: false, photos: [] }

  it('shows the control for the kind and passes its answer up; measured values are debounced', async () => {
    const scale = mount(ItemCard, {
      props: { ...props, entry: { group: 'section', item: items.light! } },
      global,
    })
    await scale.get('[data-testid=scale-2]').trigger('click')
    expect(scale.emitted('value')).toEqual([[2, false]])
    const measure = mount(ItemCard, {
      props: { ...props, entry: { group: 'section', item: wait } },
      global,
    })
    await measure.get('[data-testid=measure-input]').setValue('12')
    expect(measure.emitted('value')).toEqual([[12, true]])
  })

  it('offers N/A only where allowed, and keeps the answers under N/A so one tap undoes it', async () => {
    const clean = mount(ItemCard, {
      props: { ...props, entry: { group: 'section', item: items.clean! } },
      global,
    })
    expect(clean.find('[data-testid=answer-na]').exists()).toBe(false)
    const light = mount(ItemCard, {
      props: {
        ...props,
        entry: { group: 'section', item: items.light! },
        answer: { itemId: 'light', na: true },
      },
      global,
    })
    expect(light.find('[data-testid=na-text]').exists()).toBe(true)
    // No answer shows as chosen under N/A, and choosing one is the one tap that undoes it.
    expect(light.findAll('[aria-pressed=true]').map((b) => b.attributes('data-testid'))).toEqual([
      'answer-na',
    ])
    await light.get('[data-testid=scale-2]').trigger('click')
    expect(light.emitted('value')).toEqual([[2, false]])
    await light.get('[data-testid=answer-na]').trigger('click')
    expect(light.emitted('na')).toEqual([[false]])
  })

  it('opens the note and photo controls on a failed answer or on a tap, not before', async () => {
    const clean = mount(ItemCard, {
      props: { ...props, entry: { group: 'section', item: items.clean! } },
      global,
    })
    expect(clean.find('[data-testid=item-note]').exists()).toBe(false)
    expect(clean.find('[data-testid=photo-file]').exists()).toBe(false)
    await clean.get('[data-testid=open-evidence]').trigger('click')
    expect(clean.find('[data-testid=item-note]').exists()).toBe(true)
    const failed = mount(ItemCard, {
      props: {
        ...props,
        entry: { group: 'section', item: items.clean! },
        answer: { itemId: 'clean', value: false },
        lastLost: true,
      },
      global,
    })
    expect(failed.find('[data-testid=item-note]').exists()).toBe(true)
    expect(failed.find('[data-testid=photo-file]').exists()).toBe(true)
    expect(failed.find('[data-testid=last-lost]').exists()).toBe(true)
    expect(clean.find('[data-testid=last-lost]').exists()).toBe(false)
  })

  it('marks red lines and items that need evidence', () => {
    const w = mount(ItemCard, {
      props: { ...props, needsEvidence: true, entry: { group: 'section', item: items.greet! } },
      global,
    })
    expect(w.find('[data-testid=red-line]').exists()).toBe(true)
    expect(w.find('[data-testid=needs-evidence]').exists()).toBe(true)
    const deduction = formRubric.deductions!.items[0]!
    const d = mount(ItemCard, {
      props: { ...props, entry: { group: 'deduction', item: deduction } },
      global,
    })
    expect(d.text()).toContain('−5 each')
    expect(d.find('[data-testid=red-line]').exists()).toBe(true)
  })
})

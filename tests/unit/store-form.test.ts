import { describe, expect, it } from 'vitest'
import { draftFromStore, emptyDraft, storeFromDraft, validateStoreDraft } from '@/domain/store-form'

const filled = () => ({
  ...emptyDraft(),
  code: 'JS001',
  name: ' 南京新街口 ',
  province: '江苏',
  city: '南京',
  level: 2,
  type: 'self' as const,
})

describe('validateStoreDraft', () => {
  it('names every missing required field', () => {
    expect(validateStoreDraft(emptyDraft(), new Set())).toEqual({
      code: { code: 'required' },
      name: { code: 'required' },
      province: { code: 'required' },
      city: { code: 'required' },
      level: { code: 'level' },
      type: { code: 'type' },
    })
  })

  it('refuses a taken code, a code with unsafe characters, a level outside 1–4 and over-long text', () => {
    expect(validateStoreDraft(filled(), new Set(['JS001']))).toEqual({
      code: { code: 'codeTaken', value: 'JS001' },
    })
    expect(validateStoreDraft({ ...filled(), code: 'JS/001' }, new Set()).code).toEqual({
      code: 'codeFormat',
    })
    expect(validateStoreDraft({ ...filled(), level: 5 }, new Set()).level).toEqual({
      code: 'level',
    })
    expect(
      validateStoreDraft({ ...filled(), address: 'x'.repeat(501) }, new Set()).address,
    ).toEqual({ code: 'tooLong', max: 500 })
    expect(validateStoreDraft(filled(), new Set(['JS002']))).toEqual({})
  })

  it('round-trips a store, trimming text and dropping empty optional fields', () => {
    const s = storeFromDraft(filled())
    expect(s).toEqual({
      code: 'JS001',
      name: '南京新街口',
      province: '江苏',
      city: '南京',
      level: 2,
      type: 'self',
    })
    expect(storeFromDraft(draftFromStore({ ...s, district: '玄武区' }))).toEqual({
      ...s,
      district: '玄武区',
    })
  })
})

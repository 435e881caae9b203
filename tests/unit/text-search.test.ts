import { pinyin } from 'pinyin-pro'
import { describe, expect, it } from 'vitest'
import { containsText, searchText, type Romaniser } from '../../src/domain/text-search'
import { loadPinyin } from '../../src/composables/usePinyin'

const q = (typed: string) => searchText(typed)

describe('the store search rule', () => {
  it('matches every word, each in any value, whatever the case and the kind of space', () => {
    const store = ['JSNJ001', '南京新街口旗舰店', '南京']
    expect(containsText(q('南京 新街口'), store)).toBe(true)
    expect(containsText(q('新街口\u3000南京'), store)).toBe(true)
    expect(containsText(q('jsnj001 旗舰'), store)).toBe(true)
    expect(containsText(q('南京 苏州'), store)).toBe(false)
    expect(containsText(q('  '), store)).toBe(true)
  })

  it('matches pinyin, full or initials, only with a romaniser', async () => {
    const store = ['JSNJ001', '南京新街口旗舰店']
    expect(containsText(q('xinjiekou'), store)).toBe(false)
    const real = await loadPinyin()
    expect(containsText(q('xinjiekou'), store, real)).toBe(true)
    expect(containsText(q('XJK'), store, real)).toBe(true)
    expect(containsText(q('nj xjk'), store, real)).toBe(true)
    expect(containsText(q('nanjing 旗舰'), store, real)).toBe(true)
    expect(containsText(q('suzhou'), store, real)).toBe(false)
    expect(containsText(q('xjk sz'), store, real)).toBe(false)
    // The same romanisation the library gives.
    expect(real.full('新街口')).toBe(pinyin('新街口', { toneType: 'none', type: 'array' }).join(''))
  })

  it('never romanises a word with characters or digits, or a value with no Chinese', () => {
    const calls: string[] = []
    const spy: Romaniser = {
      full: (s) => (calls.push(s), ''),
      initials: (s) => (calls.push(s), ''),
    }
    containsText(q('新街口'), ['南京'], spy)
    containsText(q('001'), ['南京'], spy)
    containsText(q('abc'), ['JSNJ001'], spy)
    expect(calls).toEqual([])
  })
})

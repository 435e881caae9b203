/**
 * One store-code alphabet and one comparison (src/domain/store-code.ts) for the store form and
 * the file import; bidi and invisible characters stripped by one function (text-clean.ts).
 */
import { describe, expect, it } from 'vitest'
import { isStoreCode, normalizeStoreCode, storeCodeKey, storePath } from '@/domain/store-code'
import { cleanMultiline, cleanText } from '@/domain/text-clean'
import { emptyDraft, storeFromDraft, validateStoreDraft } from '@/domain/store-form'
import { parseStoreFile } from '@/io/store-import'
import { problemMessage } from '@/io/problems'

const HOSTILE_CODES = ['A/B?x=1#y', '../../etc/passwd', 'A B', 'a.b', 'JS001%2F', '店001', '']
const BIDI = [
  '\u202A',
  '\u202B',
  '\u202C',
  '\u202D',
  '\u202E',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200E',
  '\u200F',
]

const utf8 = (s: string) => new TextEncoder().encode(s)
const file = (lines: string[]) =>
  parseStoreFile(utf8(['code,name,province,city,level,type', ...lines].join('\n')), 's.csv')

describe('the store-code alphabet', () => {
  it('refuses what cannot sit in a URL or a file name, in the form and the importer alike', async () => {
    for (const code of HOSTILE_CODES) {
      expect(isStoreCode(normalizeStoreCode(code)), code).toBe(false)
      const form = validateStoreDraft(
        { ...emptyDraft(), code, name: 'n', province: 'p', city: 'c', level: 1, type: 'self' },
        new Set(),
      )
      expect(form.code?.code, code).toBe(code === '' ? 'required' : 'codeFormat')
      if (code === '') continue
      const r = await file([`"${code}",n,p,c,1,self`])
      expect(r.stores, code).toEqual([])
      expect(r.problems, code).toEqual([
        expect.objectContaining({ row: 2, column: 'code', code: 'code-format' }),
      ])
    }
    const r = await file(['"A/B?x=1#y",n,p,c,1,self'])
    expect(problemMessage(r.problems[0]!, 'zh')).toContain('只能用字母、数字、- 和 _')
  })

  it('folds full-width characters (NFKC) and compares codes without case', async () => {
    expect(normalizeStoreCode('ＪＳ００１')).toBe('JS001')
    expect(storeCodeKey('JS001')).toBe(storeCodeKey('js001'))
    expect(storeCodeKey('JS001')).not.toBe(storeCodeKey('JS002'))
    const dup = await file(['JS001,a,p,c,1,self', 'js001,b,p,c,1,self', 'ＪＳ００１,c,p,c,1,self'])
    expect(dup.stores).toEqual([])
    expect(dup.problems.map((p) => [p.row, p.code, p.params])).toEqual([
      [3, 'duplicate-code', { value: 'js001', firstRow: 2 }],
      [4, 'duplicate-code', { value: 'JS001', firstRow: 2 }],
    ])
    const existing = await parseStoreFile(
      utf8('code,name,province,city,level,type\ngd001,a,p,c,1,self'),
      's.csv',
      { existingCodes: ['GD001'] },
    )
    expect(existing.problems).toEqual([
      expect.objectContaining({ code: 'existing-code', params: { value: 'GD001' } }),
    ])
    const form = {
      ...emptyDraft(),
      code: 'ｇｄ００１',
      name: 'n',
      province: 'p',
      city: 'c',
      level: 1,
      type: 'self' as const,
    }
    expect(validateStoreDraft(form, new Set(['GD001'])).code).toEqual({
      code: 'codeTaken',
      value: 'GD001',
    })
    expect(validateStoreDraft(form, new Set())).toEqual({})
    expect(storeFromDraft(form).code).toBe('gd001')
  })

  it('encodes codes in links', () => {
    expect(storePath('JS001')).toBe('/stores/JS001')
    expect(storePath('A/B?x=1#y', '/edit')).toBe('/stores/A%2FB%3Fx%3D1%23y/edit')
  })
})

describe('bidi and invisible characters', () => {
  it('are stripped from single-line and multi-line text, and from the store form', () => {
    for (const c of BIDI) {
      expect(cleanText(`evil${c}txt.exe`)).toEqual({ text: 'eviltxt.exe', changed: true })
      expect(cleanMultiline(`line 1${c}\nline 2`)).toBe('line 1\nline 2')
    }
    const s = storeFromDraft({
      ...emptyDraft(),
      code: 'JS\u202E001',
      name: '\u202E厅业营\u202C',
      province: '江苏',
      city: '\u2067南京\u2069',
      level: 1,
      type: 'self',
      address: 'a\u200Fb',
    })
    expect(s).toMatchObject({ code: 'JS001', name: '厅业营', city: '南京', address: 'ab' })
  })
})

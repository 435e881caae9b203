import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { i18n, setLocale } from '@/i18n'
import { parseStoreFile } from '@/io/store-import'
import ImportPreview from '@/components/stores/ImportPreview.vue'

const enc = (s: string) => new TextEncoder().encode(s)

const HEADER = '营业厅编码,营业厅名称,省份,地市,等级,类型'
const BAD = [
  HEADER,
  'JSNJ001,新街口旗舰店,江苏,南京,1,自营厅',
  'JSNJ002,湖南路营业厅,江苏,南京,5级,自营厅',
  'JSNJ001,河西营业厅,江苏,南京,2,自营厅',
].join('\n')
const GOOD = [
  HEADER,
  'JSNJ001,新街口旗舰店,江苏,南京,1,自营厅',
  'JSNJ002,湖南路营业厅,江苏,南京,2级,自营厅',
  'JSNJ003,河西营业厅,江苏,南京,2,合作厅',
].join('\n')

async function mountPreview(csv: string, existingCodes: string[] = []) {
  const result = await parseStoreFile(enc(csv), 'stores.csv', { existingCodes })
  return mount(ImportPreview, {
    props: { result, fileName: 'stores.csv' },
    global: { plugins: [i18n] },
  })
}

describe('ImportPreview', () => {
  it('reports each problem with its row and column and keeps the import button disabled', async () => {
    setLocale('en')
    const w = await mountPreview(BAD)
    const rows = w
      .findAll('[data-testid="import-problem"]')
      .map((r) => r.findAll('td').map((td) => td.text()))
    // The unknown level is on line 3 of the file, the duplicate code on line 4.
    expect(rows).toContainEqual(['3', '等级', expect.stringContaining('Unknown level "5级"')])
    expect(rows).toContainEqual([
      '4',
      '营业厅编码',
      expect.stringContaining('Duplicate code JSNJ001 (already on row 2)'),
    ])
    expect(w.get('[data-testid="import-problems-title"]').text()).toContain('2 problems')
    const button = w.get('[data-testid="import-button"]')
    expect(button.attributes('disabled')).toBeDefined()
    await button.trigger('click')
    expect(w.emitted('import')).toBeUndefined()
    // The offending cells are marked in the preview table.
    const bad = w.findAll('[data-testid="import-preview"] td.cell-bad').map((td) => td.text())
    expect(bad.sort()).toEqual(['5级', 'JSNJ001'])
  })

  it('enables the import for a clean file, counts the stores and emits import on click', async () => {
    setLocale('zh')
    const w = await mountPreview(GOOD)
    expect(w.find('[data-testid="import-problems"]').exists()).toBe(false)
    expect(w.get('[data-testid="import-ok"]').text()).toBe('没有发现问题，可以导入。')
    const button = w.get('[data-testid="import-button"]')
    expect(button.text()).toBe('导入 3 个营业厅')
    expect(button.attributes('disabled')).toBeUndefined()
    await button.trigger('click')
    expect(w.emitted('import')).toHaveLength(1)
    expect(w.findAll('[data-testid="import-preview"] tbody tr')).toHaveLength(3)
  })

  it('refuses codes already in the register and shows text as text', async () => {
    setLocale('en')
    const csv = [HEADER, 'JSNJ001,<img src=x onerror=alert(1)>,江苏,南京,1,自营厅'].join('\n')
    const w = await mountPreview(csv, ['JSNJ001'])
    expect(w.get('[data-testid="import-problems"]').text()).toContain('Code JSNJ001 already exists')
    expect(w.find('[data-testid="import-preview"] img').exists()).toBe(false)
    expect(w.get('[data-testid="import-preview"]').text()).toContain('<img src=x onerror=alert(1)>')
    expect(w.get('[data-testid="import-button"]').attributes('disabled')).toBeDefined()
  })

  it('names a whole-file problem without a row', async () => {
    setLocale('en')
    const w = await mountPreview('code,name\nA1,x')
    const first = w
      .findAll('[data-testid="import-problem"]')
      .map((r) => r.findAll('td').map((td) => td.text()))
    expect(first.some(([, , msg]) => msg!.includes('Required column "province" is missing'))).toBe(
      true,
    )
    expect(w.get('[data-testid="import-button"]').attributes('disabled')).toBeDefined()
  })
})

import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  countsIn,
  isDay,
  periodStart,
  registerFor,
  storeChanges,
} from '../../src/domain/store-register'
import type { Store } from '../../src/domain/types'
import { parseStoreFile, STORE_HEADER_ALIASES } from '../../src/io/store-import'

const utf8 = (s: string) => new TextEncoder().encode(s)
const store = (code: string, extra: Partial<Store> = {}): Store => ({
  code,
  name: `厅 ${code}`,
  province: '江苏',
  city: '南京',
  level: 2,
  type: 'self',
  ...extra,
})

describe('closing a store', () => {
  it('leaves the periods that start on or after the closing day', () => {
    expect(periodStart('2026-Q4')).toBe('2026-10-01')
    expect(periodStart('2027')).toBe('2027-01-01')
    const onFirst = store('A', { closedOn: '2026-10-01' })
    const onSecond = store('B', { closedOn: '2026-10-02' })
    expect(countsIn(onFirst, '2026-Q3')).toBe(true)
    expect(countsIn(onFirst, '2026-Q4')).toBe(false)
    expect(countsIn(onSecond, '2026-Q4')).toBe(true)
    expect(countsIn(onSecond, '2027-Q1')).toBe(false)
    expect(countsIn(onSecond, '2026')).toBe(true)
    const register = [onFirst, onSecond, store('C')]
    expect(registerFor(register, '2026-Q4').map((s) => s.code)).toEqual(['B', 'C'])
    expect(registerFor(register, undefined)).toHaveLength(3)
  })

  it('knows a calendar day', () => {
    expect(isDay('2026-02-28')).toBe(true)
    expect(isDay('2026-02-30')).toBe(false)
    expect(isDay('2026-2-3')).toBe(false)
  })
})

describe('re-importing a register', () => {
  const header = 'code,name,province,city,level,type,address'
  const registered = [
    store('JS001', { address: '中山路 1 号', district: '玄武区', closedOn: '2026-12-01' }),
    store('js002'),
    store('JS003'),
  ]

  it('updates registered stores, says what changes, counts the unchanged', async () => {
    const file = [
      header,
      'JS001,新街口旗舰厅,江苏,南京,1,self,中山路 1 号',
      // Case and width differ: the same store, written under the registered spelling.
      'ＪＳ００２,厅 js002,江苏,苏州,2,partner,',
      'JS003,厅 JS003,江苏,南京,2,self,',
      'JS004,新厅,江苏,无锡,3,self,',
    ].join('\n')
    const r = await parseStoreFile(utf8(file), 's.csv', { existingStores: registered })
    expect(r.problems).toEqual([])
    expect(r.counts).toEqual({ added: 1, updated: 2, unchanged: 1 })
    expect(r.stores.map((s) => s.code)).toEqual(['JS001', 'js002', 'JS004'])
    // No district column: the district stays; the closing day stays.
    expect(r.stores[0]).toMatchObject({ district: '玄武区', closedOn: '2026-12-01', level: 1 })
    expect(r.updates).toEqual([
      {
        row: 2,
        code: 'JS001',
        changes: [
          { field: 'name', from: '厅 JS001', to: '新街口旗舰厅' },
          { field: 'level', from: 2, to: 1 },
        ],
      },
      {
        row: 3,
        code: 'js002',
        changes: [
          { field: 'city', from: '南京', to: '苏州' },
          { field: 'type', from: 'self', to: 'partner' },
        ],
      },
    ])
  })

  it('an empty cell of a column the file has clears the field', () => {
    const before = store('A', { address: 'x' })
    const after = store('A')
    expect(storeChanges(before, after)).toEqual([{ field: 'address', from: 'x', to: null }])
  })

  it('is all or nothing: one bad row and nothing is written', async () => {
    const file = [header, 'JS001,新名字,江苏,南京,1,self,', 'JS009,,江苏,南京,9,self,'].join('\n')
    const r = await parseStoreFile(utf8(file), 's.csv', { existingStores: registered })
    expect(r.problems.length).toBeGreaterThan(0)
    expect(r.stores).toEqual([])
  })

  it('without the register, registered codes are still refused', async () => {
    const r = await parseStoreFile(utf8(`${header}\nJS001,x,江苏,南京,1,self,`), 's.csv', {
      existingCodes: ['JS001'],
    })
    expect(r.problems.map((p) => p.code)).toEqual(['existing-code'])
  })
})

describe('the accepted headers', () => {
  it('are all in the README, from the list the import matches against', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    const table = readme.slice(readme.indexOf('<!-- register-headers'))
    for (const aliases of Object.values(STORE_HEADER_ALIASES))
      for (const a of aliases) expect(table, a).toContain(`\`${a}\``)
  })
})

describe('a closing day in bundles and on the server (storeRecord)', () => {
  it('is a calendar day or absent', async () => {
    const { storeRecord } = await import('../../src/io/bundle/format')
    expect(storeRecord.safeParse(store('A', { closedOn: '2026-10-01' })).success).toBe(true)
    expect(storeRecord.safeParse(store('A')).success).toBe(true)
    expect(storeRecord.safeParse(store('A', { closedOn: 'soon' })).success).toBe(false)
    expect(storeRecord.safeParse(store('A', { closedOn: '2026-13-01' })).success).toBe(false)
  })
})

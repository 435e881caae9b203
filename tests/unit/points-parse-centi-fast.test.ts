import { expect, test } from 'vitest'
import { parseCenti } from '../../src/domain/points'
function ref(text: string): number | null {
  const m = /^\s*(-?)(\d+)(?:\.(\d{1,2}))?\s*$/.exec(text)
  if (!m) return null
  const value = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'))
  if (!Number.isSafeInteger(value)) return null
  return m[1] === '-' && value !== 0 ? -value : value
}
test('parseCenti fast path gives what the pattern gives, on every short text of digits, signs, dots, spaces and letters', () => {
  const alphabet = ['0', '1', '9', '.', '-', ' ', 'a', '5']
  const cases = [
    '',
    '-',
    '.',
    '-0',
    '0',
    '-0.00',
    '89.95',
    '90',
    '89.999',
    '1.',
    '.5',
    '007.5',
    ' 9',
    '9 ',
    '1e3',
    '999999999999999',
    '9999999999999999',
    '99999999999999.99',
    '123456789012345.5',
    '--1',
    '1.2.3',
    '１',
  ]
  for (let len = 1; len <= 5; len++) {
    const total = alphabet.length ** len
    for (let x = 0; x < total; x++) {
      let t = ''
      let y = x
      for (let k = 0; k < len; k++) {
        t += alphabet[y % alphabet.length]
        y = Math.floor(y / alphabet.length)
      }
      cases.push(t)
    }
  }
  for (const c of cases) expect([c, parseCenti(c)]).toEqual([c, ref(c)])
})

import { describe, expect, it } from 'vitest'
import { allMessages } from '../../src/i18n'

/** Every Chinese string of the catalogues, with its key path. */
function strings(node: unknown, path = ''): [string, string][] {
  if (typeof node === 'string') return [[path, node]]
  if (node && typeof node === 'object')
    return Object.entries(node).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k))
  return []
}

describe('Chinese text', () => {
  it('uses full-width punctuation: no , ; : ( ) ! ? in a string with Chinese characters', async () => {
    const messages = await allMessages()
    const bad = strings(messages.zh)
      .filter(([, s]) => /\p{Script=Han}/u.test(s))
      // A colon between digits (10:00) or a decimal point is not punctuation.
      .filter(([, s]) => /[,;()!?]|(?<!\d):|:(?!\d)/.test(s.replace(/https?:\/\//g, '')))
      .map(([k, s]) => `${k}: ${s}`)
    expect(bad).toEqual([])
  })
})

describe('the two languages', () => {
  it('have the same keys', async () => {
    const messages = await allMessages()
    const keys = (node: unknown) =>
      strings(node)
        .map(([k]) => k)
        .sort()
    expect(keys(messages.en)).toEqual(keys(messages.zh))
  })
})

import { describe, expect, it } from 'vitest'
import { messages } from '../../src/i18n'
import type { LocaleModule } from '../../src/i18n/merge'

// The screens' own catalogues, loaded with their screens (src/i18n/lazy/).
const lazy = Object.entries(
  import.meta.glob<{ default: LocaleModule }>('../../src/i18n/lazy/*.ts', { eager: true }),
).filter(([, m]) => m.default && 'zh' in m.default)

/** Every Chinese string of the catalogues, with its key path. */
function strings(node: unknown, path = ''): [string, string][] {
  if (typeof node === 'string') return [[path, node]]
  if (node && typeof node === 'object')
    return Object.entries(node).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k))
  return []
}

describe('Chinese text', () => {
  it('uses full-width punctuation: no , ; : ( ) ! ? in a string with Chinese characters', () => {
    const bad = [messages.zh, ...lazy.map(([, m]) => m.default.zh)]
      .flatMap((zh) => strings(zh))
      .filter(([, s]) => /\p{Script=Han}/u.test(s))
      // A colon between digits (10:00) or a decimal point is not punctuation.
      .filter(([, s]) => /[,;()!?]|(?<!\d):|:(?!\d)/.test(s.replace(/https?:\/\//g, '')))
      .map(([k, s]) => `${k}: ${s}`)
    expect(bad).toEqual([])
  })

  it("the screens' own catalogues exist and have the same keys in both languages", () => {
    expect(lazy.map(([f]) => f.split('/').pop())).toEqual(
      expect.arrayContaining(['admin.ts', 'status.ts']),
    )
    for (const [file, m] of lazy)
      expect(
        strings(m.default.en).map(([k]) => k),
        file,
      ).toEqual(strings(m.default.zh).map(([k]) => k))
  })
})

/**
 * Every literal message key the app asks for exists in both languages. A key that does not is
 * shown to the user as the key itself ("backup.reminder.dueNever" on the home page, once).
 * Keys built at run time (`t(\`x.${y}\`)`) are not checked here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { allMessages } from '../../src/i18n'

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === 'locales' ? [] : files(path)
    return /\.(vue|ts)$/.test(name) ? [path] : []
  })
}

function has(messages: unknown, key: string): boolean {
  let node: unknown = messages
  for (const part of key.split('.')) {
    if (!node || typeof node !== 'object' || !(part in node)) return false
    node = (node as Record<string, unknown>)[part]
  }
  return typeof node === 'string' || typeof node === 'function'
}

describe('message keys', () => {
  it('every t("…") key in src/ exists in Chinese and in English', async () => {
    const messages = await allMessages()
    const used = new Map<string, string>()
    for (const file of files('src')) {
      if (file.includes(join('src', 'server')) || file.includes(join('src', 'cli'))) continue
      const text = readFileSync(file, 'utf8')
      // t('a.b'), $t('a.b'), te('a.b'), tm('a.b'): a literal key with at least one dot.
      for (const m of text.matchAll(/\b\$?t[em]?\(\s*'([a-zA-Z][\w-]*(?:\.[\w-]+)+)'/g))
        used.set(m[1]!, file)
    }
    expect(used.size).toBeGreaterThan(300)
    const missing = [...used]
      .filter(([key]) => !has(messages.zh, key) || !has(messages.en, key))
      .map(([key, file]) => `${key} (${file})`)
    expect(missing).toEqual([])
  })
})

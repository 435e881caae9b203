/**
 * Each screen's words are there when it shows. Some message domains load with their screens
 * (`meta.messages` on the route, see src/i18n/index.ts); this test follows every view's static
 * and lazy imports through the UI code (views, components, composables) and checks that each lazily loaded domain a key of theirs names
 * is in the route's `meta.messages`. A screen that uses a component from another screen's domain
 * (the rankings table's certification mark, say) fails here rather than showing "certify.x".
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const SRC = resolve('src')
const lazyDomains = [
  ...readFileSync(join(SRC, 'i18n', 'index.ts'), 'utf8').matchAll(/'!\.\/locales\/(\w+)\.ts'/g),
].map((m) => m[1]!)

/** Where screens take their words from; stores, db and io hand keys over as data, read above. */
const UI = ['views', 'components', 'composables']

function resolveImport(from: string, spec: string): string | null {
  const base = spec.startsWith('@/') ? join(SRC, spec.slice(2)) : resolve(dirname(from), spec)
  for (const p of [base, `${base}.ts`, `${base}.vue`, join(base, 'index.ts')])
    if (existsSync(p) && !p.endsWith('/')) {
      try {
        readFileSync(p)
        return p
      } catch {
        // a folder
      }
    }
  return null
}

/** The domains named by literal keys in `file` and everything it imports under src/. */
function domainsOf(file: string, seen = new Set<string>()): Set<string> {
  const out = new Set<string>()
  if (seen.has(file) || file.includes(join('i18n', 'locales'))) return out
  seen.add(file)
  const text = readFileSync(file, 'utf8')
  for (const d of lazyDomains) if (new RegExp(`['"\`]${d}\\.[a-zA-Z]`).test(text)) out.add(d)
  for (const m of text.matchAll(/(?:from\s+|import\(\s*)'((?:@\/|\.{1,2}\/)[^']+)'/g)) {
    const next = resolveImport(file, m[1]!)
    if (next && UI.some((dir) => next.startsWith(join(SRC, dir))))
      for (const d of domainsOf(next, seen)) out.add(d)
  }
  return out
}

interface RouteUse {
  file: string
  view: string
  messages: string[]
}

/** Each route of each views/<domain>/routes.ts: its view file and its `meta.messages`. */
function routes(): RouteUse[] {
  const out: RouteUse[] = []
  for (const dir of readdirSync(join(SRC, 'views'))) {
    const file = join(SRC, 'views', dir, 'routes.ts')
    if (!existsSync(file)) continue
    const text = readFileSync(file, 'utf8')
    const shared = text.match(/const meta = \{ messages: \[([^\]]*)\] \}/)?.[1]
    for (const block of text.split(/\n\s*\{\s*\n?\s*path:/).slice(1)) {
      const view = block.match(/import\('\.\/(\w+\.vue)'\)/)?.[1]
      if (!view) continue
      const own = block.match(/messages: \[([^\]]*)\]/)?.[1]
      const list = own ?? (/\bmeta,/.test(block) ? shared : undefined) ?? ''
      out.push({
        file,
        view: join(SRC, 'views', dir, view),
        messages: [...list.matchAll(/'(\w+)'/g)].map((m) => m[1]!),
      })
    }
  }
  return out
}

describe('route messages', () => {
  it('every lazily loaded domain a screen uses is named in its route', () => {
    expect(lazyDomains.length).toBeGreaterThan(5)
    const all = routes()
    expect(all.length).toBeGreaterThan(15)
    const missing = all.flatMap((r) =>
      [...domainsOf(r.view)]
        .filter((d) => !r.messages.includes(d))
        .map((d) => `${r.view.slice(SRC.length + 1)} needs '${d}'`),
    )
    expect(missing).toEqual([])
  })
})

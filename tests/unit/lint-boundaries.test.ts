/**
 * The layer fences of eslint.config.js, run through ESLint's Node API on small snippets placed
 * (virtually) in each folder: a deliberate violation fails with the fence's rule, and the
 * allowed imports pass. So a fence that stops matching (a renamed folder, a pattern typo) fails
 * here, not silently in review.
 */
import { join } from 'node:path'
import { ESLint } from 'eslint'
import { beforeAll, describe, expect, it } from 'vitest'

const ROOT = join(__dirname, '..', '..')

/** The project's config without type information (fast); the typed rules are tested below. */
let eslint: ESLint
beforeAll(() => {
  eslint = new ESLint({
    cwd: ROOT,
    overrideConfig: {
      languageOptions: { parserOptions: { projectService: false, project: null } },
      rules: {
        '@typescript-eslint/no-floating-promises': 'off',
        '@typescript-eslint/no-misused-promises': 'off',
        '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      },
    },
  })
})

async function rulesHit(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return result!.messages.map((m) => m.ruleId ?? m.message)
}

const imports = (spec: string) => `import * as m from '${spec}'\nexport const x = m\n`

describe('lint fences', () => {
  it('src/domain: no Vue, Pinia, Dexie, Node, db, stores, io, i18n, composables, components', async () => {
    for (const spec of [
      'vue',
      'pinia',
      'dexie',
      'node:fs',
      '@/db/database',
      '../db/database',
      '@/stores/rankings',
      '@/io/csv',
      '../io/csv',
      '@/i18n',
      '@/i18n/format',
      '@/composables/useLocale',
      '@/components/common/GradeBadge.vue',
      '@/server/app',
    ])
      expect(await rulesHit('src/domain/fixture.ts', imports(spec)), spec).toContain(
        'no-restricted-imports',
      )
    expect(await rulesHit('src/domain/fixture.ts', imports('./points'))).toEqual([])
    expect(await rulesHit('src/domain/fixture.ts', imports('zod'))).toEqual([])
  })

  it('src/domain: no browser globals', async () => {
    for (const g of [
      'window.innerWidth',
      'document.title',
      'localStorage',
      'indexedDB',
      'navigator',
    ])
      expect(await rulesHit('src/domain/fixture.ts', `export const x = ${g}\n`), g).toContain(
        'no-restricted-globals',
      )
    expect(await rulesHit('src/domain/fixture.ts', 'export const x = Math.max(1, 2)\n')).toEqual([])
  })

  it('src/io: no Vue, Pinia, Dexie, db or stores', async () => {
    for (const spec of ['vue', 'vue-i18n', 'pinia', 'dexie', '../db/database', '@/stores/rankings'])
      expect(await rulesHit('src/io/fixture.ts', imports(spec)), spec).toContain(
        'no-restricted-imports',
      )
    expect(await rulesHit('src/io/fixture.ts', imports('../domain/words'))).toEqual([])
  })

  it('composables never import the db; views and components neither', async () => {
    for (const file of ['src/composables/fixture.ts', 'src/components/fixture.ts'])
      for (const spec of ['dexie', '@/db/database'])
        expect(await rulesHit(file, imports(spec)), `${file} ${spec}`).toContain(
          'no-restricted-imports',
        )
    expect(await rulesHit('src/composables/fixture.ts', imports('@/stores/rankings'))).toEqual([])
  })

  it('the app never imports the server', async () => {
    for (const file of [
      'src/main.ts',
      'src/stores/fixture.ts',
      'src/db/fixture.ts',
      'src/io/fixture.ts',
      'src/composables/fixture.ts',
      'src/views/fixture.ts',
      'src/domain/fixture.ts',
    ])
      expect(await rulesHit(file, imports('@/server/app')), file).toContain('no-restricted-imports')
    expect(await rulesHit('src/stores/fixture.ts', imports('../server/app'))).toContain(
      'no-restricted-imports',
    )
  })

  it("the server never imports the app's db, stores, views, components, composables, pwa", async () => {
    for (const spec of [
      '../db/database',
      '@/db/database',
      '../stores/rankings',
      '../views/rankings/RankingsView.vue',
      '../components/common/GradeBadge.vue',
      '../composables/useLocale',
      '../pwa/register',
      'dexie',
      'vue',
    ])
      expect(await rulesHit('src/server/fixture.ts', imports(spec)), spec).toContain(
        'no-restricted-imports',
      )
    // Its own PostgreSQL layer, the engine, the files and the protocol are fine.
    for (const spec of ['./db', '../domain/rankings-pipeline', '../io/rubric-file', '../protocol'])
      expect(await rulesHit('src/server/fixture.ts', imports(spec)), spec).toEqual([])
    expect(await rulesHit('src/protocol/fixture.ts', imports('node:fs'))).toContain(
      'no-restricted-imports',
    )
  })

  it('a floating promise fails the type-checked rules', { timeout: 180_000 }, async () => {
    const typed = new ESLint({
      cwd: ROOT,
      overrideConfig: {
        languageOptions: {
          parserOptions: { projectService: { allowDefaultProject: ['src/domain/*.ts'] } },
        },
      },
    })
    const code = [
      'export async function save(): Promise<void> {}',
      'export function onClick(): void {',
      '  save()',
      '}',
      'const count: number = 1',
      'export const n = count as number',
      '',
    ].join('\n')
    const [result] = await typed.lintText(code, { filePath: 'src/domain/typed-fixture.ts' })
    const hit = result!.messages.map((m) => m.ruleId)
    expect(hit).toContain('@typescript-eslint/no-floating-promises')
    expect(hit).toContain('@typescript-eslint/no-unnecessary-type-assertion')
  })
})

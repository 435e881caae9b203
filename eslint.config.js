import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import pluginVue from 'eslint-plugin-vue'
import prettier from 'eslint-config-prettier'
import globals from 'globals'

/**
 * Layer rules: what may import what (README "Layout"). Each entry is one fence; tests in
 * tests/unit/lint-boundaries.test.ts show a deliberate violation of each one failing.
 */
const pattern = (group, message) => ({ group, message })

/** The app's own layers, as a file outside them names them (alias or relative path). */
const app = (...dirs) => dirs.flatMap((d) => [`@/${d}`, `@/${d}/*`, `**/${d}/*`])
/** src/<dir> as a file in src/server or src/protocol reaches it (not its own db.ts, say). */
const fromServer = (...dirs) =>
  dirs.flatMap((d) => [`@/${d}`, `@/${d}/*`, `../${d}/*`, `../../${d}/*`, `../../../${d}/*`])

const PURE = pattern(
  [
    'vue',
    'vue-*',
    '@vue/*',
    'pinia',
    'dexie',
    'node:*',
    ...app('db', 'stores', 'io', 'i18n', 'composables', 'components', 'views', 'pwa', 'server'),
  ],
  'src/domain is pure TypeScript: no Vue, Pinia, Dexie, Node, db, stores, io, i18n, composables, components or server imports.',
)

/** Browser globals the engine must not touch (it also compiles without the DOM library). */
const BROWSER_GLOBALS = [
  'window',
  'document',
  'localStorage',
  'sessionStorage',
  'indexedDB',
  'navigator',
  'location',
].map((name) => ({ name, message: 'src/domain runs outside the browser too: pass it in.' }))

const APP_NOT_SERVER = pattern(
  ['@/server', '@/server/*', '**/server/*'],
  'The app never imports the sync server (src/server); share code through src/domain or src/protocol.',
)

export default tseslint.config(
  {
    ignores: ['dist/**', 'dist-*/**', 'node_modules/**', 'tests/artifacts/**', 'dev-dist/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'vue/no-v-html': 'error',
    },
  },
  {
    // Type-checked rules that pay here: a promise nobody awaits loses its error (a failed save
    // that says nothing), and an assertion the types already guarantee hides the next change.
    files: ['src/**/*.ts', 'src/**/*.vue'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.vue'],
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',
    },
  },
  {
    // The engine is shared by the app, the exports, the CLI and the server: it must stay pure.
    files: ['src/domain/**/*.ts', 'src/demo/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [PURE] }],
      'no-restricted-globals': ['error', ...BROWSER_GLOBALS],
    },
  },
  {
    // Files in and out: pure data work the CLI and the server run too.
    files: ['src/io/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(
              ['vue', 'vue-*', '@vue/*', 'pinia', 'dexie', ...app('db', 'stores', 'server')],
              'src/io reads and writes files: no Vue, Pinia, Dexie, db, stores or server imports.',
            ),
          ],
        },
      ],
    },
  },
  {
    // Composables are Vue logic over stores; data goes through the stores, never the db.
    files: ['src/composables/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(
              ['dexie', ...app('db')],
              'Composables never import the db; go through a store.',
            ),
            APP_NOT_SERVER,
          ],
        },
      ],
    },
  },
  {
    // Views and components reach data through Pinia stores, never Dexie directly.
    files: ['src/views/**', 'src/components/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(['dexie', ...app('db')], 'Only src/db talks to Dexie; go through a store.'),
            APP_NOT_SERVER,
          ],
        },
      ],
    },
  },
  {
    // The database layer maps rows and runs transactions: it knows nothing of the screens.
    files: ['src/db/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(
              [
                'vue',
                'vue-*',
                '@vue/*',
                'pinia',
                ...app('stores', 'views', 'components', 'composables'),
              ],
              'src/db maps rows and runs transactions: no Vue, Pinia, stores, views, components or composables.',
            ),
            APP_NOT_SERVER,
          ],
        },
      ],
    },
  },
  {
    // The command line runs in Node: the engine and the files, nothing of the browser app.
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(
              [
                'vue',
                'vue-*',
                '@vue/*',
                'pinia',
                'dexie',
                ...app('db', 'stores', 'views', 'components', 'composables', 'server'),
              ],
              'src/cli calls src/domain and src/io only: no Vue, Pinia, Dexie, db, stores or server.',
            ),
          ],
        },
      ],
    },
  },
  {
    // The rest of the app (outside the layers fenced above) never imports the server.
    files: ['src/**/*.ts', 'src/**/*.vue'],
    ignores: [
      'src/server/**',
      'src/protocol/**',
      'src/domain/**',
      'src/demo/**',
      'src/io/**',
      'src/db/**',
      'src/cli/**',
      'src/composables/**',
      'src/views/**',
      'src/components/**',
    ],
    rules: { 'no-restricted-imports': ['error', { patterns: [APP_NOT_SERVER] }] },
  },
  {
    // The sync server shares the engine (domain), files (io) and the protocol, nothing of the
    // browser app. Its own db.ts is its PostgreSQL layer, not src/db.
    files: ['src/server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(
              [
                'vue',
                'vue-*',
                '@vue/*',
                'pinia',
                'dexie',
                ...fromServer('db', 'stores', 'views', 'components', 'composables', 'pwa', 'i18n'),
              ],
              'src/server never imports the app: no db, stores, views, components, composables, pwa, i18n, Vue or Dexie.',
            ),
          ],
        },
      ],
    },
  },
  {
    // The wire format both sides read: as pure as the engine, and it may use the engine.
    files: ['src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            pattern(
              [
                'vue',
                'vue-*',
                '@vue/*',
                'pinia',
                'dexie',
                'node:*',
                ...fromServer('db', 'stores', 'views', 'components', 'composables', 'pwa', 'i18n'),
                '../server/*',
                '@/server/*',
              ],
              'src/protocol is shared by the app and the server: zod and the engine only.',
            ),
          ],
        },
      ],
      'no-restricted-globals': ['error', ...BROWSER_GLOBALS],
    },
  },
  prettier,
)

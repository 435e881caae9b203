import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import pluginVue from 'eslint-plugin-vue'
import prettier from 'eslint-config-prettier'
import globals from 'globals'

export default tseslint.config(
  { ignores: ['dist/**', 'dist-*/**', 'node_modules/**', 'tests/artifacts/**', 'dev-dist/**'] },
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
    // The engine is shared by the app, the exports and the CLI: it must stay pure.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'vue',
                'vue-*',
                'pinia',
                'dexie',
                '@/db/*',
                '**/db/*',
                '@/stores/*',
                '**/stores/*',
                'node:*',
              ],
              message: 'src/domain is pure TypeScript: no Vue, Pinia, Dexie, db or Node imports.',
            },
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
            {
              group: ['dexie', '@/db/*', '**/db/*'],
              message: 'Only src/db talks to Dexie; go through a store.',
            },
          ],
        },
      ],
    },
  },
  prettier,
)

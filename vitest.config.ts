import { defineConfig, mergeConfig } from 'vitest/config'
import { appConfig } from './vite.config.ts'

export default mergeConfig(
  appConfig,
  defineConfig({
    test: {
      projects: [
        {
          extends: true,
          test: {
            name: 'unit',
            environment: 'node',
            // Time limits catch hangs, not slowness (speed is measured by `npm run bench`): generous,
            // so a busy CI machine running files in parallel does not make them flake.
            testTimeout: 30_000,
            include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
            setupFiles: ['tests/setup/fake-indexeddb.ts'],
          },
        },
        {
          extends: true,
          test: {
            name: 'component',
            environment: 'happy-dom',
            testTimeout: 30_000,
            include: ['tests/component/**/*.test.ts'],
            setupFiles: ['tests/setup/fake-indexeddb.ts', 'tests/setup/i18n-all.ts'],
          },
        },
        {
          extends: true,
          test: {
            name: 'server',
            environment: 'node',
            // PGlite (PostgreSQL in WebAssembly) takes a second or two to start per database.
            testTimeout: 60_000,
            hookTimeout: 60_000,
            include: ['tests/server/**/*.test.ts'],
          },
        },
        {
          extends: true,
          test: {
            name: 'e2e',
            environment: 'node',
            include: ['tests/e2e/**/*.test.ts'],
            globalSetup: ['tests/e2e/global-setup.ts'],
            fileParallelism: false,
            // expect.poll waits for the UI; its 1 s default is too short on a loaded machine.
            expect: { poll: { timeout: 15_000, interval: 100 } },
            testTimeout: 90_000,
            hookTimeout: 180_000,
          },
        },
      ],
    },
  }),
)

import { build, preview, type PreviewServer } from 'vite'
import type { TestProject } from 'vitest/node'

/**
 * Builds the real app (service worker included) into dist-e2e/ and serves it on localhost,
 * so end-to-end tests exercise what users get, not the dev server.
 */
let server: PreviewServer | undefined

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // E2E_OUT_DIR lets two runs on one checkout (helpers working side by side) not rebuild each other's files.
  const outDir = process.env.E2E_OUT_DIR ?? 'dist-e2e'
  if (!process.env.E2E_SKIP_BUILD) {
    await build({
      configFile: 'vite.config.ts',
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    })
  }
  server = await preview({
    configFile: 'vite.config.ts',
    logLevel: 'warn',
    build: { outDir },
    preview: { port: 0, host: '127.0.0.1', strictPort: false },
  })
  const address = server.httpServer.address()
  if (!address || typeof address === 'string') throw new Error('preview server has no port')
  project.provide('baseURL', `http://127.0.0.1:${address.port}`)
  return async () => {
    await new Promise<void>((resolve) => server?.httpServer.close(() => resolve()))
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string
  }
}

/**
 * The built app served by `vite preview` on a free port, for the benches that drive Chromium.
 * Built into dist-bench/, or dist-e2e/ reused when BENCH_REUSE_DIST=1 and it exists.
 */
import { existsSync } from 'node:fs'
import { build, preview } from 'vite'

export interface ServedApp {
  /** http://127.0.0.1:<port> */
  base: string
  close(): Promise<void>
}

export async function serveBuiltApp(): Promise<ServedApp> {
  const reuse = process.env.BENCH_REUSE_DIST === '1' && existsSync('dist-e2e/index.html')
  const outDir = reuse ? 'dist-e2e' : 'dist-bench'
  if (!reuse)
    await build({
      configFile: 'vite.config.ts',
      logLevel: 'error',
      build: { outDir, emptyOutDir: true },
    })
  const server = await preview({
    configFile: 'vite.config.ts',
    logLevel: 'error',
    build: { outDir },
    preview: { port: 0, host: '127.0.0.1' },
  })
  const address = server.httpServer.address()
  if (!address || typeof address === 'string') throw new Error('preview server has no port')
  return {
    base: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve) => server.httpServer.close(() => resolve())),
  }
}

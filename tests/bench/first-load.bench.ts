/**
 * The JavaScript a first visit downloads, gzip: the production build (same config as
 * `npm run build`) into a temporary directory, then the figure vite.config.ts (firstLoadReport) wrote
 * to first-load.json (the static-import closure of the entry and the home route).
 * Target: 150 KB gzip (issue 16). Not a timing: it only changes when the code does.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import type { FirstLoadFigure } from '../../vite.config.ts'
import type { BenchFigure } from './types'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

export async function run(): Promise<BenchFigure[]> {
  const outDir = mkdtempSync(join(tmpdir(), 'sse-first-load-'))
  try {
    await build({
      root: ROOT,
      configFile: join(ROOT, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    })
    const figure = JSON.parse(
      readFileSync(join(outDir, 'first-load.json'), 'utf8'),
    ) as FirstLoadFigure
    const kb = (n: number) => Math.round((n / 1024) * 10) / 10
    return [
      {
        name: `first load: JavaScript gzip (${figure.files.length} files)`,
        value: kb(figure.gzipBytes),
        unit: 'KB',
        target: 150,
      },
      { name: 'first load: JavaScript uncompressed', value: kb(figure.bytes), unit: 'KB' },
    ]
  } finally {
    rmSync(outDir, { recursive: true, force: true })
  }
}

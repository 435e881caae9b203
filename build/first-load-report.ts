import { gzipSync } from 'node:zlib'
import type { Plugin } from 'vite'

/** Entry points of the first page a user sees: the app's entry and the home route. */
const FIRST_PAGE = ['src/main.ts', 'src/views/home/HomeView.vue']

export interface FirstLoadFigure {
  files: string[]
  bytes: number
  gzipBytes: number
}

/**
 * Prints the JavaScript a first visit downloads (gzip): the static-import closure of the entry and
 * of the home route. Charts, exports, the form and the bundle code must stay out of it (lazy).
 * The figure is also written to dist/first-load.json for `npm run bench`.
 */
export function firstLoadReport(): Plugin {
  return {
    name: 'first-load-report',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((c) => c.type === 'chunk')
      const byFile = new Map(chunks.map((c) => [c.fileName, c]))
      const seen = new Set<string>()
      const visit = (file: string): void => {
        if (seen.has(file)) return
        const chunk = byFile.get(file)
        if (!chunk) return
        seen.add(file)
        for (const dep of chunk.imports) visit(dep)
      }
      for (const entry of FIRST_PAGE) {
        const chunk = chunks.find((c) => c.facadeModuleId?.replaceAll('\\', '/').endsWith(entry))
        if (chunk) visit(chunk.fileName)
      }
      let bytes = 0
      let gzipBytes = 0
      for (const file of seen) {
        const code = (byFile.get(file) as { code: string }).code
        bytes += Buffer.byteLength(code)
        gzipBytes += gzipSync(code, { level: 9 }).length
      }
      const figure: FirstLoadFigure = { files: [...seen].sort(), bytes, gzipBytes }
      this.emitFile({
        type: 'asset',
        fileName: 'first-load.json',
        source: JSON.stringify(figure, null, 2),
      })
      this.info(
        `first-load JavaScript: ${(gzipBytes / 1024).toFixed(1)} KB gzip (${(bytes / 1024).toFixed(1)} KB raw, ${seen.size} files; target 250 KB gzip)`,
      )
    },
  }
}

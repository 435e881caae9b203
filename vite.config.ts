import { fileURLToPath, URL } from 'node:url'
import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'
import { VitePWA } from 'vite-plugin-pwa'
import { gzipSync } from 'node:zlib'

/**
 * The built app runs under a strict Content-Security-Policy: no inline script, no eval.
 * Only added at build time: Vite's dev server injects inline styles for HMR.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ')

function cspMeta(): Plugin {
  return {
    name: 'csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP },
        injectTo: 'head-prepend',
      },
    ],
  }
}

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
        `first-load JavaScript: ${(gzipBytes / 1024).toFixed(1)} KB gzip (${(bytes / 1024).toFixed(1)} KB raw, ${seen.size} files; target 150 KB gzip)`,
      )
    },
  }
}

const alias = { '@': fileURLToPath(new URL('./src', import.meta.url)) }

/**
 * In the built app, `import … from 'zod'` is src/modules/zod.ts: zod with its eval probe off
 * (src/modules/zod-jitless.ts), so the switch runs before any schema is defined wherever zod
 * loads, and main.ts does not have to import zod on the first page to flip it. The two modules
 * themselves read the real zod.
 */
function zodJitless(): Plugin {
  const wrapper = fileURLToPath(new URL('./src/modules/zod.ts', import.meta.url))
  return {
    name: 'zod-jitless',
    apply: 'build',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source !== 'zod' || !importer) return null
      if (/[\\/]src[\\/]modules[\\/]zod(-jitless)?\.ts$/.test(importer)) return null
      return wrapper
    },
  }
}

/**
 * `vite build --mode cli` (`npm run build:cli`): the command-line tools as plain JavaScript for
 * Node 20, every dependency bundled in, so `npm run rankings` (or the package's `store-rankings`
 * bin) starts without compiling TypeScript.
 */
const cliConfig = defineConfig({
  resolve: { alias },
  publicDir: false,
  build: {
    ssr: true,
    outDir: 'dist-cli',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    reportCompressedSize: false,
    rollupOptions: {
      input: { rankings: 'src/cli/bin/rankings.ts' },
      output: { format: 'es', entryFileNames: '[name].mjs' },
    },
  },
  ssr: { noExternal: true, target: 'node' },
})

export const appConfig = defineConfig({
  resolve: { alias },
  // The spreadsheet reader's worker (src/io/table.worker.ts) loads SheetJS with a dynamic
  // import: a code-splitting worker needs ES module output.
  worker: { format: 'es' },
  build: {
    // Inlined data: URLs would need `img-src data:` / `font-src data:` under the CSP.
    assetsInlineLimit: 0,
    target: 'es2022',
    reportCompressedSize: true,
    rollupOptions: {
      output: {
        // zod and the module that turns its eval probe off share one chunk, so the switch runs
        // before any chunk can define a schema (src/modules/zod-jitless.ts says why).
        manualChunks(id) {
          if (/[\\/]node_modules[\\/]zod[\\/]|[\\/]src[\\/]modules[\\/]zod(-jitless)?\./.test(id))
            return 'zod'
          return undefined
        },
      },
    },
  },
  plugins: [
    vue(),
    zodJitless(),
    cspMeta(),
    firstLoadReport(),
    VitePWA({
      registerType: 'prompt',
      // We register the worker ourselves (src/pwa/): the plugin's inline register script breaks the CSP.
      injectRegister: null,
      includeAssets: ['favicon.svg', 'icons/*.png'],
      manifest: {
        name: '营业厅服务评价',
        short_name: '服务评价',
        description: 'Retail store service evaluation (offline)',
        lang: 'zh-CN',
        display: 'standalone',
        orientation: 'any',
        background_color: '#ffffff',
        theme_color: '#0b5cad',
        start_url: '.',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,woff2,webmanifest}'],
        navigateFallback: 'index.html',
        maximumFileSizeToCacheInBytes: 5 * 1024 * 1024,
      },
    }),
  ],
})

export default defineConfig(({ mode }) => (mode === 'cli' ? cliConfig : appConfig))

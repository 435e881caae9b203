import { build } from 'vite'
const targets = process.argv.slice(2)
await build({
  root: '/work/wt-engine', configFile: '/work/wt-engine/vite.config.ts', logLevel: 'silent',
  build: { outDir: '/tmp/engine-build2', emptyOutDir: true },
  plugins: [{ name: 'chain', buildEnd() {
    const starts = [...this.getModuleIds()].filter((id) => id.endsWith('src/main.ts') || id.endsWith('src/views/home/HomeView.vue'))
    const prev = new Map(); const q = [...starts]; for (const s of starts) prev.set(s, null)
    while (q.length) { const id = q.shift(); const info = this.getModuleInfo(id); for (const d of info?.importedIds ?? []) if (!prev.has(d)) { prev.set(d, id); q.push(d) } }
    for (const t of targets) {
      const hits = [...prev.keys()].filter((id) => id.includes(t))
      if (!hits.length) { console.log('NOT static:', t); continue }
      for (const hit of hits.slice(0,1)) { const chain = []; let c = hit; while (c) { chain.push(c.replace('/work/wt-engine/', '').replace(/\?.*/, '')); c = prev.get(c) }
      console.log(t, ':\n   ' + chain.reverse().join('\n   → ')) }
    }
  } }],
})

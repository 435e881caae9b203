/**
 * What `import … from 'zod'` resolves to in the built app (vite.config.ts, `zodJitless`): zod
 * with its eval probe switched off first (./zod-jitless.ts says why). The switch then travels
 * with zod itself, in its chunk, so main.ts need not import zod to turn it off and the first
 * page does not load zod at all.
 */
import './zod-jitless'
export * from 'zod'

/**
 * Runs before any module defines a zod schema: in the built app every import of 'zod' goes
 * through ./zod.ts, which imports this first, and both share zod's chunk. Zod 4 probes whether it may
 * compile fast parsers with `new Function('')` the first time an object schema is defined; under
 * our CSP (no 'unsafe-eval') the probe throws, and although zod catches it, Chromium still reports
 * a `securitypolicyviolation` on every page load. With `jitless` zod skips the probe and uses its
 * ordinary parser, which is what it falls back to under the CSP anyway.
 */
import { config } from 'zod'

config({ jitless: true })

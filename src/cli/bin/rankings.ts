#!/usr/bin/env node
/**
 * Entry point of the built `store-rankings` command (dist-cli/rankings.mjs, `npm run rankings`):
 * kept apart from src/cli/rankings.ts so tests can import `main` without running it.
 */
import { main } from '../rankings'

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (e: unknown) => {
    process.stderr.write(`rankings: ${String(e)}\n`)
    process.exitCode = 1
  },
)

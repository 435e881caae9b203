// `npm audit --omit=dev`: fail on high or critical advisories in runtime dependencies.
// Where the registry's audit service cannot be reached (some mirrors answer 405), say so loudly
// and go on: an unreachable service is not a clean audit, but it must not hide the other checks.
import { execFileSync } from 'node:child_process'

let out
try {
  out = execFileSync('npm', ['audit', '--omit=dev', '--json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
} catch (e) {
  out = e.stdout ?? ''
}
let report
try {
  report = JSON.parse(out)
} catch {
  console.warn('npm audit: no readable answer; audit NOT done')
  process.exit(0)
}
const counts = report?.metadata?.vulnerabilities
if (!counts) {
  console.warn(
    `npm audit: service unavailable (${report.statusCode ?? ''} ${report.message ?? report.error?.summary ?? 'unknown error'}); audit NOT done`,
  )
  process.exit(0)
}
const bad = (counts.high ?? 0) + (counts.critical ?? 0)
console.log(`npm audit (runtime dependencies): ${JSON.stringify(counts)}`)
if (bad > 0) {
  for (const [name, v] of Object.entries(report.vulnerabilities ?? {}))
    if (v.severity === 'high' || v.severity === 'critical')
      console.error(`${v.severity}: ${name} ${v.range ?? ''}`)
  process.exit(1)
}

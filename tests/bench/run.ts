/**
 * Runs every `tests/bench/*.bench.ts` (each exports `run(): Promise<BenchFigure[]>`) and writes one
 * report: tests/bench/results/latest.md (a table) and tests/bench/results/latest.json (the same rows plus the
 * machine: cores, load average, Node version, date). Without `--json` the table is also printed;
 * with `--json` stdout carries one JSON object per line, per figure, so other tools can parse it
 * line by line: {"name","value","unit","target","status"} (target null when a figure has none).
 *
 * Timings never fail the process: a figure over its target is marked `fail` in the table and the
 * run still exits 0 (CI machines are shared and noisy). A bench that throws becomes an `error`
 * row and the benches after it still run. `--only <substring>` runs the matching files only and
 * prints their rows without touching the saved report; `--only a,b` takes several substrings,
 * and `--save` with `--only` writes the report anyway, its header naming the benches that ran.
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { BenchFigure, BenchRun } from './types'

const json = process.argv.includes('--json')
const onlyAt = process.argv.indexOf('--only')
const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined
const onlyParts = only?.split(',').filter((p) => p !== '')
const save = process.argv.includes('--save')
const here = dirname(fileURLToPath(import.meta.url))

export type RowStatus = 'pass' | 'fail' | 'no target' | 'error'

export interface ReportRow {
  bench: string
  name: string
  value: number | null
  unit: string
  target: number | null
  /** Absent: lower is better. */
  better?: 'higher'
  status: RowStatus
  /** The bench's error message, for an `error` row. */
  error?: string
  /** Wall time of the whole bench file this row came from (same for its rows). */
  benchSeconds: number
}

export interface Report {
  date: string
  node: string
  cores: number
  cpuModel: string
  memoryGB: number
  /** os.loadavg() before the first and after the last bench: 1, 5 and 15 minutes. */
  loadBefore: number[]
  loadAfter: number[]
  /** Set when only some benches ran (`--only … --save`): the substrings asked for. */
  only?: string[]
  rows: ReportRow[]
}

export function statusOf(f: BenchFigure): RowStatus {
  if (f.target === undefined) return 'no target'
  const ok = f.better === 'higher' ? f.value >= f.target : f.value <= f.target
  return ok ? 'pass' : 'fail'
}

const round2 = (x: number) => Math.round(x * 100) / 100

async function runFile(file: string): Promise<ReportRow[]> {
  const t0 = performance.now()
  const bench = file.replace(/\.bench\.ts$/, '')
  try {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as { run?: BenchRun }
    if (typeof mod.run !== 'function') throw new Error(`${file} does not export run()`)
    const figures = await mod.run()
    const benchSeconds = round2((performance.now() - t0) / 1000)
    return figures.map((f) => ({
      bench,
      name: f.name,
      value: f.value,
      unit: f.unit,
      target: f.target ?? null,
      ...(f.better === 'higher' ? { better: 'higher' as const } : {}),
      status: statusOf(f),
      benchSeconds,
    }))
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    process.stderr.write(
      `${file} failed: ${err instanceof Error ? (err.stack ?? message) : message}\n`,
    )
    return [
      {
        bench,
        name: `${bench}: did not finish`,
        value: null,
        unit: '',
        target: null,
        status: 'error',
        error: message.split('\n')[0]?.slice(0, 300) ?? '',
        benchSeconds: round2((performance.now() - t0) / 1000),
      },
    ]
  }
}

async function main(): Promise<void> {
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts') && (!onlyParts || onlyParts.some((p) => f.includes(p))))
    .sort()
  const report: Report = {
    date: new Date().toISOString(),
    node: process.version,
    cores: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGB: round2(totalmem() / 1024 ** 3),
    loadBefore: loadavg().map(round2),
    loadAfter: [],
    ...(onlyParts ? { only: onlyParts } : {}),
    rows: [],
  }
  for (const file of files) {
    process.stderr.write(`running ${file}…\n`)
    for (const row of await runFile(file)) {
      report.rows.push(row)
      if (json)
        process.stdout.write(
          `${JSON.stringify({ name: row.name, value: row.value, unit: row.unit, target: row.target, status: row.status, ...(row.error ? { error: row.error } : {}) })}\n`,
        )
    }
  }
  report.loadAfter = loadavg().map(round2)

  const md = markdown(report)
  if (!json) process.stdout.write(md)
  // A partial run (--only) replaces the full report only when asked to (--save).
  if (only && !save) return
  const out = join(here, 'results')
  mkdirSync(out, { recursive: true })
  writeFileSync(join(out, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`)
  writeFileSync(join(out, 'latest.md'), md)
  process.stderr.write(`wrote ${join('tests', 'bench', 'results', 'latest.md')} and latest.json\n`)
}

/**
 * What each ratio (unit ×) compares. Absolute times move 2× between runs on a shared machine;
 * a figure divided by its floor, both measured in the same run on the same data, moves much less.
 */
export const RATIO_LEGEND: readonly string[] = [
  'Ratios (unit ×) divide a figure by its floor, both measured in this run on the same data, so',
  'machine load cancels out; 1 means as fast as the floor, lower is better:',
  '- **CLI ÷ SQLite**: whole-process wall time of the compiled `npm run rankings` over Debian',
  '  `sqlite3` running the same rules as SQL window functions on the same CSV files (goal < 1);',
  '  peak memory likewise.',
  '- **compiled ÷ tsx**: the built CLI over the same sources run through tsx (what compiling',
  '  ahead saves).',
  '- **rankings screen ÷ raw read**: navigation to the first row after a change over a raw',
  '  IndexedDB read, in the same page, of the register, results and log rows it reads (goal ≤ 1.3).',
  '- **answer saved ÷ raw transaction**: click-to-"saved" p95 over the p95 of a raw one-row',
  '  IndexedDB put with the same (strict) durability (goal ≤ 2).',
  '- **bundle import ÷ raw write**: choosing the file to "done" in the app over one raw',
  '  IndexedDB transaction writing the same rows (key paths only, strict) (goal ≤ 1.5).',
  '- **scores import ÷ raw write**: the scores import button to "done" over one raw strict',
  '  IndexedDB transaction writing the same evaluations and results rows.',
  '- **push ÷ plain inserts** (server): a sync push over batched INSERTs of the same rows.',
  '- **growth exponent**: slope of log(time) over log(stores); 1 is linear, n log n reads 1.09',
  '  from 20,000 to 100,000 stores.',
]

const fmt = (x: number | null) =>
  x === null ? '' : Math.abs(x) >= 1000 ? String(Math.round(x)) : String(round2(x))
const cell = (s: string) => s.replaceAll('|', '\\|').replaceAll('\n', ' ')

export function markdown(r: Report): string {
  const counts = { pass: 0, fail: 0, 'no target': 0, error: 0 }
  for (const row of r.rows) counts[row.status]++
  const lines = [
    '# Benchmark report',
    '',
    `Run ${r.date} · Node ${r.node} · ${r.cores} cores (${r.cpuModel}) · ${r.memoryGB} GB · ` +
      `load average before ${r.loadBefore.join(' / ')}, after ${r.loadAfter.join(' / ')} (1 / 5 / 15 min)`,
    '',
    ...(r.only
      ? [
          `Partial run: only the benches matching ${r.only.join(', ')} (the others did not run).`,
          '',
        ]
      : []),
    `${counts.pass} pass, ${counts.fail} fail, ${counts['no target']} without target, ${counts.error} error. ` +
      'Lower is better for every figure except scores (target shown as ≥); `fail` means the ' +
      'target is missed. Timings never fail CI: `npm run bench` always exits 0 when it ran.',
    '',
    ...RATIO_LEGEND,
    '',
    '| figure | value | unit | target | result |',
    '| --- | ---: | --- | ---: | --- |',
    ...r.rows.map(
      (row) =>
        `| ${cell(row.name)} | ${fmt(row.value)} | ${cell(row.unit)} | ${row.better === 'higher' && row.target !== null ? `≥ ${fmt(row.target)}` : fmt(row.target)} | ${
          row.status === 'error' ? `error: ${cell(row.error ?? '')}` : row.status
        } |`,
    ),
    '',
    'Seconds per bench file: ' +
      [...new Map(r.rows.map((row) => [row.bench, row.benchSeconds]))]
        .map(([b, s]) => `${b} ${s} s`)
        .join(', '),
    '',
  ]
  return lines.join('\n')
}

// Only when run as a script, so a test can import markdown()/statusOf().
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err: unknown) => {
    // Only the runner itself failing (not a bench) gets here: that is worth a red CI step.
    console.error(err)
    process.exitCode = 1
  })
}

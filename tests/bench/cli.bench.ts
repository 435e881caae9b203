/**
 * The batch command (issue 16) as provincial staff run it: the compiled CLI (`vite build --mode
 * cli`, plain JavaScript, what `npm run rankings` starts) on generated national registers of
 * 2,000, 20,000 and 100,000 stores (tests/bench/cli-data.ts), timed as whole processes with
 * GNU time (wall seconds and peak resident memory), beside:
 * - the same command through tsx (compiling TypeScript at every start, as before issue 16), at
 *   20,000 stores: the ratio is what compiling ahead saves;
 * - the peer: the same rules as SQL with window functions in Debian's sqlite3 (an in-memory
 *   database importing the same CSV files; tests/unit/cli-sqlite-peer.test.ts checks it gives
 *   the same grades and ranks), at 20,000 and 100,000 stores: CLI ÷ SQLite of the whole-process
 *   times (goal < 1) and of peak memory;
 * - the engine alone in this process (store results, certification, ranks) at each size;
 * - growth: the slope of log(time) over log(stores) from 20,000 to 100,000 stores (1 is linear,
 *   n log n reads 1.09 there), and the least-squares slope over all three sizes, which start-up
 *   at 2,000 stores flattens.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { proposeCertification } from '../../src/domain/certification'
import { DEFAULT_POLICY } from '../../src/domain/policy'
import { rankAll } from '../../src/domain/ranking'
import { storeResults } from '../../src/domain/store-result'
import { parseScoreFile } from '../../src/io/score-import'
import { parseStoreFile } from '../../src/io/store-import'
import { BENCH_PERIOD, writeCliData, type CliData } from './cli-data'
import { SQLITE, sqliteArgs, sqlitePeerScript } from './sqlite-peer'
import type { BenchFigure } from './types'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const SIZES = [2_000, 20_000, 100_000] as const
const TIME = '/usr/bin/time'

export interface ProcessRun {
  seconds: number
  peakMB: number
}

/** One whole process under GNU time: wall seconds and peak RSS. Throws if the command fails. */
export function timeProcess(cmd: string, args: readonly string[]): ProcessRun {
  const dir = mkdtempSync(join(tmpdir(), 'sse-time-'))
  const report = join(dir, 'time.txt')
  try {
    execFileSync(TIME, ['-f', '%e %M', '-o', report, cmd, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    })
    const [seconds, kb] = readFileSync(report, 'utf8').trim().split(/\s+/).slice(-2).map(Number)
    return { seconds: seconds as number, peakMB: Math.round((kb as number) / 1024) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] as number
}

/** Slope of log(y) against log(x), least squares: the growth exponent. */
export function growthExponent(points: readonly { n: number; t: number }[]): number {
  const xs = points.map((p) => Math.log(p.n))
  const ys = points.map((p) => Math.log(p.t))
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length
  const my = ys.reduce((a, b) => a + b, 0) / ys.length
  let num = 0
  let den = 0
  xs.forEach((x, i) => {
    num += (x - mx) * ((ys[i] as number) - my)
    den += (x - mx) ** 2
  })
  return num / den
}

export async function buildCli(outDir: string): Promise<string> {
  await build({ root: ROOT, mode: 'cli', logLevel: 'warn', build: { outDir } })
  return join(outDir, 'rankings.mjs')
}

export function cliArgs(data: CliData, out: string): string[] {
  return ['--stores', data.storesCsv, '--scores', data.scoresCsv, '--out', out]
}

async function engineMs(data: CliData): Promise<number> {
  const stores = (await parseStoreFile(new Uint8Array(readFileSync(data.storesCsv)), 's.csv'))
    .stores
  const scores = await parseScoreFile(new Uint8Array(readFileSync(data.scoresCsv)), 'sc.csv', {
    storeCodes: new Set(stores.map((s) => s.code)),
    maxScore: 105_00,
  })
  const times: number[] = []
  for (let i = 0; i < 4; i++) {
    const t0 = performance.now()
    const results = storeResults(stores, scores.records, DEFAULT_POLICY, scores.period ?? undefined)
    proposeCertification(results, stores, DEFAULT_POLICY)
    rankAll(results, stores, DEFAULT_POLICY)
    if (i > 0) times.push(performance.now() - t0) // the first round warms up
  }
  return median(times)
}

const round2 = (n: number) => Math.round(n * 100) / 100

export async function run(): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sse-cli-bench-'))
  try {
    const cli = await buildCli(join(dir, 'dist-cli'))
    const figures: BenchFigure[] = []
    const cliPoints: { n: number; t: number }[] = []
    const enginePoints: { n: number; t: number }[] = []
    for (const n of SIZES) {
      const data = writeCliData(join(dir), n)
      const out = join(dir, `out-${n}.csv`)
      const runs = Array.from({ length: n >= 100_000 ? 3 : 5 }, () =>
        timeProcess(process.execPath, [cli, ...cliArgs(data, out)]),
      )
      const seconds = median(runs.map((r) => r.seconds))
      cliPoints.push({ n, t: seconds })
      const label = n.toLocaleString('en')
      figures.push(
        {
          name: `CLI (compiled): ${label} stores, ${data.scores.toLocaleString('en')} scores, whole process (median)`,
          value: round2(seconds),
          unit: 's',
        },
        {
          name: `CLI (compiled): ${label} stores, peak memory`,
          value: Math.max(...runs.map((r) => r.peakMB)),
          unit: 'MB',
        },
      )
      const ms = await engineMs(data)
      enginePoints.push({ n, t: ms })
      figures.push({
        name: `engine in process: results + certify + rank, ${label} stores (median of 3)`,
        value: Math.round(ms),
        unit: 'ms',
      })
      if (n >= 20_000) {
        const script = sqlitePeerScript(data, BENCH_PERIOD, join(dir, `sql-${n}.csv`), dir)
        const sqlRuns = Array.from({ length: n >= 100_000 ? 3 : 5 }, () =>
          timeProcess(SQLITE, sqliteArgs(script)),
        )
        const sqlSeconds = median(sqlRuns.map((r) => r.seconds))
        const sqlPeak = Math.max(...sqlRuns.map((r) => r.peakMB))
        figures.push(
          {
            name: `SQLite peer: ${label} stores, whole process (median)`,
            value: round2(sqlSeconds),
            unit: 's',
          },
          {
            name: `CLI ÷ SQLite peer, ${label} stores, whole-process time`,
            value: round2(seconds / sqlSeconds),
            unit: '×',
            target: 1,
          },
          {
            name: `CLI ÷ SQLite peer, ${label} stores, peak memory (SQLite ${sqlPeak} MB)`,
            value: round2(Math.max(...runs.map((r) => r.peakMB)) / sqlPeak),
            unit: '×',
          },
        )
      }
      if (n === 20_000) {
        const tsx = join(ROOT, 'node_modules/.bin/tsx')
        const tsxRuns = Array.from({ length: 3 }, () =>
          timeProcess(tsx, [join(ROOT, 'src/cli/bin/rankings.ts'), ...cliArgs(data, out)]),
        )
        const tsxSeconds = median(tsxRuns.map((r) => r.seconds))
        figures.push({
          name: 'CLI compiled ÷ the same CLI through tsx, 20,000 stores, whole process',
          value: round2(seconds / tsxSeconds),
          unit: '×',
          target: 1,
        })
      }
    }
    // Between the two largest sizes start-up no longer hides the growth; n log n from 20,000 to
    // 100,000 stores is an exponent of 1.09, the target.
    const step = (points: { n: number; t: number }[]) => growthExponent(points.slice(-2))
    figures.push(
      {
        name: 'CLI growth exponent, 20,000 → 100,000 stores (1 = linear, 1.09 = n log n)',
        value: round2(step(cliPoints)),
        unit: '',
        target: 1.09,
      },
      {
        name: 'CLI growth exponent, fitted over 2,000 / 20,000 / 100,000 stores',
        value: round2(growthExponent(cliPoints)),
        unit: '',
      },
      {
        name: 'engine growth exponent, 20,000 → 100,000 stores (1 = linear, 1.09 = n log n)',
        value: round2(step(enginePoints)),
        unit: '',
        target: 1.09,
      },
    )
    return figures
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

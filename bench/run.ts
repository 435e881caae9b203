/**
 * Runs every `bench/*.bench.ts` (each exports `run(): Promise<BenchFigure[]>`) and prints a
 * table, or with `--json` one JSON object per line: {"name","value","unit","target"} (target
 * null when a figure has none).
 * In JSON mode stdout carries only the figures, so other tools can parse it line by line.
 */
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { BenchFigure, BenchRun } from './types'

const json = process.argv.includes('--json')
const here = dirname(fileURLToPath(import.meta.url))

async function main(): Promise<void> {
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort()
  const figures: BenchFigure[] = []
  for (const file of files) {
    if (!json) process.stderr.write(`running ${file}…\n`)
    const mod = (await import(pathToFileURL(join(here, file)).href)) as { run?: BenchRun }
    if (typeof mod.run !== 'function') throw new Error(`${file} does not export run()`)
    for (const f of await mod.run()) {
      figures.push(f)
      if (json)
        process.stdout.write(
          `${JSON.stringify({ name: f.name, value: f.value, unit: f.unit, target: f.target ?? null })}\n`,
        )
    }
  }
  if (!json) printTable(figures)
}

function printTable(figures: BenchFigure[]): void {
  const rows = figures.map((f) => [
    f.name,
    `${f.value} ${f.unit}`,
    f.target === undefined ? '' : `${f.target} ${f.unit}`,
    f.target === undefined ? '' : f.value <= f.target ? 'ok' : 'OVER',
  ])
  const head = ['benchmark', 'value', 'target', '']
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) =>
        i === 1 || i === 2 ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number),
      )
      .join('  ')
      .trimEnd()
  console.log(line(head))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const r of rows) console.log(line(r))
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})

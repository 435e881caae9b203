/** One figure a benchmark reports; `npm run bench -- --json` prints one per line. */
export interface BenchFigure {
  name: string
  value: number
  unit: string
  /** The figure should be at or below this (same unit). */
  target?: number
}

/** What every `tests/bench/*.bench.ts` exports. */
export type BenchRun = () => Promise<BenchFigure[]>

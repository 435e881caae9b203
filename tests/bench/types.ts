/** One figure a benchmark reports; `npm run bench -- --json` prints one per line. */
export interface BenchFigure {
  name: string
  value: number
  unit: string
  /** The figure should be at or below this (same unit); at or above it with `better: 'higher'`. */
  target?: number
  /** Scores (Lighthouse) are better higher; every time, size and ratio is better lower (default). */
  better?: 'lower' | 'higher'
}

/** What every `tests/bench/*.bench.ts` exports. */
export type BenchRun = () => Promise<BenchFigure[]>

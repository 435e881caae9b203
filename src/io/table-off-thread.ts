/**
 * `readTable` in a Web Worker, for the browser: the zip checks, SheetJS and the CSV parser run
 * off the main thread, so a heavy or hostile spreadsheet never freezes the tab, and a worker
 * that runs past `timeoutMs` (SheetJS can spend minutes on a damaged file) is stopped with a
 * message. Same arguments and result as `readTable`; where there is no Worker (Node, happy-dom)
 * it reads in the calling thread.
 *
 * The worker is created per file and terminated when its answer arrives: Vite builds it as its
 * own chunk (`new URL(…, import.meta.url)`), fetched only when an import needs it.
 */
import { makeProblem } from './problems'
import { readTable, type ReadTableResult, type TableLimits } from './table'
import type { TableJob } from './table.worker'

/** Two minutes: a 20 MB workbook of 100,000 rows reads in seconds on a tablet. */
export const READ_TIMEOUT_MS = 120_000

function failed(problem: ReturnType<typeof makeProblem>): ReadTableResult {
  return { ok: false, format: null, encoding: null, problems: [problem] }
}

export function readTableOffThread(
  bytes: Uint8Array,
  fileName: string,
  limits: TableLimits = {},
  timeoutMs: number = READ_TIMEOUT_MS,
): Promise<ReadTableResult> {
  if (typeof Worker === 'undefined') return readTable(bytes, fileName, limits)
  const worker = new Worker(new URL('./table.worker.ts', import.meta.url), { type: 'module' })
  return new Promise((resolve) => {
    const finish = (result: ReadTableResult): void => {
      clearTimeout(timer)
      worker.terminate()
      resolve(result)
    }
    const timer = setTimeout(
      () =>
        finish(
          failed(
            makeProblem(null, null, 'read-timeout', { seconds: Math.round(timeoutMs / 1000) }),
          ),
        ),
      timeoutMs,
    )
    worker.onmessage = (event: MessageEvent<ReadTableResult>) => finish(event.data)
    const broke = (detail: string) =>
      finish(failed(makeProblem(null, null, 'unreadable-file', { detail })))
    worker.onerror = (event) => {
      event.preventDefault()
      broke(event.message || 'the reader stopped')
    }
    worker.onmessageerror = () => broke('the reader stopped')
    const job: TableJob = { bytes, fileName, limits }
    worker.postMessage(job)
  })
}

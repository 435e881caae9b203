/**
 * The spreadsheet reader's worker (see table-off-thread.ts): one job per worker, so the
 * worker's memory goes away with it. SheetJS, the zip checks and the CSV parser all run here,
 * off the page's main thread.
 */
import { readTable, type TableLimits } from './table'

export interface TableJob {
  bytes: Uint8Array
  fileName: string
  limits: TableLimits
}

const scope = self as unknown as DedicatedWorkerGlobalScope

scope.onmessage = (event: MessageEvent<TableJob>) => {
  const { bytes, fileName, limits } = event.data
  void readTable(bytes, fileName, limits).then((result) => scope.postMessage(result))
}

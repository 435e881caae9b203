/**
 * Export speed (issue 5): the rankings of 20,000 stores written as an XLSX workbook (stores,
 * cities, provinces, quota use, overrides; every cell neutralised) and as CSV. Measured from the
 * rankings pipeline's output (rows, rankings, certification proposal) to the file's bytes, so the figure is what
 * the user waits for after pressing "export". Target: XLSX under 3 s. The CPU-time figure is
 * this process's own: on a shared 2-core machine wall time also counts other processes' turns.
 */
import { performance } from 'node:perf_hooks'
import { DEFAULT_POLICY } from '../../src/domain/policy'
import { rankPeriod } from '../../src/domain/rankings-pipeline'
import type { EvaluationRecord } from '../../src/domain/store-result'
import type { Reviewer, Store, StoreLevel } from '../../src/domain/types'
import { rankingExportData, rankingStoresCsv, rankingWorkbook } from '../../src/io/ranking-export'
import { intBetween, mulberry32, pick } from './prng'
import type { BenchFigure } from './types'

const SEED = 20261231
const STORES = 20_000
const PROVINCES = 31
const CITIES_PER_PROVINCE = 11

export function generate(): { stores: Store[]; records: EvaluationRecord[] } {
  const rand = mulberry32(SEED)
  const stores: Store[] = []
  const records: EvaluationRecord[] = []
  for (let i = 0; i < STORES; i++) {
    const p = i % PROVINCES
    const code = `S${String(i).padStart(6, '0')}`
    stores.push({
      code,
      // Some names look like formulas: the export must neutralise them, which costs time too.
      name:
        i % 500 === 0
          ? `=HYPERLINK("http://x/${i}")`
          : `第${p}省第${i % CITIES_PER_PROVINCE}市营业厅${i}`,
      province: `省${p}`,
      city: `市${p}-${i % CITIES_PER_PROVINCE}`,
      level: pick(rand, [1, 2, 3, 3, 4] as StoreLevel[]),
      type: rand() < 0.9 ? 'self' : 'partner',
    })
    if (rand() < 0.95) {
      records.push({
        storeCode: code,
        reviewer: pick(rand, ['self', 'city', 'city', 'province', 'group'] as Reviewer[]),
        submittedAt: '2026-12-01T00:00:00Z',
        final: intBetween(rand, 6000, 10200),
      })
    }
  }
  return { stores, records }
}

/** Wall time, and this process's CPU time: on a shared 2-core machine the two differ a lot. */
async function time<T>(fn: () => Promise<T> | T): Promise<{ ms: number; cpuMs: number; value: T }> {
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  const value = await fn()
  const c = process.cpuUsage(c0)
  return {
    ms: Math.round(performance.now() - t0),
    cpuMs: Math.round((c.user + c.system) / 1000),
    value,
  }
}

export async function run(): Promise<BenchFigure[]> {
  const { stores, records } = generate()
  const ranked = rankPeriod({ register: stores, records, policy: DEFAULT_POLICY })
  // Load SheetJS once outside the timing: in the app it is fetched once per session.
  await rankingWorkbook(
    { stores: [], cities: [], provinces: [], quota: [], overrides: [], record: [] },
    'zh',
  )

  const xlsx = await time(async () => {
    const data = rankingExportData({ ranked })
    return rankingWorkbook(data, 'zh')
  })
  const csv = await time(() => rankingStoresCsv(rankingExportData({ ranked }), 'zh'))
  return [
    {
      name: `XLSX export, ${STORES.toLocaleString('en')} stores (5 sheets)`,
      value: xlsx.ms,
      unit: 'ms',
      target: 3000,
    },
    {
      name: `XLSX export CPU time, ${STORES.toLocaleString('en')} stores`,
      value: xlsx.cpuMs,
      unit: 'ms',
    },
    {
      name: `XLSX export size, ${STORES.toLocaleString('en')} stores`,
      value: Math.round(xlsx.value.length / 1024),
      unit: 'KB',
    },
    { name: `CSV export, ${STORES.toLocaleString('en')} stores`, value: csv.ms, unit: 'ms' },
  ]
}

/**
 * A national register and its scores as the CLI reads them (stores.csv, scores.csv), generated
 * with a fixed seed at any size: 31 provinces, 11 cities each, levels 1–4, ~10 % partner stores,
 * about 2.2 scores a store (a self-assessment for most, inspections for many). The CLI bench and
 * the SQLite peer read the same files.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { intBetween, mulberry32, pick } from './prng'

export const BENCH_PERIOD = '2026-Q4'
const PROVINCES = 31
const CITIES_PER_PROVINCE = 11
const LEVELS = [1, 2, 2, 3, 3, 3, 4] as const
const INSPECTORS = ['city', 'province', 'group'] as const

export interface CliData {
  storesCsv: string
  scoresCsv: string
  stores: number
  scores: number
}

function score(rand: () => number): string {
  // 70.00–100.00, most between 85 and 97, like real inspections.
  const base = 8500 + Math.round((rand() + rand() + rand() - 1.5) * 800)
  return (Math.max(7000, Math.min(10000, base)) / 100).toFixed(2)
}

export function writeCliData(dir: string, stores: number, seed = 20261201): CliData {
  const rand = mulberry32(seed)
  const storeLines = ['code,name,province,city,level,type']
  const scoreLines = ['code,period,score,reviewer']
  for (let i = 0; i < stores; i++) {
    const p = intBetween(rand, 0, PROVINCES - 1)
    const c = intBetween(rand, 0, CITIES_PER_PROVINCE - 1)
    const code = `ST${String(i).padStart(6, '0')}`
    const province = `P${String(p).padStart(2, '0')}`
    storeLines.push(
      `${code},store ${i},${province},${province}C${String(c).padStart(2, '0')},${pick(rand, LEVELS)},${rand() < 0.9 ? 'self' : 'partner'}`,
    )
    if (rand() < 0.85) scoreLines.push(`${code},${BENCH_PERIOD},${score(rand)},self`)
    // No two rows of a store share a reviewer: the CLI refuses duplicate rows.
    const first = intBetween(rand, 0, INSPECTORS.length - 1)
    const inspections = intBetween(rand, 0, 2)
    for (let k = 0; k < inspections; k++)
      scoreLines.push(
        `${code},${BENCH_PERIOD},${score(rand)},${INSPECTORS[(first + k) % INSPECTORS.length]}`,
      )
  }
  const storesCsv = join(dir, 'stores.csv')
  const scoresCsv = join(dir, 'scores.csv')
  writeFileSync(storesCsv, `${storeLines.join('\n')}\n`)
  writeFileSync(scoresCsv, `${scoreLines.join('\n')}\n`)
  return { storesCsv, scoresCsv, stores, scores: scoreLines.length - 1 }
}

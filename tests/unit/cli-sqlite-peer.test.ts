/**
 * The bench's SQLite peer (tests/bench/sqlite-peer.sql) must apply the CLI's rules, or the speed
 * ratio compares different work: on a generated register of 3,000 stores, both give every store
 * the same certified grade and the same three ranks.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { main, nodeIo } from '../../src/cli/rankings'
import { parseCsv } from '../../src/io/csv'
import { BENCH_PERIOD, writeCliData } from '../bench/cli-data'
import { SQLITE, sqliteArgs, sqlitePeerScript } from '../bench/sqlite-peer'

const dir = mkdtempSync(join(tmpdir(), 'sqlite-peer-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function rows(path: string): Map<string, Record<string, string>> {
  const [header, ...body] = parseCsv(readFileSync(path, 'utf8')).records.map((r) => r.cells)
  return new Map(
    body.map((cells) => {
      const row = Object.fromEntries(header!.map((h, i) => [h, cells[i] ?? '']))
      return [row.code!, row]
    }),
  )
}

describe('the SQLite peer of the rankings CLI', () => {
  it('gives every graded store the CLI’s certified grade and ranks (3,000 stores)', async () => {
    const data = writeCliData(dir, 3_000, 7)
    const cliOut = join(dir, 'cli.csv')
    const silent = { ...nodeIo, stdout: () => {}, stderr: () => {} }
    expect(await main(cliArgs(data.storesCsv, data.scoresCsv, cliOut), silent)).toBe(0)
    const sqlOut = join(dir, 'sql.csv')
    execFileSync(SQLITE, sqliteArgs(sqlitePeerScript(data, BENCH_PERIOD, sqlOut, dir)))

    const cli = rows(cliOut)
    const sql = rows(sqlOut)
    const graded = [...cli.values()].filter((r) => r.rank_group !== '')
    expect(graded.length).toBeGreaterThan(1_500)
    expect(sql.size).toBe(graded.length)
    const grades = new Set(graded.map((r) => r.certified_grade))
    expect([...grades].sort()).toEqual(['excellent', 'fail', 'good', 'pass'])
    const keys = ['certified_grade', 'rank_city', 'rank_province', 'rank_group'] as const
    const differ = graded.filter((r) => keys.some((k) => sql.get(r.code!)?.[k] !== r[k]))
    expect(
      differ.map((r) => [r.code, ...keys.map((k) => `${r[k]}/${sql.get(r.code!)?.[k]}`)]),
    ).toEqual([])
  })
})

function cliArgs(stores: string, scores: string, out: string): string[] {
  return ['--stores', stores, '--scores', scores, '--period', BENCH_PERIOD, '--out', out]
}

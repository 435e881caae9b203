/** Runs tests/bench/sqlite-peer.sql in Debian's sqlite3 (an in-memory database) on CLI input. */
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { CliData } from './cli-data'

export const SQLITE = '/usr/bin/sqlite3'
const SQL = join(dirname(fileURLToPath(import.meta.url)), 'sqlite-peer.sql')

/** Writes the peer's script for these files; run it as `sqlite3 :memory: -init script` or stdin. */
export function sqlitePeerScript(data: CliData, period: string, out: string, dir: string): string {
  const script = join(dir, 'sqlite-peer.run.sql')
  const quote = (path: string) => {
    if (/["\s]/.test(path)) throw new Error(`path not usable in a sqlite3 dot-command: ${path}`)
    return path
  }
  writeFileSync(
    script,
    readFileSync(SQL, 'utf8')
      .replaceAll('@STORES@', quote(data.storesCsv))
      .replaceAll('@SCORES@', quote(data.scoresCsv))
      .replaceAll('@PERIOD@', period.replace(/'/g, "''"))
      .replaceAll('@OUT@', quote(out)),
  )
  return script
}

/** sqlite3's arguments for a whole-process run of the script. */
export function sqliteArgs(script: string): string[] {
  return [':memory:', `.read ${script}`]
}

/**
 * Issue 17.1: the accepted score headers have one source (src/io/score-import.ts); the README's
 * table, the CLI's --help and the import screen (ScoreImportView, from the same constants) list
 * them. This checks the README and the CLI against the source.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { main, type CliIo } from '../../src/cli/rankings'
import { REVIEWERS } from '../../src/domain/types'
import { REVIEWER_ALIASES, SCORE_FIELDS, SCORE_HEADER_ALIASES } from '../../src/io/score-import'

const readme = readFileSync('README.md', 'utf8')
const section = readme.slice(
  readme.indexOf('### Accepted score headers'),
  readme.indexOf('## Batch rankings from the command line'),
)
/** The table row whose first cell starts with `key`, its backticked words. */
function rowWords(key: string): string[] {
  const line = section.split('\n').find((l) => l.startsWith(`| \`${key}\``))
  if (!line) return []
  return [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1]!)
}

describe('accepted score headers in the docs', () => {
  it('the README has the section', () => {
    expect(section.length).toBeGreaterThan(100)
  })

  it.each(SCORE_FIELDS)('the README lists every header of %s, and no other', (field) => {
    expect(rowWords(field).slice(1).sort()).toEqual([...SCORE_HEADER_ALIASES[field]].sort())
  })

  it.each(REVIEWERS)('the README lists every word for the reviewer %s, and no other', (r) => {
    expect(rowWords(r).slice(1).sort()).toEqual([...REVIEWER_ALIASES[r]].sort())
  })

  it('the CLI --help lists them from the same source', async () => {
    const out: string[] = []
    const io: CliIo = {
      readFile: () => Promise.reject(new Error('no files')),
      writeFileAtomic: () => Promise.reject(new Error('no files')),
      stdout: (l) => out.push(l),
      stderr: (l) => out.push(l),
    }
    expect(await main(['--help'], io)).toBe(0)
    const text = out.join('\n')
    for (const f of SCORE_FIELDS)
      expect(text).toContain(
        `${f}${f === 'period' ? '' : ' (required)'}: ${SCORE_HEADER_ALIASES[f].join(' | ')}`,
      )
    for (const r of REVIEWERS) expect(text).toContain(`${r}: ${REVIEWER_ALIASES[r].join(' | ')}`)
  })
})

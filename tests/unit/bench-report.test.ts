/** The benchmark report (tests/bench/run.ts): pass/fail per figure, error rows, the markdown table. */
import { describe, expect, it } from 'vitest'
import { markdown, statusOf, type Report } from '../bench/run'

describe('benchmark report', () => {
  it('a figure at its target passes, above it fails, without one has no verdict', () => {
    expect(statusOf({ name: 'a', value: 200, unit: 'ms', target: 200 })).toBe('pass')
    expect(statusOf({ name: 'a', value: 200.1, unit: 'ms', target: 200 })).toBe('fail')
    expect(statusOf({ name: 'a', value: 1e9, unit: 'ms' })).toBe('no target')
    // Scores are better higher.
    expect(statusOf({ name: 's', value: 95, unit: 'score', target: 95, better: 'higher' })).toBe(
      'pass',
    )
    expect(statusOf({ name: 's', value: 94, unit: 'score', target: 95, better: 'higher' })).toBe(
      'fail',
    )
  })

  it('writes one markdown table with the machine, the load and an error row for a crashed bench', () => {
    const report: Report = {
      date: '2026-11-22T00:00:00.000Z',
      node: 'v20.20.2',
      cores: 2,
      cpuModel: 'Test CPU',
      memoryGB: 8,
      loadBefore: [1.5, 1, 0.5],
      loadAfter: [3, 2, 1],
      rows: [
        {
          bench: 'engine',
          name: 'rank | certify',
          value: 233.7,
          unit: 'ms',
          target: 200,
          status: 'fail',
          benchSeconds: 7,
        },
        {
          bench: 'engine',
          name: 'score',
          value: 1538.4,
          unit: 'ms',
          target: null,
          status: 'no target',
          benchSeconds: 7,
        },
        {
          bench: 'first-load',
          name: 'first load',
          value: 215.94,
          unit: 'KB',
          target: 250,
          status: 'pass',
          benchSeconds: 12,
        },
        {
          bench: 'lighthouse',
          name: 'lighthouse home: performance',
          value: 97,
          unit: 'score',
          target: 95,
          better: 'higher',
          status: 'pass',
          benchSeconds: 30,
        },
        {
          bench: 'form',
          name: 'form: did not finish',
          value: null,
          unit: '',
          target: null,
          status: 'error',
          error: 'chromium not found',
          benchSeconds: 1,
        },
      ],
    }
    const md = markdown(report)
    expect(md).toContain('2 cores (Test CPU)')
    expect(md).toContain('Node v20.20.2')
    expect(md).toContain('load average before 1.5 / 1 / 0.5, after 3 / 2 / 1')
    expect(md).toContain('2 pass, 1 fail, 1 without target, 1 error')
    const rows = md
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| figure') && !l.startsWith('| ---'))
    expect(rows).toEqual([
      '| rank \\| certify | 233.7 | ms | 200 | fail |',
      '| score | 1538 | ms |  | no target |',
      '| first load | 215.94 | KB | 250 | pass |',
      '| lighthouse home: performance | 97 | score | ≥ 95 | pass |',
      '| form: did not finish |  |  |  | error: chromium not found |',
    ])
    expect(md).toContain('engine 7 s, first-load 12 s, lighthouse 30 s, form 1 s')
    // The header says what each ratio compares.
    expect(md).toContain('**CLI ÷ SQLite**')
    expect(md).toContain('**answer saved ÷ raw transaction**')
    expect(md).toContain('Timings never fail CI')
  })
})

import { execFile } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import iconv from 'iconv-lite'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main, nodeIo, type CliIo } from '../../src/cli/rankings'
import { parseCsv } from '../../src/io/csv'
import { xlsxBomb, xlsxGigaBomb } from '../helpers/xlsx-bomb'

const run = promisify(execFile)
const ROOT = join(__dirname, '..', '..')

const STORES = [
  'code,name,province,city,level,type',
  'GZ1,天河营业厅,广东,广州,1,self',
  'GZ2,"越秀营业厅,北",广东,广州,2,self',
  'GZ3,番禺营业厅,广东,广州,3,self',
  'GZ4,小区营业厅,广东,广州,4,self',
  'SZ1,福田营业厅,广东,深圳,1,self',
  'SZ2,南山合作厅,广东,深圳,2,partner',
  'SZ3,=HYPERLINK("x"),广东,深圳,3,self',
].join('\n')

const SCORES = [
  'code,period,score,reviewer',
  'GZ1,2026-Q4,96.5,province',
  'GZ2,2026-Q4,91,city',
  'GZ3,2026-Q4,79.99,city',
  'GZ4,2026-Q4,99,city',
  'SZ1,2026-Q4,88,self',
  'SZ2,2026-Q4,95,city',
  'SZ3,2026-Q4,90,city',
  'SZ3,2026-Q3,50,city',
].join('\n')

let dir: string
/** The compiled command (`vite build --mode cli`), built once here into a temporary folder. */
let cliBin: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rankings-cli-'))
  await build({
    root: ROOT,
    mode: 'cli',
    logLevel: 'warn',
    build: { outDir: join(dir, 'dist-cli') },
  })
  cliBin = join(dir, 'dist-cli', 'rankings.mjs')
}, 120_000)
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function files(
  entries: Record<string, string | Uint8Array>,
): Promise<Record<string, string>> {
  const paths: Record<string, string> = {}
  for (const [name, content] of Object.entries(entries)) {
    paths[name] = join(dir, name)
    await writeFile(paths[name], content)
  }
  return paths
}

/** Runs `main` in-process with real files and captured output. */
async function cli(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = []
  const err: string[] = []
  const io: CliIo = { ...nodeIo, stdout: (l) => out.push(l), stderr: (l) => err.push(l) }
  const code = await main(argv, io)
  return { code, out, err }
}

function table(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text).records.map((r) => r.cells)
  return rows.map((cells) => Object.fromEntries(header!.map((h, i) => [h, cells[i] ?? ''])))
}

describe('rankings CLI send-backs (issue 17.5)', () => {
  it("applies the app's send-back rule: held out of grading, its score shown, the right reason", async () => {
    const p = await files({
      's.csv': STORES,
      'sc.csv': SCORES,
      'sb.csv': 'code,reason\nGZ2,照片与现场不符\n',
    })
    const out = join(dir, 'sendback.csv')
    const base = ['--stores', p['s.csv']!, '--scores', p['sc.csv']!, '--period', '2026-Q4']
    const r = await cli([...base, '--sendbacks', p['sb.csv']!, '--out', out])
    expect(r.err).toEqual([])
    expect(r.code).toBe(0)
    const by = new Map(table(await readFile(out, 'utf8')).map((x) => [x.code, x]))
    expect(by.get('GZ2')).toMatchObject({
      score: '91',
      certified_grade: 'ungraded',
      rank_city: '',
      certification_status: 'ungraded',
    })
    expect(by.get('GZ2')!.note).toContain('sent back for re-inspection: 照片与现场不符')
    expect(by.get('GZ2')!.note).not.toContain('No submitted evaluation')
    // Without it, the store is graded; every grade is a proposal (no step on the command line).
    const plain = join(dir, 'plain.csv')
    expect((await cli([...base, '--out', plain])).code).toBe(0)
    const rows = new Map(table(await readFile(plain, 'utf8')).map((x) => [x.code, x]))
    expect(rows.get('GZ2')!.certified_grade).not.toBe('ungraded')
    expect(rows.get('GZ1')!.certification_status).toBe('proposed')

    const bad = await files({ 'bad.csv': 'code,reason\nXX9,重查\nGZ1,\n' })
    const refused = await cli([
      ...base,
      '--sendbacks',
      bad['bad.csv']!,
      '--out',
      join(dir, 'no.csv'),
    ])
    expect(refused.code).toBe(1)
    expect(refused.err.join('\n')).toMatch(/bad\.csv:2: .*XX9/)
    expect(refused.err.join('\n')).toMatch(/bad\.csv:3: /)
    expect(refused.err.at(-1)).toBe('rankings: nothing written')
  })
})

describe('rankings CLI (real command)', () => {
  it('ranks good input: columns, grades, ranks, notes', async () => {
    const p = await files({ 's.csv': STORES, 'sc.csv': SCORES })
    const out = join(dir, 'ranking.csv')
    const r = await run(
      process.execPath,
      [
        cliBin,
        '--stores',
        p['s.csv']!,
        '--scores',
        p['sc.csv']!,
        '--period',
        '2026-Q4',
        '--out',
        out,
      ],
      { cwd: ROOT },
    )
    expect(r.stdout).toMatch(/7 stores, 7 scores \(2026-Q4\)/)
    const text = await readFile(out, 'utf8')
    expect(text.split('\r\n')[0]).toBe(
      'code,name,province,city,level,score,grade,certified_grade,rank_city,rank_province,rank_group,note,type,reviewer,certified_by,bonus_earned,red_lines,certification_status',
    )
    const rows = table(text)
    const by = new Map(rows.map((x) => [x.code, x]))
    expect(rows.map((x) => x.code)).toEqual(['GZ1', 'GZ2', 'GZ3', 'GZ4', 'SZ1', 'SZ2', 'SZ3'])
    // 5 graded stores in 广东 → 0 excellent places (5% floored) and 1 good place (20%). The
    // excellent nominee the quota drops competes for it with the good nominees by score
    // (cascade by-score; policy 1.0.0 gave it to GZ2 at 91 and left GZ1 at 96.5 pass).
    expect(by.get('GZ1')).toMatchObject({
      score: '96.5',
      grade: 'excellent',
      certified_grade: 'good',
      rank_city: '1',
      rank_province: '1',
      rank_group: '1',
    })
    expect(by.get('GZ1')!.note).toMatch(/over excellent quota.*certified good by score/)
    expect(by.get('GZ2')).toMatchObject({
      score: '91',
      grade: 'good',
      certified_grade: 'pass',
      rank_city: '2',
      rank_province: '2',
    })
    expect(by.get('SZ3')).toMatchObject({
      name: '\'=HYPERLINK("x")',
      score: '90',
      grade: 'good',
      certified_grade: 'pass',
      rank_city: '1',
      rank_province: '3',
    })
    expect(by.get('SZ3')!.note).toMatch(/good quota|differential/)
    expect(by.get('GZ3')).toMatchObject({
      score: '79.99',
      grade: 'fail',
      certified_grade: 'fail',
      rank_city: '3',
    })
    expect(by.get('GZ4')).toMatchObject({
      level: '4',
      score: '99',
      certified_grade: 'ungraded',
      rank_city: '',
      rank_province: '',
      rank_group: '',
    })
    expect(by.get('GZ4')!.note).toMatch(/level 4/)
    expect(by.get('SZ2')).toMatchObject({ certified_grade: 'ungraded', rank_group: '' })
    expect(by.get('SZ2')!.note).toMatch(/partner/)
    expect(by.get('SZ1')).toMatchObject({
      score: '88',
      grade: 'pass',
      certified_grade: 'pass',
      reviewer: 'self',
    })
  }, 60_000)

  it('bad input: file:line messages, exit 1, nothing written', async () => {
    const p = await files({
      's2.csv': STORES,
      'bad.csv': `${SCORES}\nXX9,2026-Q4,90,city\nGZ1,2026-Q4,96.5,province\nGZ2,2026-Q4,106,city\n`,
    })
    const out = join(dir, 'never.csv')
    const err = await run(
      process.execPath,
      [cliBin, '--stores', p['s2.csv']!, '--scores', p['bad.csv']!, '--out', out],
      { cwd: ROOT },
    ).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    )
    expect(err?.code).toBe(1)
    const lines = err!.stderr.split('\n')
    expect(lines).toContain(`${p['bad.csv']}:10: [code] Unknown store code XX9`)
    expect(lines).toContain(`${p['bad.csv']}:11: Duplicate row (same as row 2)`)
    expect(lines).toContain(`${p['bad.csv']}:12: [score] Score 106 is outside 0..100`)
    expect(await readdir(dir)).not.toContain('never.csv')
  }, 60_000)
})

describe('rankings CLI (real command): encodings and output', () => {
  it('reads GB18030 four-byte characters in a GBK stores file, as the browser does', async () => {
    // 𠀀 (U+20000) is four bytes in GB18030; Node's ICU "gbk" decoder refuses it.
    const name = '𠀀㐀营业厅'
    const p = await files({
      'gb-s.csv': iconv.encode(STORES.replace('天河营业厅', name), 'gb18030'),
      'gb-sc.csv': SCORES,
    })
    const out = join(dir, 'gb-out.csv')
    await run(
      process.execPath,
      [
        cliBin,
        '--stores',
        p['gb-s.csv']!,
        '--scores',
        p['gb-sc.csv']!,
        '--period',
        '2026-Q4',
        '--out',
        out,
      ],
      { cwd: ROOT },
    )
    const rows = table(await readFile(out, 'utf8'))
    expect(rows.find((r) => r.code === 'GZ1')!.name).toBe(name)
  }, 60_000)

  it('an unwritable --out (a folder, a missing folder) is one line and exit 1 from the real command', async () => {
    const p = await files({ 'u-s.csv': STORES, 'u-sc.csv': SCORES })
    for (const [out, code] of [
      [dir, 'EISDIR'],
      [join(dir, 'missing', 'r.csv'), 'ENOENT'],
    ] as const) {
      const err = await run(
        process.execPath,
        [
          cliBin,
          '--stores',
          p['u-s.csv']!,
          '--scores',
          p['u-sc.csv']!,
          '--period',
          '2026-Q4',
          '--out',
          out,
        ],
        { cwd: ROOT },
      ).then(
        () => null,
        (e: { code: number; stderr: string }) => e,
      )
      expect(err?.code).toBe(1)
      expect(err!.stderr.trim().split('\n')).toEqual([
        `${out}: cannot write (${code})`,
        'rankings: nothing written',
      ])
      expect(err!.stderr).not.toMatch(/\bat .*:\d+:\d+\)?$/m)
    }
  }, 60_000)
})

describe('rankings CLI (real command) and a spreadsheet bomb', () => {
  /** Runs the compiled CLI on a stores file; its exit code, stderr and peak memory (MB). */
  async function runOn(name: string, bytes: Uint8Array) {
    const p = await files({ [name]: bytes, 'ok.csv': SCORES })
    // Peak memory of the child, read from inside it as it exits. VmHWM, not getrusage's maxRSS:
    // on Linux that keeps the high-water mark of the forked test worker across exec.
    const hook = join(dir, 'maxrss.cjs')
    await writeFile(
      hook,
      "process.on('exit', () => process.stderr.write('MAXRSS_KB=' + /VmHWM:\\s*(\\d+)/.exec(require('fs').readFileSync('/proc/self/status', 'utf8'))[1] + '\\n'))",
    )
    const out = join(dir, `${name}-out.csv`)
    const err = await run(
      process.execPath,
      ['--require', hook, cliBin, '--stores', p[name]!, '--scores', p['ok.csv']!, '--out', out],
      { cwd: ROOT },
    ).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    )
    const kb = Number(/MAXRSS_KB=(\d+)/.exec(err?.stderr ?? '')?.[1])
    return { path: p[name]!, code: err?.code, stderr: err?.stderr ?? '', mb: kb / 1024, out }
  }

  it('refuses a 100 MB sheet hidden in a small XLSX without inflating it', async () => {
    const bomb = await xlsxBomb(2_000_000) // ~104 MB of sheet XML
    expect(bomb.length).toBeLessThan(1024 * 1024)
    const r = await runOn('bomb.xlsx', bomb)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(
      `${r.path}: The workbook looks like a zip bomb (xl/worksheets/sheet1.xml: > 200:1) and was not read`,
    )
    expect(r.mb).toBeGreaterThan(0)
    expect(r.mb).toBeLessThan(200) // inflated, the sheet alone would be 104 MB, parsed >1 GB
    expect(await readdir(dir)).not.toContain('bomb.xlsx-out.csv')
  }, 60_000)

  it('a 1 GB sheet in a ~3 MB file, its headers honest or claiming 900 KB: refused, peak memory bounded', async () => {
    const GB = 1024 ** 3
    const honest = await xlsxGigaBomb(GB)
    const liar = await xlsxGigaBomb(GB, { declared: 900_000 })
    for (const [name, bytes, message] of [
      [
        'giga.xlsx',
        honest.bytes,
        /The workbook inflates too far \(xl\/worksheets\/sheet1\.xml: 1024 MB; the limit is 960 MB\)/,
      ],
      [
        'giga-liar.xlsx',
        liar.bytes,
        /The workbook inflates too far \(xl\/worksheets\/sheet1\.xml: 0\.9 MB; the limit is 0\.9 MB\)/,
      ],
    ] as const) {
      const r = await runOn(name, bytes)
      expect(r.code, name).toBe(1)
      expect(r.stderr, name).toMatch(message)
      expect(r.mb, name).toBeGreaterThan(0)
      // The CLI peaked at 2.15 GiB; inflated in 1 MB pushes, the liar took ~760 MB (io-xlsx-bombs).
      expect(r.mb, name).toBeLessThan(200)
    }
  }, 120_000)
})

describe('rankings CLI (in-process)', () => {
  it('reads GBK input with Chinese headers', async () => {
    const zhStores = STORES.replace(
      'code,name,province,city,level,type',
      '营业厅编码,营业厅名称,省份,地市,等级,类型',
    ).replace('4,self', '四级,自营厅')
    const zhScores = SCORES.replace(
      'code,period,score,reviewer',
      '编码,考核期,得分,评价方',
    ).replace(/,province$/m, ',省公司')
    const p = await files({
      'gbk-s.csv': iconv.encode(zhStores, 'gbk'),
      'gbk-sc.csv': iconv.encode(zhScores, 'gbk'),
    })
    const out = join(dir, 'gbk-out.csv')
    const r = await cli([
      '--stores',
      p['gbk-s.csv']!,
      '--scores',
      p['gbk-sc.csv']!,
      '--period',
      '2026-Q4',
      '--out',
      out,
    ])
    expect(r.err).toEqual([])
    expect(r.code).toBe(0)
    const rows = table(await readFile(out, 'utf8'))
    expect(rows.find((x) => x.code === 'GZ1')).toMatchObject({
      name: '天河营业厅',
      reviewer: 'province',
    })
    expect(rows.find((x) => x.code === 'GZ4')).toMatchObject({
      level: '4',
      certified_grade: 'ungraded',
    })
  })

  it('writes Chinese headers with --lang zh and a BOM with --bom', async () => {
    const p = await files({ 'a.csv': STORES, 'b.csv': SCORES })
    const out = join(dir, 'zh.csv')
    expect(
      (
        await cli([
          '--stores',
          p['a.csv']!,
          '--scores',
          p['b.csv']!,
          '--period',
          '2026-Q4',
          '--lang',
          'zh',
          '--bom',
          '--out',
          out,
        ])
      ).code,
    ).toBe(0)
    const bytes = await readFile(out)
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(bytes.toString('utf8').slice(1).startsWith('营业厅编码,营业厅名称')).toBe(true)
  })

  it.each([
    [
      'unknown level',
      { stores: STORES.replace('GZ3,番禺营业厅,广东,广州,3', 'GZ3,番禺营业厅,广东,广州,7') },
      /s\.csv:4: \[level\] Unknown level "7"/,
    ],
    [
      'duplicate store row',
      { stores: `${STORES}\nGZ1,again,广东,广州,1,self` },
      /s\.csv:9: \[code\] Duplicate code GZ1 \(already on row 2\)/,
    ],
    [
      'negative score',
      { scores: SCORES.replace('96.5', '-1') },
      /sc\.csv:2: \[score\] Score -1 is outside 0\.\.100/,
    ],
    [
      'score with three decimals',
      { scores: SCORES.replace('96.5', '96.555') },
      /sc\.csv:2: \[score\] Score "96\.555" is not a number/,
    ],
    [
      'unknown reviewer',
      { scores: SCORES.replace(',province', ',boss') },
      /sc\.csv:2: \[reviewer\] Unknown reviewer "boss"/,
    ],
    [
      'several periods without --period',
      { scores: SCORES, noPeriod: true },
      // The line of the first row in another period.
      /sc\.csv:9: \[period\] The file has several periods \(2026-Q3, 2026-Q4\)/,
    ],
    [
      'missing column',
      { scores: SCORES.replace('score', 'points') },
      /sc\.csv:1: Required column "score" is missing/,
    ],
    [
      'binary scores file',
      { scores: new Uint8Array([0, 1, 2, 3, 255]) },
      // The line of the first NUL byte.
      /sc\.csv:1: Unreadable text encoding/,
    ],
  ])('%s → exit 1, message with file and line, nothing written', async (_name, bad, pattern) => {
    const c = bad as { stores?: string; scores?: string | Uint8Array; noPeriod?: boolean }
    const tag = Math.random().toString(36).slice(2)
    const p = await files({
      [`${tag}s.csv`]: c.stores ?? STORES,
      [`${tag}sc.csv`]: c.scores ?? SCORES,
    })
    const out = join(dir, `${tag}-out.csv`)
    const argv = ['--stores', p[`${tag}s.csv`]!, '--scores', p[`${tag}sc.csv`]!, '--out', out]
    if (!c.noPeriod) argv.push('--period', '2026-Q4')
    const r = await cli(argv)
    expect(r.code).toBe(1)
    expect(r.err.join('\n')).toMatch(pattern)
    expect(r.err.at(-1)).toBe('rankings: nothing written')
    expect((await readdir(dir)).filter((f) => f.includes(`${tag}-out`))).toEqual([])
  })

  // Policy 1.1.0 caps final scores at 100, so --max-score follows the policy: it defaults to the
  // cap and may not exceed it; only a policy with the cap off accepts 108 (before, 105 was the
  // default whatever the policy).
  it('--max-score follows the policy score cap', async () => {
    const p = await files({
      'm-s.csv': STORES,
      'm-sc.csv': SCORES.replace('96.5', '108'),
      'm-100.csv': SCORES.replace('96.5', '100'),
      'nocap.yaml': (await readFile(join(ROOT, 'rubrics/policy.default.yaml'), 'utf8')).replace(
        /^scoreCap: 100$/m,
        'scoreCap: null',
      ),
    })
    const out = join(dir, 'm-out.csv')
    const base = ['--stores', p['m-s.csv']!, '--period', '2026-Q4', '--out', out]
    const over = await cli([...base, '--scores', p['m-sc.csv']!])
    expect(over.code).toBe(1)
    expect(over.err.join('\n')).toMatch(/108/)
    expect((await cli([...base, '--scores', p['m-100.csv']!])).code).toBe(0)
    const above = await cli([...base, '--scores', p['m-sc.csv']!, '--max-score', '110'])
    expect(above.code).toBe(2)
    expect(above.err[0]).toMatch(/above the policy's scoreCap 100/)
    const noCap = ['--policy', p['nocap.yaml']!, '--scores', p['m-sc.csv']!]
    expect((await cli([...base, ...noCap])).code).toBe(1) // 105 without a cap
    expect((await cli([...base, ...noCap, '--max-score', '110'])).code).toBe(0)
  })

  it('uses a policy file and reports policy errors by path', async () => {
    const p = await files({
      'p-s.csv': STORES,
      'p-sc.csv': SCORES,
      'ok.yaml': (await readFile(join(ROOT, 'rubrics/policy.default.yaml'), 'utf8')).replace(
        /levels: \[1, 2, 3\]/,
        'levels: [1, 2, 3, 4]',
      ),
      'bad.yaml': 'kind: policy\nid: x\nversion: 1\n',
    })
    const out = join(dir, 'p-out.csv')
    const bad = await cli([
      '--stores',
      p['p-s.csv']!,
      '--scores',
      p['p-sc.csv']!,
      '--policy',
      p['bad.yaml']!,
      '--period',
      '2026-Q4',
      '--out',
      out,
    ])
    expect(bad.code).toBe(1)
    expect(bad.err.some((l) => l.startsWith(`${p['bad.yaml']}: version:`))).toBe(true)
    const ok = await cli([
      '--stores',
      p['p-s.csv']!,
      '--scores',
      p['p-sc.csv']!,
      '--policy',
      p['ok.yaml']!,
      '--period',
      '2026-Q4',
      '--out',
      out,
    ])
    expect(ok.err).toEqual([])
    // With level 4 graded by the policy, GZ4 is ranked.
    expect(table(await readFile(out, 'utf8')).find((x) => x.code === 'GZ4')!.rank_city).not.toBe('')
  })

  it('an unwritable --out is one plain line, exit 1, no stack trace', async () => {
    const p = await files({ 'w-s.csv': STORES, 'w-sc.csv': SCORES })
    const out = join(dir, 'no-such-folder', 'ranking.csv')
    const r = await cli([
      '--stores',
      p['w-s.csv']!,
      '--scores',
      p['w-sc.csv']!,
      '--period',
      '2026-Q4',
      '--out',
      out,
    ])
    expect(r.code).toBe(1)
    expect(r.err).toEqual([`${out}: cannot write (ENOENT)`, 'rankings: nothing written'])
  })

  it('usage errors exit 2', async () => {
    expect((await cli(['--stores', 'a.csv'])).code).toBe(2)
    expect(
      (await cli(['--stores', 'a', '--scores', 'b', '--out', 'c', '--period', 'Q4'])).code,
    ).toBe(2)
    expect((await cli(['--bogus'])).code).toBe(2)
  })
})

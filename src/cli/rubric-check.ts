/**
 * `npm run rubric:check [files...]`: validates rubric, rubric-variant and policy files.
 * Without arguments it checks every *.yaml, *.yml and *.json file in rubrics/.
 * Prints `OK file (id@version, N items)` or one line per error, `file:line path: message`,
 * and exits 1 if any file has an error (CI runs it on every file in rubrics/).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { basename, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildRegistry, type FileReport, type SourceFile } from '../io/rubric-file'

const RUBRIC_DIR = fileURLToPath(new URL('../../rubrics/', import.meta.url))
const EXTENSIONS = /\.(ya?ml|json)$/i

function listRubricDir(): string[] {
  return readdirSync(RUBRIC_DIR)
    .filter((f) => EXTENSIONS.test(f))
    .sort()
    .map((f) => join(RUBRIC_DIR, f))
}

function read(path: string): SourceFile {
  return { name: path, text: readFileSync(path, 'utf8') }
}

/** Rubrics and variants live in `<id>@<version>.yaml`, so a file can be found from what an evaluation recorded. */
function fileNameProblem(report: FileReport): string | undefined {
  if (!report.key || (report.kind !== 'rubric' && report.kind !== 'rubric-variant'))
    return undefined
  const name = basename(report.name).replace(EXTENSIONS, '')
  return name === report.key
    ? undefined
    : `the file should be named ${report.key}.yaml (after its id and version)`
}

function main(argv: string[]): number {
  const paths = argv.length > 0 ? argv.map((a) => resolve(a)) : listRubricDir()
  if (paths.length === 0) {
    console.error('rubric:check: no rubric files found')
    return 1
  }
  let files: SourceFile[]
  try {
    files = paths.map(read)
  } catch (e) {
    console.error(`rubric:check: ${(e as Error).message}`)
    return 1
  }
  // Variants given on the command line still need their base from rubrics/.
  const bases = listRubricDir()
    .filter((p) => !paths.includes(p))
    .map(read)
  const { reports } = buildRegistry(files, bases, { itemSums: true })

  let failed = 0
  for (const report of reports) {
    const shown = relative(process.cwd(), report.name) || report.name
    const nameProblem = fileNameProblem(report)
    if (nameProblem) report.errors.push({ path: 'id', message: nameProblem })
    if (report.errors.length === 0) {
      console.log(`OK ${shown} (${report.key ?? report.kind}, ${report.summary ?? ''})`)
      continue
    }
    failed += 1
    for (const e of report.errors) {
      // Syntax errors have no path, so their column is shown to find the spot.
      const col = e.path === '' && e.column !== undefined ? `:${e.column}` : ''
      const where = e.line !== undefined ? `${shown}:${e.line}${col}` : shown
      console.log(`${where} ${e.path ? `${e.path}: ` : ''}${e.message}`)
    }
  }
  if (failed > 0) console.log(`\n${failed} of ${reports.length} file(s) have errors`)
  return failed > 0 ? 1 : 0
}

process.exitCode = main(process.argv.slice(2))

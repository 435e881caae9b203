/**
 * Reading rubric files (YAML or JSON text) for the app, the bundle importer and
 * `npm run rubric:check`. No file system here: callers pass the text in.
 *
 * Both YAML and JSON go through the `yaml` parser (JSON is valid YAML), so every error can be
 * mapped back to the line it comes from.
 */
import { isNode, LineCounter, parseDocument, type Document } from 'yaml'
import type { Policy } from '../domain/policy'
import { parsePolicy } from '../domain/policy-schema'
import type { Rubric } from '../domain/rubric-schema'
import {
  countItems,
  itemSumErrors,
  parsePath,
  validateRubric,
  type PathSegment,
} from '../domain/rubric-validate'
import { RubricRegistry } from '../domain/rubric-registry'
import { addVariant, validateVariant, type RubricVariant } from '../domain/rubric-variant'

export interface FileError {
  /** Path inside the document, e.g. `sections[2].items[4].max`; empty for syntax errors. */
  path: string
  message: string
  /** 1-based, where the error could be placed in the text. */
  line?: number
  column?: number
}

export type ParsedFile =
  | { ok: true; kind: 'rubric'; rubric: Rubric }
  | { ok: true; kind: 'rubric-variant'; variant: RubricVariant }
  | { ok: true; kind: 'policy'; policy: Policy }
  | { ok: false; kind?: string; errors: FileError[] }

export interface LoadedText {
  /** The plain data, or undefined when the text has syntax errors. */
  data: unknown
  syntaxErrors: FileError[]
  /** Line and column of the value at a path (or of its nearest parent that exists). */
  locate: (path: string) => { line: number; column: number } | undefined
}

export function loadText(text: string): LoadedText {
  const lineCounter = new LineCounter()
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true })
  const syntaxErrors: FileError[] = doc.errors.map((e) => {
    const pos = e.linePos?.[0]
    // The yaml library appends a code excerpt after the first line; the position is enough.
    const first = e.message.split('\n')[0] ?? e.message
    // The parser reports its own stack overflow (deeply nested flow collections) as an error.
    const err: FileError = {
      path: '',
      message: /maximum call stack/i.test(first)
        ? 'YAML nested too deeply to read'
        : `YAML syntax error: ${first.replace(/ at line \d+, column \d+:?$/, '')}`,
    }
    if (pos) {
      err.line = pos.line
      err.column = pos.col
    }
    return err
  })
  const locate = (path: string) => {
    const segments: PathSegment[] = parsePath(path)
    // Fall back to the document start only for a top-level field (e.g. a missing `id`); a deep
    // path that is not in this file at all (a variant's resolved result) gets no line.
    const lowest = segments.length <= 1 ? 0 : 1
    for (let n = segments.length; n >= lowest; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(segments.slice(0, n), true)
      if (isNode(node) && node.range) {
        const pos = lineCounter.linePos(node.range[0])
        return { line: pos.line, column: pos.col }
      }
    }
    return undefined
  }
  if (syntaxErrors.length > 0) return { data: undefined, syntaxErrors, locate }
  try {
    // Aliases are expanded here. The limit is the yaml library's default, set explicitly so a
    // "billion laughs" file (aliases of aliases) stays refused if the default ever changes.
    return { data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), syntaxErrors, locate }
  } catch (e) {
    return { data: undefined, syntaxErrors: [conversionError(e)], locate }
  }
}

/** Alias expansions allowed per document (yaml's default): far above any real rubric's use. */
export const MAX_ALIAS_COUNT = 100

/** toJS throws on alias abuse, unresolved aliases, and stack overflow on extreme nesting. */
function conversionError(e: unknown): FileError {
  const message = e instanceof Error ? e.message : String(e)
  if (/excessive alias count/i.test(message))
    return {
      path: '',
      message: `YAML aliases expand too much (over ${MAX_ALIAS_COUNT} expansions): refused as a possible "billion laughs" file`,
    }
  if (/unresolved alias/i.test(message))
    return { path: '', message: `YAML syntax error: ${message.split('\n')[0] ?? message}` }
  if (e instanceof RangeError) return { path: '', message: 'YAML nested too deeply to read' }
  return { path: '', message: `YAML could not be read: ${message.split('\n')[0] ?? message}` }
}

function withLines(
  errors: { path: string; message: string }[],
  locate: LoadedText['locate'],
): FileError[] {
  return errors.map((e) => {
    const pos = locate(e.path)
    return pos ? { ...e, line: pos.line, column: pos.column } : { ...e }
  })
}

/**
 * The largest rubric file read, in characters. The biggest shipped rubric is under 60 K; the YAML
 * parser is linear but slow on dense input (about 4 µs a character on a loaded 2-core machine),
 * so a megabyte of `[1,1,1,…]` would block the page for seconds before any check could refuse it.
 */
export const MAX_RUBRIC_CHARS = 256 * 1024

/** Parses and validates one file, dispatching on its `kind`. */
export function parseRubricText(text: string): ParsedFile {
  if (text.length > MAX_RUBRIC_CHARS)
    return {
      ok: false,
      errors: [
        {
          path: '',
          message: `file too large: ${Math.ceil(text.length / 1024)} K characters (a rubric file has at most ${MAX_RUBRIC_CHARS / 1024} K)`,
        },
      ],
    }
  const loaded = loadText(text)
  if (loaded.syntaxErrors.length > 0) return { ok: false, errors: loaded.syntaxErrors }
  const data = loaded.data
  const kind = typeof data === 'object' && data !== null && 'kind' in data ? data.kind : undefined
  switch (kind) {
    case 'rubric': {
      const r = validateRubric(data)
      return r.ok
        ? { ok: true, kind, rubric: r.rubric }
        : { ok: false, kind, errors: withLines(r.errors, loaded.locate) }
    }
    case 'rubric-variant': {
      const r = validateVariant(data)
      return r.ok
        ? { ok: true, kind, variant: r.variant }
        : { ok: false, kind, errors: withLines(r.errors, loaded.locate) }
    }
    case 'policy': {
      const r = parsePolicy(data)
      return r.ok
        ? { ok: true, kind, policy: r.policy }
        : { ok: false, kind, errors: withLines(r.issues, loaded.locate) }
    }
    default:
      return {
        ok: false,
        errors: withLines(
          [
            {
              path: 'kind',
              message:
                'must be one of: rubric, rubric-variant, policy (it says what the file holds)',
            },
          ],
          loaded.locate,
        ),
      }
  }
}

export interface SourceFile {
  name: string
  text: string
}

export interface FileReport {
  name: string
  ok: boolean
  kind?: string
  /** `id@version` of a rubric or variant. */
  key?: string
  summary?: string
  errors: FileError[]
}

/**
 * Reads a set of files into a registry: rubrics first, then variants (resolved against the
 * rubrics read here). Returns one report per file, in the order given; `baseFiles` are extra
 * files read only so variants can find their base (they get no report).
 */
export function buildRegistry(
  files: SourceFile[],
  baseFiles: SourceFile[] = [],
  options: { itemSums?: boolean } = {},
): { registry: RubricRegistry; reports: FileReport[]; policies: Policy[] } {
  // rubric:check only: item maxima must add up to their section weight (README). Published
  // versions cannot change, so those shipped before the rule are exempt by name.
  const sumErrors = (rubric: Rubric, text: string): FileError[] =>
    options.itemSums && !ITEM_SUM_EXEMPT.has(`${rubric.id}@${rubric.version}`)
      ? withLines(itemSumErrors(rubric), loadText(text).locate)
      : []
  const registry = new RubricRegistry()
  const policies: Policy[] = []
  const reported = new Set(files.map((f) => f.name))
  const all = [...files, ...baseFiles.filter((f) => !reported.has(f.name))]
  const parsed = all.map((f) => ({ file: f, result: parseRubricText(f.text) }))
  const reports = new Map<string, FileReport>()

  for (const { file, result } of parsed) {
    const report: FileReport = {
      name: file.name,
      ok: result.ok,
      errors: result.ok ? [] : result.errors,
    }
    if (result.kind) report.kind = result.kind
    if (result.ok && result.kind === 'rubric') {
      report.key = `${result.rubric.id}@${result.rubric.version}`
      const n = countItems(result.rubric)
      report.summary = `${n.items + n.bonus + n.deductions} items`
      const sums = sumErrors(result.rubric, file.text)
      if (sums.length > 0) {
        report.ok = false
        report.errors.push(...sums)
      }
      try {
        registry.add(result.rubric)
      } catch (e) {
        report.ok = false
        report.errors.push({ path: 'version', message: (e as Error).message })
      }
    }
    if (result.ok && result.kind === 'policy') {
      policies.push(result.policy)
      report.key = `${result.policy.id}@${result.policy.version}`
      report.summary = 'policy'
    }
    reports.set(file.name, report)
  }

  for (const { file, result } of parsed) {
    if (!(result.ok && result.kind === 'rubric-variant')) continue
    const report = reports.get(file.name) as FileReport
    const v = result.variant
    report.key = `${v.id}@${v.version}`
    const resolved = addVariant(registry, v)
    if (resolved.ok) {
      const n = countItems(resolved.rubric)
      report.summary = `variant of ${v.extends.id}@${v.extends.version}, ${n.items + n.bonus + n.deductions} items`
      const sums = sumErrors(resolved.rubric, file.text).map((e) => ({
        ...e,
        message: `after applying the variant: ${e.message}`,
      }))
      if (sums.length > 0) {
        report.ok = false
        report.errors.push(...sums)
      }
    } else {
      report.ok = false
      report.errors.push(...withLines(resolved.errors, loadText(file.text).locate))
    }
  }

  return { registry, reports: files.map((f) => reports.get(f.name) as FileReport), policies }
}

/**
 * Published before rubric:check required item maxima to add up to the section weight, and a
 * published id@version never changes (stored evaluations and bundles carry it): the Jiangsu
 * variant 1.0.0 re-weighted three sections without its items. 1.1.0 fixes it.
 */
export const ITEM_SUM_EXEMPT: ReadonlySet<string> = new Set(['ct-store-service-js@1.0.0'])

/** `ct-store-service@1.0.0.yaml` for a rubric or variant with that id and version. */
export function expectedFileName(key: string, ext = 'yaml'): string {
  return `${key}.${ext}`
}

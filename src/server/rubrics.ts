/**
 * The rubrics and the policy the server scores with: the files in rubrics/ plus those an admin
 * uploaded (records of kind `rubric` / `policy`, validated in full by src/domain before they are
 * stored). The registry is rebuilt only when the uploads change (checked by their latest version
 * in the database), so every server process sees the same set.
 */
import { readdir, readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { DEFAULT_POLICY, type Policy } from '../domain/policy'
import { policyInForce } from '../domain/policy-in-force'
import type { RubricRegistry } from '../domain/rubric-registry'
import { buildRegistry, parseRubricText, type SourceFile } from '../io/rubric-file'
import type { Sql } from './db'

export const RUBRICS_DIR = fileURLToPath(new URL('../../rubrics/', import.meta.url))

export interface RubricSet {
  registry: RubricRegistry
  /** The group policy: the latest uploaded for `group`, else rubrics/policy.default.yaml. */
  policy: Policy
  /** A province's policy: the latest validated upload for `group/<province>`, else the group's. */
  policyFor(province: string): Policy
  /** Province-variant provinces, by rubric key (from the registry entries). */
}

export async function readRubricDir(dir = RUBRICS_DIR): Promise<SourceFile[]> {
  const names = (await readdir(dir)).filter((f) => /\.(ya?ml|json)$/.test(f)).sort()
  return Promise.all(
    names.map(async (n) => ({ name: `rubrics/${n}`, text: await readFile(`${dir}/${n}`, 'utf8') })),
  )
}

export class Rubrics {
  private cache: { stamp: string; set: RubricSet } | null = null

  constructor(private readonly files: SourceFile[]) {}

  static async fromDir(dir?: string): Promise<Rubrics> {
    return new Rubrics(await readRubricDir(dir))
  }

  /** Builds the set from shipped files and uploaded texts, refusing nothing silently. */
  build(uploads: { name: string; text: string; unit: string }[]): RubricSet {
    const { registry, reports } = buildRegistry([...this.files, ...uploads])
    const bad = reports.filter((r) => !r.ok)
    if (bad.length > 0)
      throw new Error(
        `rubric files do not validate: ${bad.map((r) => `${r.name}: ${r.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`).join(' | ')}`,
      )
    const published = uploads.flatMap((u) => {
      const p = parseRubricText(u.text)
      return p.ok && p.kind === 'policy' ? [{ unit: u.unit, policy: p.policy }] : []
    })
    // The shipped policy file, never a province's upload (that one is for its province only).
    const shipped = this.files
      .map((f) => parseRubricText(f.text))
      .flatMap((p) => (p.ok && p.kind === 'policy' ? [p.policy] : []))
    const base = shipped.at(-1) ?? DEFAULT_POLICY
    // Uploads come in version order, so the last one for a unit wins.
    const policy = policyInForce(published, null, base)
    return { registry, policy, policyFor: (province) => policyInForce(published, province, base) }
  }

  async current(sql: Sql): Promise<RubricSet> {
    const [s] = await sql.query<{ stamp: string | null }>(
      `SELECT coalesce(max(version), 0)::text || ':' || count(*)::text AS stamp
         FROM records WHERE kind IN ('rubric', 'policy') AND NOT deleted`,
    )
    const stamp = s?.stamp ?? '0:0'
    if (this.cache?.stamp === stamp) return this.cache.set
    const rows = await sql.query<{ id: string; unit: string; data: { text: string } }>(
      `SELECT id, unit, data FROM records WHERE kind IN ('rubric', 'policy') AND NOT deleted
        ORDER BY version`,
    )
    const set = this.build(
      rows.map((r) => ({ name: `upload:${r.id}`, text: r.data.text, unit: r.unit })),
    )
    this.cache = { stamp, set }
    return set
  }
}

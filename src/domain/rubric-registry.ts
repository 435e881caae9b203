/**
 * Many rubrics side by side: the group rubrics, provincial variants, and every version of each.
 *
 * An evaluation records the id and version of the rubric it was scored with and is always
 * re-scored with exactly that version (get), so publishing a new version never changes an old
 * score. New evaluations use the latest version that applies to the store (pick).
 */
import type { Rubric } from './rubric-schema'
import type { Store } from './types'

export interface RubricEntry {
  rubric: Rubric
  /** Set for a resolved provincial variant: the base it extends. */
  extends?: { id: string; version: string }
  /** Provinces a variant applies to (normalised names). Group rubrics have none. */
  provinces?: string[]
}

export type RubricPurpose = 'evaluation' | 'daily-check'

export function rubricKey(id: string, version: string): string {
  return `${id}@${version}`
}

/** Numeric comparison of `major.minor.patch` (so 1.10.0 is newer than 1.9.0). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

/**
 * "江苏省", "江苏" and " 江苏 " name the same province; store lists and rubric files are written
 * by different people.
 */
export function normaliseProvince(name: string): string {
  return name.trim().replace(/(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$/u, '')
}

export class RubricRegistry {
  private readonly entries = new Map<string, RubricEntry>()

  /**
   * Adds a rubric. A published id@version is immutable: adding the same one again with different
   * content throws (it would silently change old scores); adding identical content is a no-op.
   */
  add(rubric: Rubric, meta: Omit<RubricEntry, 'rubric'> = {}): RubricEntry {
    const key = rubricKey(rubric.id, rubric.version)
    const existing = this.entries.get(key)
    const entry: RubricEntry = { rubric, ...meta }
    if (meta.provinces) entry.provinces = meta.provinces.map(normaliseProvince)
    if (existing) {
      if (JSON.stringify(existing) !== JSON.stringify(entry)) {
        throw new Error(
          `${key} is already registered with different content; publish a new version instead`,
        )
      }
      return existing
    }
    this.entries.set(key, entry)
    return entry
  }

  get(id: string, version: string): Rubric | undefined {
    return this.entries.get(rubricKey(id, version))?.rubric
  }

  entry(id: string, version: string): RubricEntry | undefined {
    return this.entries.get(rubricKey(id, version))
  }

  /** Versions of one rubric, oldest first. */
  versions(id: string): string[] {
    return [...this.entries.values()]
      .filter((e) => e.rubric.id === id)
      .map((e) => e.rubric.version)
      .sort(compareVersions)
  }

  latest(id: string): RubricEntry | undefined {
    const v = this.versions(id).at(-1)
    return v === undefined ? undefined : this.entries.get(rubricKey(id, v))
  }

  /** The latest version of every rubric id, in id order. */
  latestAll(): RubricEntry[] {
    const ids = [...new Set([...this.entries.values()].map((e) => e.rubric.id))].sort()
    return ids.map((id) => this.latest(id)).filter((e): e is RubricEntry => e !== undefined)
  }

  all(): RubricEntry[] {
    return [...this.entries.values()]
  }
}

export interface PickOptions {
  /** Default `evaluation`. */
  purpose?: RubricPurpose
  /** An explicit rubric (e.g. the one an evaluation recorded); with `version`, that exact version. */
  id?: string
  version?: string
}

export type PickReason = 'explicit' | 'province-variant' | 'group'

export type PickResult =
  | { ok: true; entry: RubricEntry; reason: PickReason }
  | { ok: false; reason: 'not-found' | 'no-match' | 'ambiguous'; candidates: RubricEntry[] }

function appliesToStore(entry: RubricEntry, store: Pick<Store, 'level' | 'type'>): boolean {
  const a = entry.rubric.appliesTo
  return a.levels.includes(store.level) && a.types.includes(store.type)
}

/**
 * Chooses the rubric a store is scored with, and says why.
 * 1. An explicit id (and version) wins: old evaluations are re-scored with the exact version
 *    they recorded.
 * 2. Otherwise only the latest version of each rubric is considered, of the wanted purpose,
 *    whose levels and types include the store's.
 * 3. A provincial variant for the store's province beats the group rubrics. A variant that
 *    names no province is never picked automatically.
 * 4. A scored rubric beats an unscored checklist (the basic checklist covers every level and
 *    type, but levels 1–3 of self-operated stores are graded with the full rubric).
 * 5. Anything still tied is reported as ambiguous rather than guessed.
 */
export function pick(
  registry: RubricRegistry,
  store: Pick<Store, 'level' | 'type' | 'province'>,
  options: PickOptions = {},
): PickResult {
  if (options.id !== undefined) {
    const entry =
      options.version !== undefined
        ? registry.entry(options.id, options.version)
        : registry.latest(options.id)
    return entry
      ? { ok: true, entry, reason: 'explicit' }
      : { ok: false, reason: 'not-found', candidates: [] }
  }
  const purpose = options.purpose ?? 'evaluation'
  const province = normaliseProvince(store.province)
  const fitting = registry
    .latestAll()
    .filter((e) => (e.rubric.purpose ?? 'evaluation') === purpose && appliesToStore(e, store))

  const variants = fitting.filter((e) => e.provinces?.includes(province))
  const group = fitting.filter((e) => e.provinces === undefined && e.extends === undefined)
  let candidates = variants.length > 0 ? variants : group
  const reason: PickReason = variants.length > 0 ? 'province-variant' : 'group'
  if (candidates.length > 1) {
    const scored = candidates.filter((e) => e.rubric.scored)
    if (scored.length > 0) candidates = scored
  }
  if (candidates.length === 1 && candidates[0]) return { ok: true, entry: candidates[0], reason }
  return { ok: false, reason: candidates.length === 0 ? 'no-match' : 'ambiguous', candidates }
}

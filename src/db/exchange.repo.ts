/**
 * Export and import of exchange bundles against this device's database: one repository over
 * the parts in ./exchange/ (export, plan, apply, trust, rubrics).
 *
 * Import is two steps: preview (what would be added, updated, left alone, and what conflicts)
 * and apply, which writes everything in ONE transaction (exchange/apply.ts).
 */
import { readBundle, type ByteSource, type ChunkSink, type DeviceKey } from '@/io/bundle'
import type { Manifest, OpenBundle, ReadOptions, ReadResult } from '@/io/bundle'
import { choiceKey, type Choice } from '@/domain/merge'
import type { AppDatabase } from './rows'
import { systemClock, type Clock } from './util'
import { applyBundle, type ImportResult } from './exchange/apply'
import { createExportRepo, type ExportSelection } from './exchange/export'
import { planAll, previewOf, type ImportPreview } from './exchange/plan'
import { createRubricsRepo, type RubricLookup } from './exchange/rubrics'
import { createTrustRepo, UntrustedBundleError } from './exchange/trust'

export type { ExportSelection } from './exchange/export'
export type { ImportPreview } from './exchange/plan'
export type { ImportResult } from './exchange/apply'
export type { RubricLookup } from './exchange/rubrics'
export type { SignerTrust, TrustProblem } from './exchange/trust'
export { UntrustedBundleError } from './exchange/trust'

export function createExchangeRepo(db: AppDatabase, clock: Clock = systemClock) {
  const rubrics = createRubricsRepo(db)
  const trust = createTrustRepo(db)
  const out = createExportRepo(db, clock)

  return {
    importedRubrics: rubrics.importedRubrics,
    rubricLookup: rubrics.rubricLookup,
    deviceKey: trust.deviceKey,
    exported: out.exported,
    receivers: out.receivers,

    /**
     * Writes the bundle to `sink` and records which evaluations it carried (for the backup
     * reminder's "unsent" count).
     */
    async exportBundle(
      sel: ExportSelection,
      shipped: RubricLookup,
      sink: ChunkSink,
      who: { evaluator?: string; app?: string; key?: DeviceKey } = {},
    ): Promise<Manifest> {
      return out.exportBundle(sel, await rubrics.rubricLookup(shipped), sink, who)
    },

    /** Validates a bundle file against what this device knows (its rubrics). */
    async open(
      src: ByteSource,
      shipped: RubricLookup,
      opts: Omit<ReadOptions, 'localRubric'> = {},
    ): Promise<ReadResult> {
      return readBundle(src, {
        expectKind: 'exchange',
        ...opts,
        localRubric: await rubrics.rubricLookup(shipped),
      })
    },

    async preview(bundle: OpenBundle): Promise<ImportPreview> {
      const items = await planAll(db, bundle, (p) => p)
      const codes = new Set(
        items
          .filter((i) => i.verdict === 'conflict')
          .map((i) =>
            i.kind === 'store' ? i.incoming.code : (i.incoming as { storeCode?: string }).storeCode,
          )
          .filter((c): c is string => typeof c === 'string'),
      )
      const storeNames: Record<string, string> = {}
      for (const s of await db.stores.bulkGet([...codes])) if (s) storeNames[s.code] = s.name
      for (const s of bundle.stores) if (codes.has(s.code)) storeNames[s.code] ??= s.name
      return previewOf(bundle.manifest, items, await trust.signerOf(bundle), {
        trustProblem: await trust.problemOf(bundle),
        recomputed: bundle.recomputed,
        storeNames,
      })
    },

    /**
     * Applies the bundle. A file whose signature contradicts its sender's pinned key (unsigned
     * now, or another key) is refused unless the user deliberately accepted it
     * (`acceptTrustProblem`); accepting does not move the pin.
     */
    async apply(
      bundle: OpenBundle,
      choices: Readonly<Record<string, Choice>> = {},
      opts: { acceptTrustProblem?: boolean } = {},
    ): Promise<ImportResult> {
      const problem = await trust.problemOf(bundle)
      if (problem && !opts.acceptTrustProblem) throw new UntrustedBundleError(problem)
      return applyBundle(db, bundle, choices, () => clock().toISOString())
    },
  }
}

export { choiceKey }
export type ExchangeRepo = ReturnType<typeof createExchangeRepo>

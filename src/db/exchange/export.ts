/** Writing an exchange bundle for a selection of stores, and remembering what it carried. */
import {
  signerFor,
  writeBundle,
  type BundleContent,
  type BundleInfo,
  type ChunkSink,
  type DeviceKey,
  type Manifest,
} from '@/io/bundle'
import { exportPhotoIds, exportScope, markExported } from '@/domain/exchange-rules'
import type { Rubric } from '@/domain/rubric-schema'
import type { Store } from '@/domain/types'
import type { AppDatabase, MetaKey } from '../rows'
import { createMetaRepo } from '../meta.repo'
import { systemClock, type Clock } from '../util'
import type { RubricLookup } from './rubrics'

export const EXPORTED_KEY = 'exportedEvaluations' satisfies MetaKey

export interface ExportSelection {
  province?: string
  city?: string
  /** Explicit store codes; when given, province and city only label the bundle. */
  storeCodes?: string[]
  /** A period such as `2026-Q4`; null or absent: every period. */
  period?: string | null
}

export function createExportRepo(db: AppDatabase, clock: Clock = systemClock) {
  const meta = createMetaRepo(db)

  async function selectStores(sel: ExportSelection): Promise<Store[]> {
    if (sel.storeCodes?.length)
      return (await db.stores.bulkGet(sel.storeCodes)).filter((s): s is Store => s !== undefined)
    if (sel.province && sel.city)
      return db.stores.where('[province+city]').equals([sel.province, sel.city]).toArray()
    if (sel.province) return db.stores.where('province').equals(sel.province).toArray()
    return db.stores.toArray()
  }

  /** What an exchange bundle for this selection holds; photos are read later, one at a time. */
  async function exportContent(sel: ExportSelection, rubric: RubricLookup): Promise<BundleContent> {
    const stores = await selectStores(sel)
    const codes = stores.map((s) => s.code)
    const scope = exportScope({
      stores,
      evaluations: await db.evaluations.where('storeCode').anyOf(codes).toArray(),
      certification: await db.certification.toArray(),
      actions: await db.actions.where('storeCode').anyOf(codes).toArray(),
      period: sel.period ?? null,
    })
    const { evaluations, certification, actions } = scope
    const owned = await db.photos
      .where('evaluationId')
      .anyOf(evaluations.map((e) => e.id))
      .primaryKeys()
    const photoIds = exportPhotoIds(owned, evaluations, actions)
    const rubrics = scope.rubricKeys
      .map((k) => {
        const [id, version] = k.split('@') as [string, string]
        return rubric(id, version)
      })
      .filter((r): r is Rubric => r !== undefined)
    return {
      stores,
      rubrics,
      evaluations,
      certification,
      actions,
      photoIds,
      readPhoto: (id) => db.photos.get(id),
    }
  }

  return {
    /**
     * Writes the bundle to `sink` and records which evaluations it carried (for the backup
     * reminder's "unsent" count). `rubric` already includes the imported rubrics.
     */
    async exportBundle(
      sel: ExportSelection,
      rubric: RubricLookup,
      sink: ChunkSink,
      who: { evaluator?: string; app?: string; key?: DeviceKey } = {},
    ): Promise<Manifest> {
      const content = await exportContent(sel, rubric)
      const info: BundleInfo = {
        kind: 'exchange',
        exportedAt: clock().toISOString(),
        deviceId: await meta.deviceId(),
        ...(who.evaluator !== undefined ? { evaluator: who.evaluator } : {}),
        ...(who.app !== undefined ? { app: who.app } : {}),
        ...(who.key ? { sign: signerFor(who.key) } : {}),
        scope: {
          ...(sel.province ? { province: sel.province } : {}),
          ...(sel.city ? { city: sel.city } : {}),
          ...(sel.storeCodes?.length ? { storeCodes: sel.storeCodes } : {}),
          period: sel.period ?? null,
        },
      }
      const manifest = await writeBundle(content, info, sink)
      await db.transaction('rw', db.meta, async () => {
        const prev = (await meta.get(EXPORTED_KEY)) ?? {}
        const next = markExported(prev, content.evaluations, info.exportedAt)
        await db.meta.put({ key: EXPORTED_KEY, value: next })
      })
      return manifest
    },

    /** Export times by evaluation id. */
    async exported(): Promise<Record<string, string>> {
      return (await meta.get(EXPORTED_KEY)) ?? {}
    },
  }
}

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
import {
  changeCount,
  pickIncremental,
  receiverName,
  recordKey,
  rememberSent,
  type BundleReceivers,
} from '@/domain/incremental'
import { canonical } from '@/domain/merge'
import { rubricKey } from '@/domain/rubric-registry'
import type { Rubric } from '@/domain/rubric-schema'
import type { Store } from '@/domain/types'
import { sha256Hex } from '@/io/bundle'
import type { AppDatabase, MetaKey } from '../rows'
import { createMetaRepo } from '../meta.repo'
import { systemClock, type Clock } from '../util'
import type { RubricLookup } from './rubrics'

export const EXPORTED_KEY = 'exportedEvaluations' satisfies MetaKey
export const RECEIVERS_KEY = 'bundleReceivers' satisfies MetaKey

const encoder = new TextEncoder()

/** A record's fingerprint: the start of the SHA-256 of its canonical JSON (edit counter aside). */
async function fingerprintOf(record: object): Promise<string> {
  const rest = { ...(record as Record<string, unknown>) }
  delete rest.editSeq
  return (await sha256Hex(encoder.encode(canonical(rest)))).slice(0, 32)
}

export interface ExportSelection {
  province?: string
  city?: string
  /** Explicit store codes; when given, province and city only label the bundle. */
  storeCodes?: string[]
  /** A period such as `2026-Q4`; null or absent: every period. */
  period?: string | null
  /**
   * Who the bundle is for (a name the user gives). Remembered with what the bundle carried;
   * with it and no `since`, the bundle carries only what changed since the last one to them
   * (the first one carries everything).
   */
  receiver?: string
  /** Only what changed at or after this time (ISO 8601). */
  since?: string
  /** Everything, even with a receiver (who is still told what it was sent). */
  full?: boolean
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

  /** Every record's fingerprint, by `kind:id`. */
  async function fingerprints(recs: {
    stores: readonly Store[]
    evaluations: readonly { id: string }[]
    certification: readonly { id: string }[]
    actions: readonly { id: string }[]
  }): Promise<Map<string, string>> {
    const out = new Map<string, string>()
    for (const s of recs.stores) out.set(recordKey('store', s.code), await fingerprintOf(s))
    for (const [kind, list] of [
      ['evaluation', recs.evaluations],
      ['certification', recs.certification],
      ['action', recs.actions],
    ] as const)
      for (const r of list) out.set(recordKey(kind, r.id), await fingerprintOf(r))
    return out
  }

  /** What an exchange bundle for this selection holds; photos are read later, one at a time. */
  async function exportContent(
    sel: ExportSelection,
    rubric: RubricLookup,
  ): Promise<BundleContent & { since: string | null; carried: Map<string, string> }> {
    const all = await selectStores(sel)
    const codes = all.map((s) => s.code)
    const full = exportScope({
      stores: all,
      evaluations: await db.evaluations.where('storeCode').anyOf(codes).toArray(),
      certification: await db.certification.toArray(),
      actions: await db.actions.where('storeCode').anyOf(codes).toArray(),
      period: sel.period ?? null,
    })
    const receiver = sel.receiver ? receiverName(sel.receiver) : ''
    const memory = receiver ? ((await meta.get(RECEIVERS_KEY)) ?? {})[receiver] : undefined
    const prints = receiver ? await fingerprints({ stores: all, ...full }) : new Map()
    const pick =
      !sel.full && (sel.since !== undefined || receiver)
        ? pickIncremental(
            { stores: all, ...full },
            sel.since !== undefined ? { since: sel.since } : { receiver },
            (kind, id) => prints.get(recordKey(kind, id)) ?? '',
            memory,
          )
        : { stores: all, ...full, since: null }
    const { stores, evaluations, certification, actions } = pick
    const carriedKeys = new Set([
      ...stores.map((s) => recordKey('store', s.code)),
      ...evaluations.map((e) => recordKey('evaluation', e.id)),
      ...certification.map((c) => recordKey('certification', c.id)),
      ...actions.map((a) => recordKey('action', a.id)),
    ])
    const carried = new Map([...prints].filter(([k]) => carriedKeys.has(k)))
    const rubricKeys = [
      ...new Set(evaluations.map((e) => rubricKey(e.rubricId, e.rubricVersion))),
    ].sort()
    const owned = await db.photos
      .where('evaluationId')
      .anyOf(evaluations.map((e) => e.id))
      .primaryKeys()
    const photoIds = exportPhotoIds(owned, evaluations, actions)
    const rubrics = rubricKeys
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
      since: pick.since,
      carried,
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
      const receiver = sel.receiver ? receiverName(sel.receiver) : ''
      if (content.since !== null)
        info.incremental = {
          since: content.since,
          ...(receiver ? { receiver } : {}),
          changes: changeCount(content, content.photoIds.length),
        }
      const manifest = await writeBundle(content, info, sink)
      await db.transaction('rw', db.meta, async () => {
        const prev = (await meta.get(EXPORTED_KEY)) ?? {}
        const next = markExported(prev, content.evaluations, info.exportedAt)
        await db.meta.put({ key: EXPORTED_KEY, value: next })
        if (receiver) {
          const all: BundleReceivers = (await meta.get(RECEIVERS_KEY)) ?? {}
          const sent = Object.fromEntries(content.carried)
          all[receiver] = rememberSent(all[receiver], info.exportedAt, sent)
          await db.meta.put({ key: RECEIVERS_KEY, value: all })
        }
      })
      return manifest
    },

    /** The receivers bundles were sent to, with when the last one was made (newest first). */
    async receivers(): Promise<{ name: string; at: string }[]> {
      const all: BundleReceivers = (await meta.get(RECEIVERS_KEY)) ?? {}
      return Object.entries(all)
        .map(([name, m]) => ({ name, at: m.at }))
        .sort((a, b) => b.at.localeCompare(a.at))
    },

    /** Export times by evaluation id. */
    async exported(): Promise<Record<string, string>> {
      return (await meta.get(EXPORTED_KEY)) ?? {}
    },
  }
}

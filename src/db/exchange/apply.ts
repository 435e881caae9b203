/**
 * Applying a bundle: everything in ONE transaction over every table, so if anything fails
 * (storage full, a photo that no longer matches its checksum) nothing of the bundle is kept.
 * Photos are read from the file inside that transaction one at a time; Dexie.waitFor keeps the
 * IndexedDB transaction alive while the file is read.
 */
import { Dexie } from 'dexie'
import type { OpenBundle } from '@/io/bundle'
import { choiceKey, takesIncoming, type Choice, type RecordKind } from '@/domain/merge'
import { importedEvaluation } from '@/domain/exchange-rules'
import { setAsideFor } from '@/domain/forks'
import type { Photo } from '@/domain/records'
import type { AppDatabase, EvaluationRow } from '../rows'
import { guardQuota } from '../errors'
import { syncResults } from '../results'
import { omit } from '../util'
import { planAll } from './plan'
import { createRubricsRepo } from './rubrics'
import { createTrustRepo } from './trust'

export interface ImportResult {
  written: Record<RecordKind, number>
  keptLocal: number
  rubricsAdded: number
}

/** Every table a bundle import or a backup restore writes, locked together in one transaction. */
export function bundleTables(db: AppDatabase) {
  return [db.stores, db.evaluations, db.results, db.photos, db.actions, db.certification, db.meta]
}

function toArrayBuffer(u: Uint8Array): ArrayBuffer {
  return u.slice().buffer
}

/**
 * Applies the bundle in one transaction. The plan is worked out again inside it, against the
 * database as it is now; a conflict the user has not decided keeps the local record.
 */
export async function applyBundle(
  db: AppDatabase,
  bundle: OpenBundle,
  choices: Readonly<Record<string, Choice>> = {},
  now: () => string = () => new Date().toISOString(),
): Promise<ImportResult> {
  const tables = bundleTables(db)
  const rubrics = createRubricsRepo(db)
  const trust = createTrustRepo(db)
  return guardQuota(() =>
    db.transaction('rw', tables, async () => {
      const items = await planAll(db, bundle, (p) => Dexie.waitFor(p))
      const evaluations: EvaluationRow[] = []
      const written: Record<RecordKind, number> = {
        store: 0,
        evaluation: 0,
        certification: 0,
        action: 0,
        photo: 0,
      }
      let keptLocal = 0
      for (const item of items) {
        if (item.kind === 'evaluation' && item.reason === 'fork') {
          // Two revisions of one base: the one the user did not keep is written set aside
          // (history, not counted); undecided, the incoming one is not written at all.
          const choice = choices[choiceKey(item.kind, item.id)]
          if (choice === undefined) {
            keptLocal++
            continue
          }
          const other = await db.evaluations.get(item.local!.id)
          const incoming = item.incoming as EvaluationRow
          const rows =
            choice === 'incoming'
              ? [incoming, ...(other ? [setAsideFor(other, incoming.id, now())] : [])]
              : [setAsideFor(incoming, item.local!.id, now())]
          if (choice === 'local') keptLocal++
          for (const row of rows) {
            await db.evaluations.put(
              row.id === incoming.id ? row : { ...row, editSeq: row.editSeq + 1 },
            )
            evaluations.push(row)
          }
          written.evaluation++
          continue
        }
        if (!takesIncoming(item, choices)) {
          if (item.verdict === 'conflict' || item.verdict === 'older') keptLocal++
          continue
        }
        written[item.kind]++
        switch (item.kind) {
          case 'store':
            await db.stores.put(item.incoming)
            break
          case 'evaluation': {
            // The bundle reader checked the evaluation, its rubric and its stored score.
            const row = importedEvaluation(
              item.incoming as EvaluationRow,
              item.local as EvaluationRow | undefined,
            )
            await db.evaluations.put(row)
            evaluations.push(row)
            break
          }
          case 'certification':
            await db.certification.put(item.incoming)
            break
          case 'action':
            await db.actions.put(item.incoming)
            break
          case 'photo': {
            const header = item.incoming
            const data = await Dexie.waitFor(bundle.readPhoto(header.id))
            const rest = omit(header, ['sha256'])
            await db.photos.put({
              ...rest,
              bytes: toArrayBuffer(data.bytes),
              thumbBytes: toArrayBuffer(data.thumbBytes),
            } as Photo)
            break
          }
        }
      }
      await syncResults(db, evaluations)
      const rubricsAdded = await rubrics.addImported(bundle.rubrics)
      // Trust on first use (domain/exchange-rules.ts).
      await trust.recordImport(bundle)
      return { written, keptLocal, rubricsAdded }
    }),
  )
}

/**
 * The exchange rules that are not the merge itself (merge.ts): what an export for a selection
 * carries, trust on first use of signing devices, the "exported" marks behind the backup
 * reminder, and the edit counter an imported evaluation gets. src/db reads and writes the rows
 * these decide about.
 */
import type { CertificationEntry, CorrectiveAction, Evaluation } from './records'
import { rubricKey } from './rubric-registry'
import type { Period, Store } from './types'

export interface ExportScopeInput<E extends Evaluation> {
  /** The selected stores. */
  stores: readonly Store[]
  /** Every evaluation of those stores. */
  evaluations: readonly E[]
  /** The whole certification log. */
  certification: readonly CertificationEntry[]
  /** Every corrective action of those stores. */
  actions: readonly CorrectiveAction[]
  /** A period such as `2026-Q4`; null or absent: every period. */
  period?: Period | null
}

export interface ExportScope<E extends Evaluation> {
  evaluations: E[]
  certification: CertificationEntry[]
  actions: CorrectiveAction[]
  /** Rubric versions the evaluations were made with, `id@version`, sorted. */
  rubricKeys: string[]
}

/**
 * What a bundle for the selection holds: the period's evaluations of the stores; the log
 * entries about those stores or their units (province or city); the actions raised by those
 * evaluations (every action of the stores when no period is chosen).
 */
export function exportScope<E extends Evaluation>(input: ExportScopeInput<E>): ExportScope<E> {
  const { stores, period } = input
  const inPeriod = (p: string) => !period || p === period
  const evaluations = input.evaluations.filter((e) => inPeriod(e.period))
  const units = new Set(stores.flatMap((s) => [s.province, s.city]))
  const codes = new Set(stores.map((s) => s.code))
  const certification = input.certification.filter(
    (c) =>
      inPeriod(c.period) &&
      (c.storeCode !== undefined ? codes.has(c.storeCode) : units.has(c.unit)),
  )
  const evalIds = new Set(evaluations.map((e) => e.id))
  const actions = input.actions.filter((a) => evalIds.has(a.evaluationId) || !period)
  const rubricKeys = [
    ...new Set(evaluations.map((e) => rubricKey(e.rubricId, e.rubricVersion))),
  ].sort()
  return { evaluations, certification, actions, rubricKeys }
}

/** Photos a bundle carries: those owned by its evaluations and any they or the actions cite. */
export function exportPhotoIds(
  ownedByEvaluations: readonly string[],
  evaluations: readonly Evaluation[],
  actions: readonly CorrectiveAction[],
): string[] {
  const referenced = [
    ...evaluations.flatMap((e) => Object.values(e.answers).flatMap((a) => a.photoIds ?? [])),
    ...actions.flatMap((a) => a.evidencePhotoIds),
  ]
  return [...new Set([...ownedByEvaluations, ...referenced])].sort()
}

/** Device id → fingerprint of the key first seen signing for it. */
export type TrustedDevices = Readonly<Record<string, string>>

export type SignerTrust = 'first-seen' | 'known' | 'changed'

/** Trust on first use: unknown device, the same key as first seen, or a different key. */
export function signerTrust(
  list: TrustedDevices,
  deviceId: string,
  fingerprint: string,
): SignerTrust {
  const seen = list[deviceId]
  return seen === undefined ? 'first-seen' : seen === fingerprint ? 'known' : 'changed'
}

/**
 * The list after importing a bundle: the first key seen for a device is remembered; a later
 * different key is not (the preview shows it as "changed"). Null when nothing changes.
 */
export function trustAfterImport(
  list: TrustedDevices,
  deviceId: string,
  fingerprint: string | undefined,
): TrustedDevices | null {
  if (fingerprint === undefined || list[deviceId] !== undefined) return null
  return { ...list, [deviceId]: fingerprint }
}

/**
 * An incoming evaluation as it is written over a local copy: its edit counter goes past both,
 * so a tab holding the old copy is told it was overtaken.
 */
export function importedEvaluation<E extends Evaluation>(incoming: E, local: E | undefined): E {
  return local ? { ...incoming, editSeq: Math.max(local.editSeq, incoming.editSeq) + 1 } : incoming
}

/** Evaluation id → when it last left this device; drafts never count as sent. */
export function markExported(
  prev: Readonly<Record<string, string>>,
  evaluations: readonly Evaluation[],
  at: string,
): Record<string, string> {
  const next = { ...prev }
  for (const e of evaluations) if (e.status !== 'draft') next[e.id] = at
  return next
}

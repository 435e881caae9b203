/**
 * The evaluation being filled in. Every change is saved to IndexedDB at once (no save button to
 * forget); the form shows `saveState`. Saves run one at a time in order, and answers changed
 * while a save is in flight are coalesced, so a burst of keystrokes in a note is one write per
 * round trip, not a queue of stale ones.
 *
 * If another tab saved the same evaluation since it was loaded here, the save is refused
 * (ConcurrentEditError) and `conflict` holds the fresher copy; nothing more is written until the
 * user takes it (`acceptFresher`). Tabs also tell each other of every save (BroadcastChannel),
 * so a tab with nothing unsaved learns of the fresher copy at once, not at its next change.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef, toRaw } from 'vue'
import type { EvaluationRow } from '@/db/database'
import { liveStatus, type LiveStatus, type SubmitProblem } from '@/domain/submit-check'
import { ConcurrentEditError, LockedError, NotFoundError, StorageFullError } from '@/db/errors'
import type { NewEvaluation } from '@/db/evaluations.repo'
import { repos } from '@/db/repos'
import { plainAnswer } from '@/db/util'
import type { EncodedPhoto, Photo, Signature, SignatureRole } from '@/domain/records'
import type { Rubric } from '@/domain/rubric-schema'
import type { Answer } from '@/domain/types'
import { usePolicyStore } from './policy'
import { useRubricStore } from './rubrics'
import { useStorageCheckStore } from './storageCheck'

export type SaveState = 'idle' | 'saving' | 'saved' | 'error'

/** What a tab tells the others after saving an evaluation. */
interface EditNotice {
  id: string
  editSeq: number
}

export const useEvaluationStore = defineStore('evaluation', () => {
  const current = ref<EvaluationRow | null>(null)
  const rubric = shallowRef<Rubric | null>(null)
  const photos = ref<Photo[]>([])
  const saveState = ref<SaveState>('idle')
  const saveError = ref<Error | null>(null)
  const conflict = shallowRef<ConcurrentEditError | null>(null)
  const storageFull = ref(false)
  /** The record is gone from the database (removed by the browser, or deleted): saving cannot work. */
  const missing = ref(false)

  const answers = computed(() => current.value?.answers ?? {})
  const editable = computed(
    () => current.value?.status === 'draft' && conflict.value === null && !missing.value,
  )
  // One policy source: the live score and the stored one both use the policy in force.
  const policy = usePolicyStore()
  /** The open evaluation's store's province: its policy is the one the server scores with. */
  const province = ref<string | null>(null)
  const inForce = computed(() => policy.forProvince(province.value))
  /** Live score, progress and items still needing evidence, from the engine. */
  const status = computed<LiveStatus | null>(() =>
    rubric.value && current.value ? liveStatus(rubric.value, answers.value, inForce.value) : null,
  )

  /** Items changed here and not yet written; the write sends the item's answer as it is then. */
  const pending = new Set<string>()
  let running: Promise<void> | null = null
  /**
   * Every write goes through this chain, one at a time: each names the editSeq the previous one
   * produced, so two writes of this tab never race each other into a false conflict.
   */
  let tail: Promise<unknown> = Promise.resolve()
  function serial<T>(write: () => Promise<T>): Promise<T> {
    const run = tail.then(write, write).then((out) => {
      announce()
      return out
    })
    tail = run.catch(() => undefined)
    return run
  }

  // Word between tabs: each save says which evaluation and edit it wrote. A channel does not
  // hear its own messages, only other tabs' (and other stores', in tests).
  const channel =
    typeof BroadcastChannel === 'function' ? new BroadcastChannel('evaluation-saves') : null
  ;(channel as { unref?: () => void } | null)?.unref?.() // Node: don't hold a test process open
  channel?.addEventListener('message', (e: MessageEvent<EditNotice>) => void noticed(e.data))

  function announce(): void {
    const row = current.value
    if (row) channel?.postMessage({ id: row.id, editSeq: row.editSeq } satisfies EditNotice)
  }

  /** Another tab saved: with nothing unsaved here, take its copy now (as after a conflict). */
  async function noticed(n: EditNotice): Promise<void> {
    const row = current.value
    if (!row || row.id !== n.id || n.editSeq <= row.editSeq) return
    // With changes of ours in flight, our next write meets the conflict and handles it.
    if (pending.size > 0 || running || conflict.value) return
    const fresher = await repos().evaluations.get(row.id)
    if (!fresher || fresher.editSeq <= row.editSeq) return
    if (current.value !== row || pending.size > 0 || running || conflict.value) return
    conflict.value = new ConcurrentEditError(fresher, row.editSeq)
  }

  async function resolveRubric(row: EvaluationRow, given?: Rubric): Promise<Rubric> {
    if (given) return given
    const rubrics = useRubricStore()
    await rubrics.load()
    const r = rubrics.get(row.rubricId, row.rubricVersion)
    if (!r) throw new Error(`rubric ${row.rubricId}@${row.rubricVersion} is not installed`)
    return r
  }

  /** Loads an evaluation (and its rubric and photos) as the current one. */
  async function open(id: string, givenRubric?: Rubric): Promise<void> {
    await flush()
    const row = await repos().evaluations.get(id)
    if (!row) {
      missing.value = true
      void useStorageCheckStore().check()
      throw new NotFoundError('evaluation', id)
    }
    rubric.value = await resolveRubric(row, givenRubric)
    province.value = (await repos().stores.get(row.storeCode))?.province ?? null
    current.value = row
    photos.value = await repos().photos.listForEvaluation(id)
    saveState.value = 'idle'
    saveError.value = null
    conflict.value = null
    missing.value = false
  }

  /** Starts a new draft and makes it current. */
  async function start(input: NewEvaluation, givenRubric?: Rubric): Promise<EvaluationRow> {
    const row = await repos().evaluations.create({ ...input })
    await open(row.id, givenRubric)
    return row
  }

  /** Leaves the evaluation once every change is written. */
  async function close(): Promise<void> {
    await flush()
    current.value = null
    rubric.value = null
    photos.value = []
    saveState.value = 'idle'
    conflict.value = null
  }

  function fail(e: unknown): void {
    saveState.value = 'error'
    saveError.value = e as Error
    if (e instanceof ConcurrentEditError) conflict.value = e
    if (e instanceof StorageFullError) storageFull.value = true
    if (e instanceof NotFoundError && e.table === 'evaluation') {
      // Retrying cannot bring the record back: say so, and find out whether the whole database went.
      missing.value = true
      void useStorageCheckStore().check()
    }
  }

  async function drain(): Promise<void> {
    while (pending.size > 0 && current.value && !conflict.value) {
      const itemId = pending.values().next().value as string
      pending.delete(itemId)
      const row = current.value
      saveState.value = 'saving'
      try {
        // Read at write time, not when queued: a photo attached meanwhile is part of the answer.
        // The next write must see this one's editSeq, so it is recorded inside the chain.
        await serial(async () => {
          const a = row.answers[itemId]
          const answer = a ? plainAnswer(toRaw(a)) : null
          const saved = await repos().evaluations.saveAnswer(row.id, itemId, answer, row.editSeq)
          Object.assign(row, saved)
        })
        if (pending.size === 0) saveState.value = 'saved'
      } catch (e) {
        fail(e)
        return
      }
    }
  }

  /** Resolves when every change made so far is written (or has failed). */
  async function flush(): Promise<void> {
    while (running) await running
    await tail
  }

  function kick(): void {
    if (running) return
    running = drain().finally(() => {
      running = null
      // A change that arrived as the loop ended.
      if (pending.size > 0 && !conflict.value) kick()
    })
  }

  /** Sets (or clears, with null) one item's answer; shown at once and saved in the background. */
  function setAnswer(itemId: string, answer: Answer | null): void {
    const row = current.value
    if (!row || !editable.value) throw new LockedError(row?.id ?? '')
    // Plain copy: the value may come from a reactive form model, which IndexedDB cannot clone.
    const plain = answer ? plainAnswer(toRaw(answer)) : null
    if (plain) row.answers[itemId] = plain
    else delete row.answers[itemId]
    pending.add(itemId)
    kick()
  }

  /** Merges a change into the item's answer (e.g. just the note). */
  function patchAnswer(itemId: string, patch: Partial<Omit<Answer, 'itemId'>>): void {
    const prev = answers.value[itemId]
    setAnswer(itemId, { ...(prev ? toRaw(prev) : {}), ...patch, itemId })
  }

  async function addPhoto(itemId: string, encoded: EncodedPhoto): Promise<Photo> {
    const row = current.value
    if (!row || !editable.value) throw new LockedError(row?.id ?? '')
    saveState.value = 'saving'
    try {
      const photo = await serial(async () => {
        const { photo, editSeq, updatedAt } = await repos().photos.add(
          row.id,
          itemId,
          { ...encoded },
          row.editSeq,
        )
        const prev = row.answers[itemId] ?? { itemId }
        row.answers[itemId] = { ...prev, photoIds: [...(prev.photoIds ?? []), photo.id] }
        Object.assign(row, { editSeq, updatedAt })
        return photo
      })
      photos.value.push(photo)
      if (pending.size === 0) saveState.value = 'saved'
      return photo
    } catch (e) {
      fail(e)
      throw e
    }
  }

  /** Signs the visit (or clears a signature with null); saved at once like an answer. */
  async function setSignature(role: SignatureRole, signature: Signature | null): Promise<void> {
    const row = current.value
    if (!row || !editable.value) throw new LockedError(row?.id ?? '')
    saveState.value = 'saving'
    try {
      await serial(async () => {
        const plain = signature ? { ...toRaw(signature) } : null
        const saved = await repos().evaluations.setSignature(row.id, role, plain, row.editSeq)
        const signatures = { ...(row.signatures ?? {}) }
        if (plain) signatures[role] = plain
        else delete signatures[role]
        Object.assign(row, { signatures }, saved)
      })
      if (pending.size === 0) saveState.value = 'saved'
    } catch (e) {
      fail(e)
      throw e
    }
  }

  /** Records the evaluation-level answer "this store has a cross-border zone" (null clears it). */
  async function setCrossBorderZone(value: boolean | null): Promise<void> {
    const row = current.value
    if (!row || !editable.value) throw new LockedError(row?.id ?? '')
    saveState.value = 'saving'
    try {
      await serial(async () => {
        const saved = await repos().evaluations.setCrossBorderZone(row.id, value, row.editSeq)
        if (value === null) delete row.crossBorderZone
        else row.crossBorderZone = value
        Object.assign(row, saved)
      })
      if (pending.size === 0) saveState.value = 'saved'
    } catch (e) {
      fail(e)
      throw e
    }
  }

  async function removePhoto(itemId: string, photoId: string): Promise<void> {
    const row = current.value
    if (!row || !editable.value) throw new LockedError(row?.id ?? '')
    saveState.value = 'saving'
    try {
      await serial(async () => {
        const saved = await repos().photos.remove(row.id, itemId, photoId, row.editSeq)
        const prev = row.answers[itemId]
        if (prev) prev.photoIds = (prev.photoIds ?? []).filter((p) => p !== photoId)
        Object.assign(row, saved)
      })
      photos.value = photos.value.filter((p) => p.id !== photoId || p.evaluationId !== row.id)
      if (pending.size === 0) saveState.value = 'saved'
    } catch (e) {
      fail(e)
      throw e
    }
  }

  /** Submits after every pending save; returns the reasons if refused. */
  async function submit(): Promise<{ ok: true } | { ok: false; problems: SubmitProblem[] }> {
    await flush()
    const row = current.value
    if (!row || !rubric.value) throw new Error('no evaluation open')
    if (conflict.value) throw conflict.value
    try {
      const outcome = await repos().evaluations.submit(
        row.id,
        rubric.value,
        row.editSeq,
        inForce.value,
      )
      if (!outcome.ok) return outcome
      current.value = outcome.evaluation
      announce()
      return { ok: true }
    } catch (e) {
      fail(e)
      throw e
    }
  }

  /** Opens a new draft revision of the current (locked) evaluation and makes it current. */
  async function reopen(evaluatorName?: string): Promise<EvaluationRow> {
    const row = current.value
    if (!row) throw new Error('no evaluation open')
    const draft = await repos().evaluations.reopen(row.id, evaluatorName)
    await open(draft.id, rubric.value ?? undefined)
    return draft
  }

  /** After a conflict: drop local unsaved changes and continue from the other tab's copy. */
  async function acceptFresher(): Promise<void> {
    const id = current.value?.id
    pending.clear()
    await flush()
    conflict.value = null
    if (id) await open(id, rubric.value ?? undefined)
  }

  return {
    setSignature,
    setCrossBorderZone,
    current,
    rubric,
    photos,
    saveState,
    saveError,
    conflict,
    storageFull,
    missing,
    answers,
    editable,
    status,
    open,
    start,
    close,
    setAnswer,
    patchAnswer,
    addPhoto,
    removePhoto,
    submit,
    reopen,
    acceptFresher,
    flush,
  }
})

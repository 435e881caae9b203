/**
 * The daily self-check of one store: the rubric that applies (purpose daily-check), the answers
 * being given on the one screen (kept here until the check is recorded whole) and the store's
 * earlier checks.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef, toRaw } from 'vue'
import type { EvaluationRow } from '@/db/database'
import { liveStatus, type SubmitProblem } from '@/domain/submit-check'
import { repos } from '@/db/repos'
import { quarterOf } from '@/domain/period'
import type { EncodedPhoto } from '@/domain/records'
import type { Rubric } from '@/domain/rubric-schema'
import type { Answer, Answers, Store } from '@/domain/types'
import { useRubricStore } from './rubrics'

export const useDailyCheckStore = defineStore('dailyCheck', () => {
  const store = ref<Store | null>(null)
  const rubric = shallowRef<Rubric | null>(null)
  const answers = ref<Answers>({})
  /** Photos taken for an item, encoded, written with the check. */
  const photos = ref<Record<string, EncodedPhoto[]>>({})
  const history = shallowRef<EvaluationRow[]>([])
  const problems = ref<SubmitProblem[]>([])

  /** Answers as the engine sees them, with stand-in photo ids so photo evidence counts. */
  const withPhotos = computed<Answers>(() => {
    const out: Answers = {}
    for (const [id, a] of Object.entries(answers.value)) {
      const n = photos.value[id]?.length ?? 0
      out[id] = n ? { ...a, photoIds: Array.from({ length: n }, (_, i) => `new-${i}`) } : a
    }
    return out
  })
  const status = computed(() => (rubric.value ? liveStatus(rubric.value, withPhotos.value) : null))

  async function dailyRubricIds(): Promise<string[]> {
    const rubrics = useRubricStore()
    await rubrics.load()
    return rubrics.registry
      .all()
      .filter((e) => e.rubric.purpose === 'daily-check')
      .map((e) => e.rubric.id)
  }

  async function load(code: string): Promise<void> {
    store.value = (await repos().stores.get(code)) ?? null
    answers.value = {}
    photos.value = {}
    problems.value = []
    rubric.value = null
    history.value = []
    if (!store.value) return
    const rubrics = useRubricStore()
    await rubrics.load()
    const picked = rubrics.pick(store.value, { purpose: 'daily-check' })
    rubric.value = picked.ok ? picked.entry.rubric : null
    history.value = await repos().dailyChecks.listByStore(code, await dailyRubricIds())
  }

  function answer(itemId: string, change: Partial<Answer>): void {
    const prev = answers.value[itemId] ?? { itemId }
    answers.value = { ...answers.value, [itemId]: { ...prev, ...change, itemId } }
  }

  function addPhoto(itemId: string, p: EncodedPhoto): void {
    photos.value = { ...photos.value, [itemId]: [...(photos.value[itemId] ?? []), p] }
  }

  function removePhoto(itemId: string, index: number): EncodedPhoto | undefined {
    const list = [...(photos.value[itemId] ?? [])]
    const [gone] = list.splice(index, 1)
    photos.value = { ...photos.value, [itemId]: list }
    return gone
  }

  function restorePhoto(itemId: string, index: number, p: EncodedPhoto): void {
    const list = [...(photos.value[itemId] ?? [])]
    list.splice(index, 0, p)
    photos.value = { ...photos.value, [itemId]: list }
  }

  /** Records the check; on success clears the screen for the next one and reloads the history. */
  async function submit(evaluatorName: string, now: Date): Promise<EvaluationRow | null> {
    if (!store.value || !rubric.value) return null
    const out = await repos().dailyChecks.record({
      storeCode: store.value.code,
      period: quarterOf(now),
      evaluatorName,
      rubric: rubric.value,
      // Plain data: IndexedDB cannot clone Vue proxies (answers hold only strings and numbers).
      answers: JSON.parse(JSON.stringify(answers.value)) as Answers,
      photos: Object.fromEntries(
        Object.entries(photos.value).map(([k, v]) => [k, v.map((p) => ({ ...toRaw(p) }))]),
      ),
    })
    if (!out.ok) {
      problems.value = out.problems
      return null
    }
    problems.value = []
    answers.value = {}
    photos.value = {}
    history.value = [out.evaluation, ...history.value]
    return out.evaluation
  }

  return {
    store,
    rubric,
    answers,
    photos,
    history,
    problems,
    status,
    load,
    answer,
    addPhoto,
    removePhoto,
    restorePhoto,
    submit,
  }
})

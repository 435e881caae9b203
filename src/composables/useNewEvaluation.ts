/**
 * Starting an evaluation: the store, the rubric that applies to it (latest version, provincial
 * variant first), and the choices the inspector makes. The period defaults to the current
 * quarter by the injected clock; the evaluator's name is remembered on the device.
 * Connected to a server, the account decides: the reviewer levels are those its roles allow for
 * this store (src/protocol/access.ts, the rule the server enforces) and the evaluator is the
 * account's name, not typed.
 */
import { computed, onMounted, ref, type Ref } from 'vue'
import { useRouter } from 'vue-router'
import { isPeriod, periodChoices, quarterOf } from '@/domain/period'
import type { PickResult } from '@/domain/rubric-registry'
import type { Reviewer, Store } from '@/domain/types'
import { useEvaluationStore } from '@/stores/evaluation'
import { useEvaluationHistoryStore } from '@/stores/evaluationHistory'
import { useRubricStore } from '@/stores/rubrics'
import { useSettingsStore } from '@/stores/settings'
import { useStoresStore } from '@/stores/stores'
import { useSyncStore } from '@/stores/sync'
import { REVIEWERS } from '@/domain/types'
import { useClock } from './useClock'

export function useNewEvaluation(code: Ref<string>, messageOf: (e: unknown) => string) {
  const router = useRouter()
  const clock = useClock()
  const settings = useSettingsStore()
  const rubrics = useRubricStore()
  const history = useEvaluationHistoryStore()
  const store = ref<Store | null>(null)
  const loading = ref(true)
  const picked = ref<PickResult | null>(null)
  const reviewer = ref<Reviewer>('self')
  const name = ref(settings.evaluatorName)
  const period = ref(quarterOf(clock()))
  const busy = ref(false)
  const error = ref('')

  const sync = useSyncStore()
  const accountName = computed(() => sync.user?.displayName ?? null)
  /** The levels offered: every level offline, the account's allowed ones when connected. */
  const reviewers = computed<readonly Reviewer[]>(() =>
    store.value ? (sync.reviewersAt(store.value) ?? REVIEWERS) : REVIEWERS,
  )
  const rubric = computed(() => (picked.value?.ok ? picked.value.entry.rubric : null))
  const periods = computed(() => periodChoices(clock()))
  /** Why the start button is greyed, as a message key; '' when it can be pressed. */
  const whyNot = computed(() =>
    !store.value || !rubric.value
      ? ''
      : name.value.trim() === ''
        ? 'visit.needName'
        : !isPeriod(period.value.trim())
          ? 'evaluation.new.badPeriod'
          : '',
  )
  const canStart = computed(
    () =>
      !!store.value &&
      reviewers.value.includes(reviewer.value) &&
      !!rubric.value &&
      name.value.trim() !== '' &&
      isPeriod(period.value.trim()) &&
      !busy.value,
  )

  onMounted(async () => {
    try {
      store.value = (await useStoresStore().get(code.value)) ?? null
      if (store.value) {
        await rubrics.load()
        picked.value = rubrics.pick(store.value)
        const allowed = reviewers.value
        if (!allowed.includes(reviewer.value) && allowed[0]) reviewer.value = allowed[0]
        if (accountName.value) name.value = accountName.value
        await history.loadDrafts(store.value.code)
      }
    } finally {
      loading.value = false
    }
  })

  async function start(): Promise<void> {
    if (!canStart.value || !store.value || !rubric.value) return
    busy.value = true
    error.value = ''
    try {
      if (accountName.value) name.value = accountName.value
      else settings.evaluatorName = name.value.trim()
      const row = await useEvaluationStore().start(
        {
          storeCode: store.value.code,
          period: period.value.trim(),
          reviewer: reviewer.value,
          evaluatorName: name.value.trim(),
          rubricId: rubric.value.id,
          rubricVersion: rubric.value.version,
        },
        rubric.value,
      )
      await router.replace(`/evaluations/${row.id}`)
    } catch (e) {
      error.value = messageOf(e)
    } finally {
      busy.value = false
    }
  }

  return {
    store,
    loading,
    picked,
    reviewer,
    reviewers,
    accountName,
    name,
    period,
    busy,
    error,
    rubric,
    canStart,
    drafts: computed(() => history.drafts),
    start,
    periods,
    whyNot,
  }
}

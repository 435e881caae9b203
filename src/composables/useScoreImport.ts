/**
 * The scores import screen's steps (issue 17.1), as the register import's: read the chosen file,
 * parse and check it against the register (nothing written), then, only if there is no problem,
 * write every score in one transaction.
 */
import { computed, ref, shallowRef } from 'vue'
import { quarterOf } from '@/domain/period'
import type { Period } from '@/domain/types'
import { maxScoreFor, parseScoreFile, type ScoreImportResult } from '@/io/score-import'
import { readTableOffThread } from '@/io/table-off-thread'
import { usePolicyStore } from '@/stores/policy'
import { useRankingsStore } from '@/stores/rankings'
import { useScoreImportStore } from '@/stores/scoreImport'
import { useStoreRegisterStore } from '@/stores/storeRegister'
import type { ScoreImportOutcome } from '@/stores/scoreImport'
import type { ImportPhase } from './useStoreImport'
import { askPersistOnce } from './persistOnce'

export function useScoreImport() {
  const register = useStoreRegisterStore()
  const policy = usePolicyStore()
  const writer = useScoreImportStore()
  const rankings = useRankingsStore()
  const phase = ref<ImportPhase>('idle')
  const fileName = ref('')
  const result = shallowRef<ScoreImportResult | null>(null)
  /** For a file without a period column: the period its scores belong to. */
  const chosenPeriod = ref<Period>(rankings.period ?? quarterOf(new Date()))
  const outcome = ref<ScoreImportOutcome | null>(null)
  const error = ref('')
  /** The file's own period when it has one, else the chosen one. */
  const period = computed<Period>(() => result.value?.period ?? chosenPeriod.value)
  const fileHasPeriod = computed(() => result.value?.records.some((r) => r.period) ?? false)

  async function choose(file: File): Promise<void> {
    phase.value = 'reading'
    fileName.value = file.name
    result.value = null
    outcome.value = null
    error.value = ''
    // Read afresh: the register may have changed in another tab since it was last read.
    await register.load()
    const bytes = new Uint8Array(await file.arrayBuffer())
    // Read in a worker, as the register import: a heavy or hostile workbook never freezes the tab.
    result.value = await parseScoreFile(bytes, file.name, {
      storeCodes: register.codes,
      maxScore: maxScoreFor(policy.policy),
      reader: readTableOffThread,
    })
    phase.value = 'preview'
  }

  async function commit(): Promise<void> {
    const r = result.value
    if (!r || r.problemCount > 0 || r.records.length === 0) return
    phase.value = 'importing'
    try {
      outcome.value = await writer.write(r, fileName.value, period.value)
      phase.value = 'done'
      register.invalidateGrades()
      // Show the imported period (the rankings follow the write, but keep the period they show).
      void rankings.load(period.value)
      void askPersistOnce()
    } catch (e) {
      error.value = e instanceof Error ? e.message : String(e)
      phase.value = 'failed'
    }
  }

  const storesByCode = computed(() => new Map(register.all.map((s) => [s.code, s])))

  return {
    storesByCode,
    phase,
    fileName,
    result,
    chosenPeriod,
    period,
    fileHasPeriod,
    outcome,
    error,
    choose,
    commit,
  }
}

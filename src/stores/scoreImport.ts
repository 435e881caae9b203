/**
 * The scores import's write (issue 17.1): a checked scores file's records become submitted
 * evaluations without item answers, in one transaction (db/score-import.repo.ts). The rankings,
 * certification and charts follow on their own (db/data-changed.ts).
 */
import { defineStore } from 'pinia'
import { repos } from '@/db/repos'
import type { ScoreImportOutcome } from '@/db/score-import.repo'
import type { Period } from '@/domain/types'
import type { ScoreImportResult } from '@/io/score-import'
import { usePolicyStore } from './policy'

export type { ScoreImportOutcome } from '@/db/score-import.repo'

export const useScoreImportStore = defineStore('scoreImport', () => {
  const policyStore = usePolicyStore()

  /** Writes every record of `result`, or nothing (refused when the file has any problem). */
  async function write(
    result: ScoreImportResult,
    fileName: string,
    period: Period,
  ): Promise<ScoreImportOutcome> {
    if (result.problemCount > 0) throw new Error('a file with problems is not imported')
    return repos().scoreImport.importScores({
      records: result.records,
      lines: result.lines,
      fileName,
      period,
      policy: policyStore.policy,
    })
  }

  /** How many stores the register holds (the empty rankings offer the import when any). */
  function registerSize(): Promise<number> {
    return repos().stores.count()
  }

  return { write, registerSize }
})

/**
 * The one policy source of the app: grade bands, quotas, differentials and tie-breaks that every
 * screen and export reads (rankings, certification, charts, the store page and the register's
 * last grades). Today it holds the default policy; a province's policy file or, later, the sync
 * server's policy per province replaces it through `use`, and every reader follows.
 */
import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import { DEFAULT_POLICY, type Policy } from '@/domain/policy'

/** Where the policy in force came from. */
export type PolicySource = { kind: 'default' } | { kind: 'file'; name: string } | { kind: 'server' }

export const usePolicyStore = defineStore('policy', () => {
  const policy = shallowRef<Policy>(DEFAULT_POLICY)
  const source = shallowRef<PolicySource>({ kind: 'default' })

  /** Puts a validated policy (from `parsePolicy`) in force. */
  function use(next: Policy, from: PolicySource): void {
    policy.value = next
    source.value = from
  }

  function reset(): void {
    use(DEFAULT_POLICY, { kind: 'default' })
  }

  return { policy, source, use, reset }
})

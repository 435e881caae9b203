/**
 * The one policy source of the app: grade bands, quotas, differentials and tie-breaks that every
 * screen and export reads (rankings, certification, charts, the store page and the register's
 * last grades). Today it holds the default policy; a province's policy file or, later, the sync
 * server's policy per province replaces it through `use`, and every reader follows.
 */
import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import { DEFAULT_POLICY, type Policy } from '@/domain/policy'
import { policyInForce, type PublishedPolicy } from '@/domain/policy-in-force'

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

  /** The server's policy files (a connected device), oldest first. */
  const published = shallowRef<readonly PublishedPolicy<Policy>[]>([])

  /** Puts the server's files in force: `home` (the account's province) picks the one shown. */
  function useServer(files: readonly PublishedPolicy<Policy>[], home: string | null): void {
    published.value = files
    use(policyInForce(files, home, DEFAULT_POLICY), { kind: 'server' })
  }

  /**
   * The policy a store of `province` is scored with. With the server's files that is the
   * province's own (the server re-scores every push with it, so a group account's tablet must
   * agree); otherwise the policy in force.
   */
  function forProvince(province: string | null | undefined): Policy {
    if (source.value.kind !== 'server' || !province) return policy.value
    return policyInForce(published.value, province, DEFAULT_POLICY)
  }

  function reset(): void {
    published.value = []
    use(DEFAULT_POLICY, { kind: 'default' })
  }

  return { policy, source, published, use, useServer, forProvince, reset }
})

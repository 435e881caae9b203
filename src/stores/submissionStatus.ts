/**
 * Live submission status for a period (issue 13). Connected: the server's answer for the
 * account's units (GET /api/status), so the province office sees what every tablet submitted;
 * unconnected, or when the server cannot be reached: the same rule over this device's data.
 */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { repos } from '@/db/repos'
import { quarterOf } from '@/domain/period'
import {
  submissionStatus,
  type CitySubmission,
  type StoreSubmission,
} from '@/domain/submission-status'
import type { Period } from '@/domain/types'
import { useSyncStore } from './sync'

export interface StatusData {
  cities: CitySubmission[]
  stores: StoreSubmission[]
  source: 'server' | 'device' | 'offline'
  at: string
}

export const useSubmissionStatusStore = defineStore('submissionStatus', () => {
  const period = ref<Period>(quarterOf(new Date()))
  const data = shallowRef<StatusData | null>(null)
  const loading = ref(false)

  async function fromDevice(p: Period): Promise<Omit<StatusData, 'source'>> {
    const sync = useSyncStore()
    const r = repos()
    const stores = (await r.stores.all()).filter((s) => sync.sees(s))
    const submitted = (await r.evaluations.listByPeriod(p))
      .filter((e) => e.status === 'submitted')
      .map((e) => ({ storeCode: e.storeCode, reviewer: e.reviewer, submittedAt: e.submittedAt }))
    const now = new Date()
    return { ...submissionStatus(stores, submitted, p, now), at: now.toISOString() }
  }

  async function load(p: Period = period.value): Promise<void> {
    period.value = p
    loading.value = true
    try {
      const sync = useSyncStore()
      const api = await sync.serverApi()
      if (api) {
        try {
          const res = await api.status(p)
          data.value = { cities: res.cities, stores: res.stores, at: res.at, source: 'server' }
          return
        } catch {
          data.value = { ...(await fromDevice(p)), source: 'offline' }
          return
        }
      }
      data.value = { ...(await fromDevice(p)), source: 'device' }
    } finally {
      loading.value = false
    }
  }

  return { period, data, loading, load }
})

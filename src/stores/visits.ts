/**
 * Visit plans on the tablet (issue 13). Connected only: the plans the server sent (pulled like any
 * record, so they are there offline) become the inspector's "my visits" (today, this week, overdue,
 * each with the store's open corrective actions); a store manager sees when the store's
 * self-assessment is due. Where a visit stands is the domain's rule (src/domain/visit-plan.ts),
 * derived from the evaluations on the device: a visit is done once its inspection is submitted.
 * Not connected, there are no plans and nothing here shows.
 */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { repos } from '@/db/repos'
import { quarterOf } from '@/domain/period'
import type { CorrectiveAction } from '@/domain/records'
import type { Store } from '@/domain/types'
import {
  groupVisits,
  selfAssessmentDue,
  type SelfAssessmentDue,
  type VisitGroups,
} from '@/domain/visit-plan'
import type { VisitPlan } from '@/protocol/visits'
import { useSyncStore } from './sync'

export interface MyVisit extends VisitPlan {
  storeName: string
  openActions: CorrectiveAction[]
}

export interface StoreSelfDue extends SelfAssessmentDue {
  store: Store
}

export const useVisitsStore = defineStore('visits', () => {
  /** Null: not connected, or the account inspects nothing. */
  const mine = shallowRef<VisitGroups<MyVisit> | null>(null)
  /** The stores the account manages, each with its self-assessment due for this quarter. */
  const selfDue = shallowRef<StoreSelfDue[]>([])
  const loaded = ref(false)

  async function load(now = new Date()): Promise<void> {
    const sync = useSyncStore()
    await sync.init()
    const user = sync.user
    if (!user) {
      mine.value = null
      selfDue.value = []
      loaded.value = true
      return
    }
    const r = repos()
    const inspects = user.roles.some((b) => b.role === 'inspector')
    if (inspects) {
      const plans = (await (await r.sync()).visits()).filter((v) => v.inspectorId === user.id)
      const codes = [...new Set(plans.map((v) => v.storeCode))]
      const perStore = await Promise.all(
        codes.map(async (code) => ({
          code,
          store: await r.stores.get(code),
          evaluations: await r.evaluations.listByStore(code),
          actions: await r.actions.listOpenByStore(code),
        })),
      )
      const by = new Map(perStore.map((s) => [s.code, s]))
      const visits: MyVisit[] = plans.map((v) => ({
        ...v,
        storeName: by.get(v.storeCode)?.store?.name ?? v.storeCode,
        openActions: by.get(v.storeCode)?.actions ?? [],
      }))
      mine.value = groupVisits(
        visits,
        perStore.flatMap((s) => s.evaluations),
        now,
      )
    } else mine.value = null
    const managed = user.roles
      .filter((b) => b.role === 'store-manager')
      .map((b) => b.unit.split('/')[3])
      .filter((c): c is string => c !== undefined)
    const period = quarterOf(now)
    const dues: StoreSelfDue[] = []
    for (const code of managed) {
      const store = await r.stores.get(code)
      if (!store) continue
      const due = selfAssessmentDue(period, code, await r.evaluations.listByStore(code), now)
      if (due) dues.push({ ...due, store })
    }
    selfDue.value = dues
    loaded.value = true
  }

  return { mine, selfDue, loaded, load }
})

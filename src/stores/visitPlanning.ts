/**
 * The planning screen's data (issue 13, connected only): the inspectors this account may plan
 * (the server's list), the stores of the register inside its planning units, and the visits
 * already planned. Planning and cancelling are the server's (it applies the one check and logs
 * every write); the plans then reach the tablets by the ordinary pull.
 */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import { repos } from '@/db/repos'
import type { Store } from '@/domain/types'
import { storePath, within } from '@/protocol/access'
import { planningUnits } from '@/protocol/visit-access'
import type { PlannableInspector, PlanVisits, VisitPlan } from '@/protocol/visits'
import { useSyncStore } from './sync'

export type PlanningState = 'loading' | 'not-connected' | 'not-planner' | 'offline' | 'ready'

export const useVisitPlanningStore = defineStore('visitPlanning', () => {
  const state = ref<PlanningState>('loading')
  const inspectors = shallowRef<PlannableInspector[]>([])
  const stores = shallowRef<Store[]>([])
  const planned = shallowRef<VisitPlan[]>([])

  async function load(): Promise<void> {
    state.value = 'loading'
    const sync = useSyncStore()
    const api = await sync.serverApi()
    const user = sync.user
    if (!api || !user) {
      state.value = 'not-connected'
      return
    }
    const units = planningUnits(user.roles)
    if (units.length === 0) {
      state.value = 'not-planner'
      return
    }
    stores.value = (await repos().stores.all())
      .filter((s) => units.some((u) => within(storePath(s), u)))
      .sort((a, b) => a.city.localeCompare(b.city) || a.code.localeCompare(b.code))
    try {
      const [ins, list] = await Promise.all([api.visitInspectors(), api.listVisits()])
      inspectors.value = ins
      planned.value = list
      state.value = 'ready'
    } catch {
      state.value = 'offline'
    }
  }

  /** Plans the visits; the new plans come back, and the tablets get them with the next pull. */
  async function plan(req: PlanVisits): Promise<VisitPlan[]> {
    const sync = useSyncStore()
    const api = await sync.serverApi()
    if (!api) throw new Error('not connected')
    const made = await api.planVisits(req)
    planned.value = await api.listVisits()
    void sync.syncNow()
    return made
  }

  async function cancel(id: string): Promise<void> {
    const sync = useSyncStore()
    const api = await sync.serverApi()
    if (!api) throw new Error('not connected')
    await api.cancelVisit(id)
    planned.value = planned.value.filter((v) => v.id !== id)
    void sync.syncNow()
  }

  return { state, inspectors, stores, planned, load, plan, cancel }
})

/** Corrective actions of the store being looked at: open ones on its page, checked off at a visit. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { CheckOff, NewAction } from '@/db/actions.repo'
import { repos } from '@/db/repos'
import type { CorrectiveAction } from '@/domain/records'

export const useActionsStore = defineStore('actions', () => {
  const byId = ref<Record<string, CorrectiveAction>>({})
  /** Open action ids per store code, soonest due first. */
  const openByStore = ref<Record<string, string[]>>({})

  function remember(actions: CorrectiveAction[]): string[] {
    for (const a of actions) byId.value[a.id] = a
    return actions.map((a) => a.id)
  }

  async function loadOpen(storeCode: string): Promise<CorrectiveAction[]> {
    const open = await repos().actions.listOpenByStore(storeCode)
    openByStore.value[storeCode] = remember(open)
    return open
  }

  async function loadAll(storeCode: string): Promise<CorrectiveAction[]> {
    const all = await repos().actions.listByStore(storeCode)
    remember(all)
    return all
  }

  async function createFromLost(
    evaluationId: string,
    items: NewAction[],
  ): Promise<CorrectiveAction[]> {
    const created = await repos().actions.createFromLostItems(evaluationId, items)
    const store = created[0]?.storeCode
    if (store) await loadOpen(store)
    return created
  }

  async function checkOff(id: string, done: CheckOff): Promise<CorrectiveAction> {
    // The repository writes plain copies; reactive proxies are fine here.
    const action = await repos().actions.checkOff(id, done)
    remember([action])
    await loadOpen(action.storeCode)
    return action
  }

  return { byId, openByStore, loadOpen, loadAll, createFromLost, checkOff }
})

/**
 * Whether this device's database can be used by this release of the app. A database already
 * upgraded by a newer release must not be opened by an older one (an old tab, an old cached
 * copy): App.vue shows a plain message instead of the screens, and nothing is written. The
 * screens are shown only once the check has said `ok` (it runs before anything opens the
 * database).
 */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { openProblem, type OpenProblem } from '@/db/database'

export const useDatabaseStore = defineStore('database', () => {
  const problem = ref<OpenProblem | null>(null)
  const checked = ref(false)

  async function check(): Promise<void> {
    try {
      problem.value = await openProblem()
    } catch (e) {
      // A browser that cannot list its databases is not a reason to keep the app closed.
      console.warn('database check failed:', e)
      problem.value = null
    }
    checked.value = true
  }

  return { problem, checked, check }
})

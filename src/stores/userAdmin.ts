/**
 * The admin screen's data (issue 13): the users of the account's units from the server
 * (GET /api/users), and the changes an admin makes (create, disable or enable, reset a password,
 * change roles and units). The server decides what the admin may do and logs every write; this
 * store only offers the units the admin holds (read from the device's register) and passes the
 * server's refusal on with its code. Passwords go to the server, which hashes them; no hash
 * ever comes back.
 */
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { repos } from '@/db/repos'
import { storePath, unitKind, within } from '@/protocol/access'
import type { ListedUser, Role, RoleBinding } from '@/protocol'
import { useSyncStore } from './sync'

export interface UnitOption {
  path: string
  /** The store's name for a store unit. */
  name: string | null
}

export type AdminResult = { ok: true } | { ok: false; code: string; message: string }

interface ApiErrorLike {
  name: string
  code: string
  message: string
}
function failure(e: unknown): AdminResult {
  const a = e as Partial<ApiErrorLike>
  if (e instanceof Error && a.name === 'ApiError')
    return { ok: false, code: a.code ?? 'error', message: a.message ?? '' }
  return { ok: false, code: 'client', message: e instanceof Error ? e.message : String(e) }
}

/** Which units a role may be bound to (the server's rule, checked first so the form says why). */
export function roleFitsUnit(role: Role, unit: string): boolean {
  const kind = unitKind(unit)
  if (role === 'store-manager') return kind === 'store'
  if (role === 'inspector') return kind !== 'store'
  return true
}

/** What the form says before sending (the server checks again): an i18n key under admin.error. */
export function inputProblem(
  input: { username?: string; password?: string; roles?: readonly RoleBinding[] },
  units: readonly UnitOption[],
): { key: string; unit?: string } | null {
  if (input.username !== undefined && !/^[A-Za-z0-9._-]{2,60}$/.test(input.username))
    return { key: 'username' }
  if (input.password !== undefined && input.password.length < 10) return { key: 'shortPassword' }
  if (input.roles !== undefined) {
    if (input.roles.length === 0) return { key: 'noRoles' }
    for (const r of input.roles) {
      if (!units.some((u) => u.path === r.unit)) return { key: 'unitNotYours', unit: r.unit }
      if (!roleFitsUnit(r.role, r.unit)) return { key: 'roleUnit' }
    }
  }
  return null
}

export const useUserAdminStore = defineStore('userAdmin', () => {
  const sync = useSyncStore()
  const users = shallowRef<ListedUser[]>([])
  const units = shallowRef<UnitOption[]>([])
  const loading = ref(false)
  const error = ref<AdminResult | null>(null)

  /** The units the account is admin of (the roots of what it may manage). */
  const roots = computed(() =>
    (sync.user?.roles ?? []).filter((r) => r.role === 'admin').map((r) => r.unit),
  )
  const isAdmin = computed(() => roots.value.length > 0)
  const mayManageUnit = (unit: string) => roots.value.some((r) => within(unit, r))

  async function loadUnits(): Promise<void> {
    const paths = new Map<string, string | null>([['group', null]])
    for (const s of await repos().stores.all()) {
      paths.set(`group/${s.province}`, null)
      paths.set(`group/${s.province}/${s.city}`, null)
      paths.set(storePath(s), s.name)
    }
    units.value = [...paths]
      .filter(([p]) => mayManageUnit(p))
      .map(([path, name]) => ({ path, name }))
      .sort((a, b) => a.path.localeCompare(b.path, 'zh-CN'))
  }

  async function load(): Promise<void> {
    loading.value = true
    error.value = null
    try {
      await loadUnits()
      const api = await sync.serverApi()
      if (!api) {
        users.value = []
        return
      }
      users.value = await api.users()
    } catch (e) {
      error.value = failure(e)
    } finally {
      loading.value = false
    }
  }

  async function run(job: () => Promise<unknown>): Promise<AdminResult> {
    const api = await sync.serverApi()
    if (!api) return { ok: false, code: 'not-connected', message: '' }
    try {
      await job()
      users.value = await api.users()
      return { ok: true }
    } catch (e) {
      return failure(e)
    }
  }

  function create(input: {
    username: string
    displayName: string
    password: string
    roles: RoleBinding[]
  }): Promise<AdminResult> {
    return run(async () => (await sync.serverApi())!.createUser(input))
  }

  function update(
    id: number,
    change: { displayName?: string; disabled?: boolean; password?: string; roles?: RoleBinding[] },
  ): Promise<AdminResult> {
    return run(async () => (await sync.serverApi())!.updateUser(id, change))
  }

  return { users, units, loading, error, roots, isAdmin, mayManageUnit, load, create, update }
})

/**
 * Who may do what where: the one place that answers "may this user do this to this unit?"
 * (routes and the push path ask here, never decide ad hoc). A role is bound to a unit and
 * covers everything under it.
 */
import type { Role, RoleBinding } from '../protocol'
import type { Reviewer, Store } from '../domain/types'
import { forbidden } from './errors'

export interface Actor {
  id: number
  username: string
  displayName: string
  roles: RoleBinding[]
  deviceId: string | null
}

export type UnitKind = 'group' | 'province' | 'city' | 'store'

export function unitKind(path: string): UnitKind {
  const depth = path.split('/').length
  return (['group', 'province', 'city', 'store'] as const)[depth - 1] ?? 'store'
}

/** True when `path` is `ancestor` or under it. */
export function within(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}/`)
}

export function storePath(s: Pick<Store, 'province' | 'city' | 'code'>): string {
  return `group/${s.province}/${s.city}/${s.code}`
}
export const provincePath = (province: string) => `group/${province}`
export const cityPath = (province: string, city: string) => `group/${province}/${city}`

/** Names that would break a unit path. */
export function badUnitName(name: string): boolean {
  return name.length === 0 || name.includes('/')
}

export type Action = 'read' | 'evaluate' | 'certify' | 'admin'

const ROLES_FOR: Record<Action, readonly Role[]> = {
  read: ['store-manager', 'inspector', 'certifier', 'admin', 'viewer'],
  evaluate: ['store-manager', 'inspector'],
  certify: ['certifier'],
  admin: ['admin'],
}

export function may(actor: Actor, action: Action, unit: string): boolean {
  return actor.roles.some((r) => ROLES_FOR[action].includes(r.role) && within(unit, r.unit))
}

export function demand(actor: Actor, action: Action, unit: string): void {
  if (!may(actor, action, unit)) throw forbidden(`${actor.username} may not ${action} in ${unit}`)
}

/** The units a user's reads cover (the roots of their role bindings). */
export function readRoots(actor: Actor): string[] {
  const units = [...new Set(actor.roles.map((r) => r.unit))].sort()
  return units.filter((u) => !units.some((o) => o !== u && within(u, o)))
}

const LEVEL_REVIEWER: Partial<Record<UnitKind, Reviewer>> = {
  group: 'group',
  province: 'province',
  city: 'city',
}

/**
 * The reviewer levels an account may evaluate a store at: a store manager only its own store's
 * self-assessment; an inspector at its unit's level (city, province or group) for the stores
 * under it. Most specific first.
 */
export function reviewersFor(actor: Actor, storeUnit: string): Reviewer[] {
  const out = new Set<Reviewer>()
  const depth = (u: string) => u.split('/').length
  const byDepth = [...actor.roles].sort((a, b) => depth(b.unit) - depth(a.unit))
  for (const r of byDepth) {
    if (!within(storeUnit, r.unit)) continue
    if (r.role === 'store-manager' && r.unit === storeUnit) out.add('self')
    if (r.role === 'inspector') {
      const level = LEVEL_REVIEWER[unitKind(r.unit)]
      if (level) out.add(level)
    }
  }
  return [...out]
}

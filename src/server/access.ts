/**
 * Who may do what where: the one place that answers "may this user do this to this unit?"
 * (routes and the push path ask here, never decide ad hoc). A role is bound to a unit and
 * covers everything under it.
 */
import type { Role, RoleBinding } from '../protocol'
import { forbidden } from './errors'

export interface Actor {
  id: number
  username: string
  displayName: string
  roles: RoleBinding[]
  deviceId: string | null
}

// The unit paths and the reviewer rule are shared with the app (src/protocol/access.ts).
export { reviewersFor, storePath, unitKind, within, type UnitKind } from '../protocol/access'
import { within } from '../protocol/access'

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

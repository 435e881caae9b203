/**
 * Which reviewer levels a set of role bindings may evaluate a store at, and the unit paths they
 * are read against. Shared by the server (it refuses anything else) and the app (it offers only
 * these), so the rule exists once. Pure: no Node, no DOM, no Dexie.
 */
import type { Reviewer, Store } from '../domain/types'
import type { RoleBinding } from './index'

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
export function reviewersFor(
  actor: { roles: readonly RoleBinding[] },
  storeUnit: string,
): Reviewer[] {
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

export type CertifyStepName = 'city-certify' | 'province-certify' | 'group-certify'

/**
 * The unit path a certification step is taken in: a city step (`省/市`) in its city, a province
 * step in its province, the group's confirmation of a province in the group. Null: the unit is
 * not written the way the step needs.
 */
export function stepPath(step: CertifyStepName, unit: string): string | null {
  const parts = unit.split('/')
  if (parts.some((p) => p.length === 0)) return null
  if (step === 'city-certify') return parts.length === 2 ? `group/${parts[0]}/${parts[1]}` : null
  if (parts.length !== 1) return null
  return step === 'group-certify' ? 'group' : `group/${parts[0]}`
}

/** Whether the role bindings hold a certifier role covering `path` (a step's or a store's). */
export function mayCertify(actor: { roles: readonly RoleBinding[] }, path: string): boolean {
  return actor.roles.some((r) => r.role === 'certifier' && within(path, r.unit))
}

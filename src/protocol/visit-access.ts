/**
 * Who plans visits (issue 13), the one check shared by the server and the app; zod-free so the
 * home page can ask it without loading the protocol's schemas. Pure.
 */
import type { RoleBinding } from './index'
import { reviewersFor, unitKind, within } from './access'

/** The roles that plan visits: the office (admin, certifier) of a city, a province or the group. */
const PLANNER_ROLES = new Set(['admin', 'certifier'])

/** The units a caller plans in: their admin and certifier bindings above store level. */
export function planningUnits(roles: readonly RoleBinding[]): string[] {
  return [
    ...new Set(
      roles
        .filter((r) => PLANNER_ROLES.has(r.role) && unitKind(r.unit) !== 'store')
        .map((r) => r.unit),
    ),
  ]
}

/**
 * The one planning check: one of the planner's units contains the store, and the inspector
 * holds an inspector role inside that same unit that covers the store (so they may inspect it).
 */
export function mayPlanVisit(
  planner: readonly RoleBinding[],
  inspector: readonly RoleBinding[],
  storeUnit: string,
): boolean {
  return planningUnits(planner).some(
    (u) =>
      within(storeUnit, u) &&
      inspector.some(
        (r) => r.role === 'inspector' && within(r.unit, u) && within(storeUnit, r.unit),
      ) &&
      reviewersFor({ roles: inspector }, storeUnit).some((rv) => rv !== 'self'),
  )
}

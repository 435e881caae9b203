/**
 * Visit plans (issue 13): which inspector visits which store by when. The schemas of the plan
 * endpoints and of the `visit` record the pull carries, and the one planning rule, shared by
 * the server (it refuses anything else) and the app (it offers only these). Pure: zod only.
 */
import { z } from 'zod'

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'not a calendar date')

export const MAX_PLAN_STORES = 500

/** POST /api/visits: one inspector, one date, one store or a batch from a filtered list. */
export const planVisits = z.strictObject({
  inspectorId: z.number().int().positive(),
  due: day,
  storeCodes: z
    .array(z.string().min(1).max(200))
    .min(1)
    .max(MAX_PLAN_STORES, `at most ${MAX_PLAN_STORES} stores in one plan`),
  note: z.string().trim().max(500).optional(),
})
export type PlanVisits = z.infer<typeof planVisits>

/** A planned visit as stored on the server and pulled by the tablets (record kind `visit`). */
export const visitPlan = z.object({
  id: z.string(),
  storeCode: z.string(),
  inspectorId: z.number().int(),
  inspectorName: z.string(),
  due: z.string(),
  note: z.string().nullable(),
  plannedById: z.number().int(),
  plannedByName: z.string(),
  plannedAt: z.string(),
})
export type VisitPlan = z.infer<typeof visitPlan>

export const planVisitsResponse = z.object({ visits: z.array(visitPlan) })
export const visitList = planVisitsResponse

/** GET /api/visits/inspectors: who the caller may plan, with the units they inspect. */
export const plannableInspectors = z.object({
  inspectors: z.array(
    z.object({
      id: z.number().int(),
      username: z.string(),
      displayName: z.string(),
      units: z.array(z.string()),
    }),
  ),
})
export type PlannableInspector = z.infer<typeof plannableInspectors>['inspectors'][number]

export { mayPlanVisit, planningUnits } from './visit-access'

/**
 * Visit plans on the tablet (issue 13): where a planned visit stands, derived from the data and
 * never from a flag someone must set. A visit is done once an inspection (any reviewer but the
 * store's own self-assessment) of its store is submitted at or after the moment the visit was
 * planned; otherwise it is overdue after its date, due today, due this week or later.
 *
 * Days are China Standard Time (UTC+8, no daylight saving), as the submission status counts
 * them (`periodEnd`). Weeks run Monday to Sunday. Pure: everything comes in as arguments.
 */
import { periodEnd } from './submission-status'
import type { Period, Reviewer } from './types'

export interface PlannedVisit {
  id: string
  storeCode: string
  due: string
  plannedAt: string
}

export interface InspectionLike {
  id: string
  storeCode: string
  reviewer: Reviewer
  status: string
  submittedAt: string | null
}

export type VisitState = 'done' | 'overdue' | 'today' | 'week' | 'later'

export interface VisitStanding {
  state: VisitState
  /** The submitted inspection that made the visit done. */
  evaluationId: string | null
  doneAt: string | null
}

const CST_MS = 8 * 3_600_000
const DAY_MS = 86_400_000

/** The calendar day (YYYY-MM-DD) of a moment in China Standard Time. */
export function chinaDay(at: Date): string {
  return new Date(at.getTime() + CST_MS).toISOString().slice(0, 10)
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10)
}

/** The Sunday ending the week (Monday to Sunday) that holds `day`. */
export function weekEnd(day: string): string {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay() // 0 = Sunday
  return addDays(day, dow === 0 ? 0 : 7 - dow)
}

/** Where one visit stands at `now`, given the inspections the device holds. */
export function visitStanding(
  visit: PlannedVisit,
  inspections: readonly InspectionLike[],
  now: Date,
): VisitStanding {
  const planned = Date.parse(visit.plannedAt)
  let done: InspectionLike | null = null
  for (const e of inspections) {
    if (e.storeCode !== visit.storeCode || e.status !== 'submitted' || e.reviewer === 'self')
      continue
    if (e.submittedAt === null || !(Date.parse(e.submittedAt) >= planned)) continue
    if (!done || e.submittedAt < done.submittedAt!) done = e
  }
  if (done) return { state: 'done', evaluationId: done.id, doneAt: done.submittedAt }
  const today = chinaDay(now)
  const state: VisitState =
    visit.due < today
      ? 'overdue'
      : visit.due === today
        ? 'today'
        : visit.due <= weekEnd(today)
          ? 'week'
          : 'later'
  return { state, evaluationId: null, doneAt: null }
}

export interface VisitGroups<V extends PlannedVisit> {
  overdue: (V & VisitStanding)[]
  today: (V & VisitStanding)[]
  week: (V & VisitStanding)[]
  later: (V & VisitStanding)[]
  /** Done visits whose date is this week or later, or that were done this week. */
  done: (V & VisitStanding)[]
}

/** "My visits": each visit with its standing, grouped, soonest first. */
export function groupVisits<V extends PlannedVisit>(
  visits: readonly V[],
  inspections: readonly InspectionLike[],
  now: Date,
): VisitGroups<V> {
  const out: VisitGroups<V> = { overdue: [], today: [], week: [], later: [], done: [] }
  const weekStart = addDays(weekEnd(chinaDay(now)), -6)
  for (const v of visits) {
    const s = { ...v, ...visitStanding(v, inspections, now) }
    if (s.state !== 'done') out[s.state].push(s)
    else if (v.due >= weekStart || (s.doneAt !== null && chinaDay(new Date(s.doneAt)) >= weekStart))
      out.done.push(s)
  }
  for (const list of Object.values(out) as (V & VisitStanding)[][])
    list.sort((a, b) => a.due.localeCompare(b.due) || a.storeCode.localeCompare(b.storeCode))
  return out
}

export type SelfAssessmentState = 'done' | 'due' | 'overdue'

export interface SelfAssessmentDue {
  period: Period
  /** The last day (China time) a self-assessment of the period is due. */
  due: string
  state: SelfAssessmentState
  /** Whole days from today to the due day (negative once overdue). */
  daysLeft: number
  submittedAt: string | null
}

/**
 * When a store's self-assessment for a period is due. The seeds say the city company
 * self-assesses and reports upward (002:L146, L150) but give no date; the rule here is common
 * practice and the submission status's own: by the last day of the period (China time), after
 * which a store with nothing submitted counts as overdue. Null: not a period we understand.
 */
export function selfAssessmentDue(
  period: Period,
  storeCode: string,
  evaluations: readonly (InspectionLike & { period: string })[],
  now: Date,
): SelfAssessmentDue | null {
  const end = periodEnd(period)
  if (!end) return null
  const due = chinaDay(new Date(end.getTime() - 1))
  const self = evaluations
    .filter(
      (e) =>
        e.storeCode === storeCode &&
        e.period === period &&
        e.reviewer === 'self' &&
        e.status === 'submitted',
    )
    .map((e) => e.submittedAt)
    .filter((s): s is string => s !== null)
    .sort()[0]
  const today = chinaDay(now)
  const daysLeft = Math.round(
    (Date.parse(`${due}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS,
  )
  const state: SelfAssessmentState = self ? 'done' : daysLeft < 0 ? 'overdue' : 'due'
  return { period, due, state, daysLeft, submittedAt: self ?? null }
}

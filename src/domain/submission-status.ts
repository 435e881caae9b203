/**
 * Live submission status for a period (issue 13): per city, how many stores are inspected,
 * only self-assessed, not yet evaluated, or overdue (nothing submitted and the period is over),
 * and each store's state for the drill-down. The server answers it for the province office from
 * its data; an unconnected device computes the same from its own. Pure: the clock is passed in.
 */
import type { Period, Reviewer, Store } from './types'

export const SUBMISSION_STATES = ['inspected', 'self-assessed', 'not-yet', 'overdue'] as const
export type SubmissionState = (typeof SUBMISSION_STATES)[number]

export interface SubmittedEvaluation {
  storeCode: string
  reviewer: Reviewer
  submittedAt: string | null
}

export interface StoreSubmission {
  code: string
  name: string
  province: string
  city: string
  state: SubmissionState
  /** Latest submitted inspection (city, province or group) and self-assessment. */
  inspectedAt: string | null
  selfAssessedAt: string | null
}

export interface CitySubmission {
  province: string
  city: string
  total: number
  counts: Record<SubmissionState, number>
}

/** The moment a period ends (exclusive), in UTC+8 (China Standard Time, no daylight saving). */
export function periodEnd(period: Period): Date | null {
  const m = /^(\d{4})(?:-(Q([1-4])|H([12])|(\d{2})))?$/.exec(period)
  if (!m) return null
  const y = Number(m[1])
  const month = m[3] ? Number(m[3]) * 3 : m[4] ? Number(m[4]) * 6 : m[5] ? Number(m[5]) : 12
  // Midnight at the start of the next month in UTC+8 is 16:00 UTC the day before.
  return new Date(Date.UTC(y, month, 1, -8))
}

const latest = (a: string | null, b: string | null) => (a === null || (b !== null && b > a) ? b : a)

export function submissionStatus(
  stores: readonly Store[],
  submitted: readonly SubmittedEvaluation[],
  period: Period,
  now: Date,
): { cities: CitySubmission[]; stores: StoreSubmission[] } {
  const end = periodEnd(period)
  const over = end !== null && now.getTime() >= end.getTime()
  const by = new Map<
    string,
    { inspected: boolean; self: boolean; inspectedAt: string | null; selfAt: string | null }
  >()
  for (const e of submitted) {
    const s = by.get(e.storeCode) ?? {
      inspected: false,
      self: false,
      inspectedAt: null,
      selfAt: null,
    }
    if (e.reviewer === 'self') {
      s.self = true
      s.selfAt = latest(s.selfAt, e.submittedAt)
    } else {
      s.inspected = true
      s.inspectedAt = latest(s.inspectedAt, e.submittedAt)
    }
    by.set(e.storeCode, s)
  }
  const rows: StoreSubmission[] = []
  const cities = new Map<string, CitySubmission>()
  for (const st of stores) {
    const s = by.get(st.code)
    const state: SubmissionState = s?.inspected
      ? 'inspected'
      : s?.self
        ? 'self-assessed'
        : over
          ? 'overdue'
          : 'not-yet'
    rows.push({
      code: st.code,
      name: st.name,
      province: st.province,
      city: st.city,
      state,
      inspectedAt: s?.inspectedAt ?? null,
      selfAssessedAt: s?.selfAt ?? null,
    })
    const key = `${st.province}/${st.city}`
    const c = cities.get(key) ?? {
      province: st.province,
      city: st.city,
      total: 0,
      counts: { inspected: 0, 'self-assessed': 0, 'not-yet': 0, overdue: 0 },
    }
    c.total++
    c.counts[state]++
    cities.set(key, c)
  }
  const order = (a: { province: string; city: string }, b: { province: string; city: string }) =>
    a.province.localeCompare(b.province, 'zh') || a.city.localeCompare(b.city, 'zh')
  return {
    cities: [...cities.values()].sort(order),
    stores: rows.sort((a, b) => order(a, b) || a.code.localeCompare(b.code)),
  }
}

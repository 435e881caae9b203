/** One bar series of a chart. */
export interface ChartSeries {
  label: string
  /** One value per label; null leaves a gap (e.g. a section N/A for this store). */
  data: (number | null)[]
  color: string
}

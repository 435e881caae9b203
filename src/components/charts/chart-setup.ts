/**
 * Chart.js is loaded only by the charts screen (dynamic import), and only the controllers,
 * elements and scales these charts use are registered, so the chunk stays small.
 */
import type { Chart, ChartType, Plugin } from 'chart.js'

export type ChartModule = typeof import('chart.js')
let loading: Promise<ChartModule> | null = null

export function loadChartJs(): Promise<ChartModule> {
  loading ??= import('chart.js').then((m) => {
    m.Chart.register(
      m.BarController,
      m.BarElement,
      m.LineController,
      m.LineElement,
      m.PointElement,
      m.RadarController,
      m.RadialLinearScale,
      m.CategoryScale,
      m.LinearScale,
      m.Filler,
      m.Legend,
      m.Tooltip,
    )
    return m
  })
  return loading
}

export interface ThresholdLineOptions {
  values: number[]
  labels?: string[]
  color?: string
}

/**
 * Vertical dashed lines at x values (the 80 / 90 / 95 grade bounds on the histogram). A few
 * lines of canvas drawing, instead of the annotation plugin as another dependency.
 */
export const thresholdLines: Plugin<ChartType, ThresholdLineOptions> = {
  id: 'thresholdLines',
  afterDatasetsDraw(chart: Chart, _args, opts) {
    const x = chart.scales.x
    if (!x || !opts?.values) return
    const { top, bottom, left, right } = chart.chartArea
    const ctx = chart.ctx
    ctx.save()
    ctx.strokeStyle = opts.color ?? '#c62828'
    ctx.fillStyle = opts.color ?? '#c62828'
    ctx.lineWidth = 2
    ctx.setLineDash([6, 4])
    ctx.font = '12px sans-serif'
    opts.values.forEach((v, i) => {
      const px = x.getPixelForValue(v)
      if (px < left || px > right) return
      ctx.beginPath()
      ctx.moveTo(px, top)
      ctx.lineTo(px, bottom)
      ctx.stroke()
      const label = opts.labels?.[i]
      if (label) ctx.fillText(label, px + 4, top + 14)
    })
    ctx.restore()
  },
}

/** Paints a white background so a saved PNG is not transparent (unreadable on dark viewers). */
export const whiteBackground: Plugin = {
  id: 'whiteBackground',
  beforeDraw(chart: Chart) {
    const { ctx, width, height } = chart
    ctx.save()
    ctx.globalCompositeOperation = 'destination-over'
    ctx.fillStyle = '#fff'
    ctx.fillRect(0, 0, width, height)
    ctx.restore()
  },
}

export const GRADE_COLORS = {
  excellent: '#1b7f3b',
  good: '#3b82c4',
  pass: '#c49a06',
  fail: '#c62828',
} as const

/**
 * One Chart.js chart on a canvas. Chart.js is imported on the first draw (loadChartJs), so it
 * never weighs on the app's first load. The chart is rebuilt whenever its configuration changes:
 * rebuilding is cheap at these sizes and avoids mutating Chart.js's internal state from reactive
 * data.
 */
import { onBeforeUnmount, ref, shallowRef, watch, type Ref } from 'vue'
import type { Chart, ChartConfiguration } from 'chart.js'
import { loadChartJs, type ChartModule } from '@/components/charts/chart-setup'
import { downloadBytes } from '@/composables/useRankingExport'

export function useChart(
  canvas: Readonly<Ref<HTMLCanvasElement | null>>,
  config: () => ChartConfiguration | null,
  /** Runs after Chart.js has loaded and before each chart is made (e.g. to set its defaults). */
  beforeCreate?: (chartJs: ChartModule) => void,
) {
  const chart = shallowRef<Chart | null>(null)
  /** True until Chart.js has loaded. */
  const loading = ref(true)
  let unmounted = false

  watch(
    [config, canvas],
    async ([cfg, el]) => {
      if (!el) return
      const chartJs = await loadChartJs()
      // Unmounted while Chart.js loaded: a chart made now would never be destroyed.
      if (unmounted) return
      loading.value = false
      beforeCreate?.(chartJs)
      chart.value?.destroy()
      chart.value = cfg ? new chartJs.Chart(el, cfg) : null
    },
    { immediate: true },
  )
  onBeforeUnmount(() => {
    unmounted = true
    chart.value?.destroy()
    chart.value = null
  })

  function savePng(fileName: string): void {
    // toBlob + object URL rather than a data: URL: the CSP allows blob: and it avoids a huge string.
    chart.value?.canvas.toBlob((blob) => {
      if (blob) downloadBytes(blob, `${fileName}.png`, 'image/png')
    }, 'image/png')
  }

  return { chart, loading, savePng }
}

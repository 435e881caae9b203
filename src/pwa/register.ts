import { registerSW } from 'virtual:pwa-register'
import { pwaState } from './state'

/**
 * `registerType: 'prompt'`: a new service worker waits until the user accepts. The page is
 * never reloaded on its own, because an inspector may be in the middle of a form.
 */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return
  const update = registerSW({
    immediate: true,
    onNeedRefresh() {
      pwaState.needRefresh.value = true
    },
    onOfflineReady() {
      pwaState.offlineReady.value = true
    },
    onRegisteredSW(_url, registration) {
      if (!registration) return
      // Look for updates when the device comes back online and every hour while open.
      const check = () => {
        if (navigator.onLine) registration.update().catch(() => undefined)
      }
      window.addEventListener('online', check)
      setInterval(check, 60 * 60 * 1000)
    },
  })
  pwaState.applyUpdate = () => update(true)
}

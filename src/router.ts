import type { App } from 'vue'
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { loadMessages, type LazyMessages } from '@/i18n'

declare module 'vue-router' {
  interface RouteMeta {
    /** Message domains only this screen uses, loaded before it shows (see `i18n/index.ts`). */
    messages?: LazyMessages[]
    /** The screen watches the organisation's data: a connected device pulls every few seconds. */
    live?: boolean
  }
}

/**
 * Each domain folder under views/ declares its own routes (`views/<domain>/routes.ts`).
 * Every view is lazy, its own chunk: charts, exports and the form load only when visited.
 */
const domainRoutes = import.meta.glob<{ default: RouteRecordRaw[] }>('./views/*/routes.ts', {
  eager: true,
})

export const routes: RouteRecordRaw[] = [
  ...Object.values(domainRoutes).flatMap((m) => m.default),
  { path: '/:pathMatch(.*)*', name: 'not-found', redirect: '/' },
]

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
  scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
})

router.beforeEach((to) => loadMessages(to.matched.flatMap((r) => r.meta.messages ?? [])))

export function installRouter(app: App): void {
  app.use(router)
}

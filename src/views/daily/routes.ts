import type { RouteRecordRaw } from 'vue-router'

export default [
  { path: '/daily', name: 'daily', component: () => import('./DailyCheckView.vue') },
] satisfies RouteRecordRaw[]

import type { RouteRecordRaw } from 'vue-router'

export default [
  {
    path: '/daily',
    name: 'daily',
    component: () => import('./DailyCheckView.vue'),
    meta: { messages: ['evaluation', 'visit'] },
  },
] satisfies RouteRecordRaw[]

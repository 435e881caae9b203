import type { RouteRecordRaw } from 'vue-router'

/** Visit planning (issue 13): loaded only when visited. */
export default [
  {
    path: '/plans',
    name: 'plans',
    component: () => import('./PlanVisitsView.vue'),
    meta: { messages: ['planning'] },
  },
] satisfies RouteRecordRaw[]

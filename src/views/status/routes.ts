import type { RouteRecordRaw } from 'vue-router'

/** The province office's live submission status (issue 13). */
export default [
  {
    path: '/status',
    name: 'status',
    component: () => import('./StatusView.vue'),
    meta: { messages: ['status'], live: true },
  },
] satisfies RouteRecordRaw[]

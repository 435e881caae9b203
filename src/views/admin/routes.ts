import type { RouteRecordRaw } from 'vue-router'

/** The admin screen (issue 13): the users of the account's units. Connected admins only. */
export default [
  {
    path: '/admin',
    name: 'admin',
    component: () => import('./AdminView.vue'),
    meta: { messages: ['admin'] },
  },
] satisfies RouteRecordRaw[]

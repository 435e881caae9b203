import type { RouteRecordRaw } from 'vue-router'

export default [
  {
    path: '/exchange',
    name: 'exchange',
    component: () => import('./ExchangeView.vue'),
    meta: { messages: ['exchange'] },
  },
] satisfies RouteRecordRaw[]

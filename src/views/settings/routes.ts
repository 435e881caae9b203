import type { RouteRecordRaw } from 'vue-router'

export default [
  {
    path: '/settings',
    name: 'settings',
    component: () => import('./SettingsView.vue'),
    meta: { messages: ['exchange', 'stores', 'conflicts', 'visit'] },
  },
] satisfies RouteRecordRaw[]

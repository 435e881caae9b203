import type { RouteRecordRaw } from 'vue-router'

export default [
  {
    path: '/settings',
    name: 'settings',
    component: () => import('./SettingsView.vue'),
    meta: { messages: ['exchange'] },
  },
] satisfies RouteRecordRaw[]

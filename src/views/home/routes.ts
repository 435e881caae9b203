import type { RouteRecordRaw } from 'vue-router'

export default [
  { path: '/', name: 'home', component: () => import('./HomeView.vue') },
] satisfies RouteRecordRaw[]

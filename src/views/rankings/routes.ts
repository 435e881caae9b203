import type { RouteRecordRaw } from 'vue-router'

/** Provincial staff screens (issue 5): rankings, level-by-level certification, charts. */
export default [
  {
    path: '/rankings',
    name: 'rankings',
    component: () => import('./RankingsView.vue'),
    meta: { messages: ['rankings', 'certify', 'scores'], live: true },
  },
  {
    path: '/rankings/import',
    name: 'score-import',
    component: () => import('./ScoreImportView.vue'),
    meta: { messages: ['scores', 'stores'] },
  },
  {
    path: '/certification',
    name: 'certification',
    component: () => import('./CertificationView.vue'),
    meta: { messages: ['rankings', 'certify', 'scores'], live: true },
  },
  {
    path: '/charts',
    name: 'charts',
    component: () => import('./ChartsView.vue'),
    meta: { messages: ['rankings', 'charts', 'scores'], live: true },
  },
] satisfies RouteRecordRaw[]

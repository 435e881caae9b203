import type { RouteRecordRaw } from 'vue-router'

export default [
  {
    path: '/evaluations/new',
    name: 'evaluation-new',
    component: () => import('./NewEvaluationView.vue'),
  },
  {
    path: '/evaluations/:id',
    name: 'evaluation',
    component: () => import('./EvaluationFormView.vue'),
    props: true,
  },
  {
    path: '/evaluations/:id/result',
    name: 'evaluation-result',
    component: () => import('./EvaluationResultView.vue'),
    props: true,
  },
] satisfies RouteRecordRaw[]

import type { RouteMeta, RouteRecordRaw } from 'vue-router'

/** The form's, the result's and the visit record's words come with these screens. */
const meta = { messages: ['evaluation', 'visit'] } satisfies RouteMeta

export default [
  {
    path: '/evaluations/new',
    name: 'evaluation-new',
    component: () => import('./NewEvaluationView.vue'),
    meta,
  },
  {
    path: '/evaluations/:id',
    name: 'evaluation',
    component: () => import('./EvaluationFormView.vue'),
    meta,
    props: true,
  },
  {
    path: '/evaluations/:id/result',
    name: 'evaluation-result',
    component: () => import('./EvaluationResultView.vue'),
    meta,
    props: true,
  },
] satisfies RouteRecordRaw[]

import type { RouteMeta, RouteRecordRaw } from 'vue-router'

/** Every store screen's words come with it (see `i18n/index.ts`). */
const meta = { messages: ['stores', 'evaluation', 'visit'] } satisfies RouteMeta

export default [
  {
    path: '/stores',
    name: 'stores',
    component: () => import('./StoreListView.vue'),
    meta,
  },
  {
    path: '/stores/new',
    name: 'store-new',
    component: () => import('./StoreEditView.vue'),
    meta,
  },
  {
    path: '/stores/import',
    name: 'store-import',
    component: () => import('./StoreImportView.vue'),
    meta,
  },
  {
    path: '/stores/:code',
    name: 'store',
    component: () => import('./StorePageView.vue'),
    meta,
    props: true,
  },
  {
    path: '/stores/:code/edit',
    name: 'store-edit',
    component: () => import('./StoreEditView.vue'),
    meta,
    props: true,
  },
] satisfies RouteRecordRaw[]

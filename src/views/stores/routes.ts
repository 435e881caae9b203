import type { RouteRecordRaw } from 'vue-router'

export default [
  { path: '/stores', name: 'stores', component: () => import('./StoreListView.vue') },
  { path: '/stores/new', name: 'store-new', component: () => import('./StoreEditView.vue') },
  {
    path: '/stores/import',
    name: 'store-import',
    component: () => import('./StoreImportView.vue'),
  },
  {
    path: '/stores/:code',
    name: 'store',
    component: () => import('./StorePageView.vue'),
    props: true,
  },
  {
    path: '/stores/:code/edit',
    name: 'store-edit',
    component: () => import('./StoreEditView.vue'),
    props: true,
  },
] satisfies RouteRecordRaw[]

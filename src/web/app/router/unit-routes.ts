import type { RouteRecordRaw } from 'vue-router';

/** The responsible unit's pages, under /unit/... */
const routes: RouteRecordRaw[] = [
  {
    path: '/unit/inbox',
    component: () => import('../views/unit/InboxView.vue'),
    meta: { title: '我的待办', roles: ['unit'], menu: '工作台', icon: 'Bell' },
  },
  {
    path: '/unit/problems',
    component: () => import('../views/unit/ProblemsView.vue'),
    meta: { title: '本单位问题', roles: ['unit'], menu: '工作台', icon: 'List' },
  },
];

export default routes;

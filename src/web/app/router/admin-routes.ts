import type { RouteRecordRaw } from 'vue-router';

/** The administrator's pages, under /admin/... (owned by the office pages). Units and persons are the office's too. */
const routes: RouteRecordRaw[] = [
  {
    path: '/admin/units',
    component: () => import('../views/admin/UnitsView.vue'),
    meta: { title: '单位管理', menu: '组织与账号', icon: 'OfficeBuilding', roles: ['admin', 'office'] },
  },
  {
    path: '/admin/persons',
    component: () => import('../views/admin/PersonsView.vue'),
    meta: { title: '人员管理', menu: '组织与账号', icon: 'User', roles: ['admin', 'office'] },
  },
  {
    path: '/admin/accounts',
    component: () => import('../views/admin/AccountsView.vue'),
    meta: { title: '账号管理', menu: '组织与账号', icon: 'Key', roles: ['admin'] },
  },
  {
    path: '/admin/audit',
    component: () => import('../views/admin/AuditView.vue'),
    meta: { title: '审计日志', menu: '组织与账号', icon: 'List', roles: ['admin'] },
  },
];

export default routes;

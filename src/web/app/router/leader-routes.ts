import type { RouteRecordRaw } from 'vue-router';
import type { Role } from '../auth';

const READERS: Role[] = ['leader', 'inspector', 'office', 'admin'];

/** The leaders' and inspectors' pages, under /leader/... (the office reads them too). */
const routes: RouteRecordRaw[] = [
  {
    path: '/leader/review',
    component: () => import('../views/leader/ReviewView.vue'),
    meta: { title: '挂图作战', roles: READERS, menu: '领导驾驶舱', icon: 'Share', wall: true },
  },
  {
    path: '/leader/mine',
    component: () => import('../views/leader/MineView.vue'),
    meta: { title: '我的包保', roles: ['leader'], menu: '领导驾驶舱', icon: 'Stamp' },
  },
  {
    path: '/leader/dashboard',
    component: () => import('../views/leader/DashboardView.vue'),
    meta: { title: '统计分析', roles: READERS, menu: '领导驾驶舱', icon: 'DataAnalysis' },
  },
  {
    path: '/leader/bulletins',
    component: () => import('../views/leader/BulletinsView.vue'),
    meta: { title: '月度通报', roles: ['leader', 'inspector'], menu: '领导驾驶舱', icon: 'Notebook' },
  },
  {
    path: '/leader/overdue',
    component: () => import('../views/leader/OverdueView.vue'),
    meta: { title: '督办室超期事项', roles: ['leader', 'inspector'], menu: '领导驾驶舱', icon: 'Warning' },
  },
];

export default routes;

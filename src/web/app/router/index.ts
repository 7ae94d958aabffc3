import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import './meta';
import { homeOf, useSession } from '../auth';
import AppLayout from '../layout/AppLayout.vue';
import unitRoutes from './unit-routes';
import officeRoutes from './office-routes';
import adminRoutes from './admin-routes';
import leaderRoutes from './leader-routes';
import commonRoutes from './common-routes';
import petitionRoutes from './petition-routes';

/** Every page that is drawn inside the layout (menu + top bar), in menu order. */
export const layoutRoutes: RouteRecordRaw[] = [
  ...unitRoutes,
  ...officeRoutes,
  ...adminRoutes,
  ...leaderRoutes,
  ...petitionRoutes,
  ...commonRoutes,
];

/** Addresses of the earlier plain pages, kept working. */
const OLD: Record<string, string> = {
  '/inbox': '/unit/inbox',
  '/review': '/leader/review',
  '/dashboard': '/leader/dashboard',
  '/ledger': '/office/ledger',
};

const routes: RouteRecordRaw[] = [
  { path: '/login', component: () => import('../views/login/LoginView.vue'), meta: { title: '登录', anonymous: true } },
  {
    path: '/public',
    component: () => import('../views/public/PublicView.vue'),
    meta: { title: '整改信息公开', anonymous: true },
  },
  {
    path: '/public/petitions/:id?',
    component: () => import('../views/public/PublicPetitionsView.vue'),
    meta: { title: '信访件办理情况公开', anonymous: true },
  },
  ...Object.entries(OLD).map(([from, to]) => ({
    path: from,
    redirect: () => (from === '/inbox' ? homeOf(useSession().user?.role) : to),
  })),
  {
    path: '/',
    component: AppLayout,
    redirect: () => homeOf(useSession().user?.role),
    children: [
      ...layoutRoutes,
      {
        path: '/:rest(.*)*',
        component: () => import('../views/common/NotFoundView.vue'),
        meta: { title: '页面不存在', hidden: true },
      },
    ],
  },
];

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach((to) => {
  const session = useSession();
  if (to.meta.anonymous) return true;
  if (!session.token || !session.user) return { path: '/login', query: { next: to.fullPath } };
  return true;
});

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} - 督办系统` : '督办系统';
});

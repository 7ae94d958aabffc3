import type { RouteRecordRaw } from 'vue-router';
import type { Role } from '../auth';

/** 边督边改: the complaint batches, for the office (import, publish) and the readers (numbers, report). */
const READERS: Role[] = ['office', 'admin', 'leader', 'inspector'];

const routes: RouteRecordRaw[] = [
  {
    path: '/office/petitions',
    component: () => import('../views/office/petitions/PetitionBatchesView.vue'),
    meta: { title: '信访件批次', menu: '边督边改', icon: 'ChatLineSquare', roles: READERS },
  },
  {
    path: '/office/petitions/:id',
    component: () => import('../views/office/petitions/PetitionBatchView.vue'),
    meta: { title: '信访件批次详情', menu: '边督边改', hidden: true, roles: READERS },
  },
];

export default routes;

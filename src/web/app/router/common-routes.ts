import type { RouteRecordRaw } from 'vue-router';

/** Pages every signed-in role shares: a problem, a task, the messages. */
const routes: RouteRecordRaw[] = [
  {
    path: '/problems/:id',
    component: () => import('../views/common/ProblemView.vue'),
    meta: { title: '问题详情', hidden: true },
  },
  {
    path: '/tasks/:id',
    component: () => import('../views/common/TaskView.vue'),
    meta: { title: '办理事项', hidden: true },
  },
  {
    path: '/messages',
    component: () => import('../views/common/MessagesView.vue'),
    meta: { title: '消息中心', menu: '消息', icon: 'Message' },
  },
];

export default routes;

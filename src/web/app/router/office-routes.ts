import type { RouteRecordRaw } from 'vue-router';
import '../views/office/shared/office.css';

/** The supervision office's pages, under /office/... (owned by the office pages). */
const OFFICE = ['office', 'admin'] as const;
const page = (
  path: string,
  title: string,
  menu: string,
  icon: string,
  component: RouteRecordRaw['component'],
): RouteRecordRaw => ({ path, component, meta: { title, menu, icon, roles: [...OFFICE] } }) as RouteRecordRaw;

const routes: RouteRecordRaw[] = [
  page(
    '/office/problems',
    '问题清单',
    '问题管理',
    'Tickets',
    () => import('../views/office/problems/ProblemsView.vue'),
  ),
  page('/office/ledger', '整改台账', '问题管理', 'Notebook', () => import('../views/office/ledger/LedgerView.vue')),
  page('/office/reviews', '方案审核', '审核销号', 'Stamp', () => import('../views/office/tasks/ReviewsView.vue')),
  page(
    '/office/sign-off',
    '验收销号',
    '审核销号',
    'CircleCheck',
    () => import('../views/office/tasks/SignOffView.vue'),
  ),
  page(
    '/office/supervision',
    '督办措施',
    '督办问责',
    'Bell',
    () => import('../views/office/supervision/SupervisionView.vue'),
  ),
  page(
    '/office/bulletins',
    '月通报',
    '督办问责',
    'Document',
    () => import('../views/office/bulletins/BulletinsView.vue'),
  ),
  page(
    '/office/interviews',
    '约谈',
    '督办问责',
    'ChatDotRound',
    () => import('../views/office/supervision/InterviewsView.vue'),
  ),
  page(
    '/office/inspections',
    '专项督察',
    '督办问责',
    'View',
    () => import('../views/office/supervision/InspectionsView.vue'),
  ),
  page(
    '/office/accountability',
    '追责问责',
    '督办问责',
    'Warning',
    () => import('../views/office/supervision/AccountabilityView.vue'),
  ),
  page(
    '/office/indicators',
    '目标指标',
    '督办问责',
    'TrendCharts',
    () => import('../views/office/indicators/IndicatorsView.vue'),
  ),
  page(
    '/office/assessment',
    '年度考核',
    '督办问责',
    'Medal',
    () => import('../views/office/assessment/AssessmentView.vue'),
  ),
  page(
    '/office/calendar',
    '工作日历',
    '运行设置',
    'Calendar',
    () => import('../views/office/calendar/CalendarView.vue'),
  ),
  page(
    '/office/settings',
    '督办升级设置',
    '运行设置',
    'Setting',
    () => import('../views/office/settings/SettingsView.vue'),
  ),
  page('/office/channels', '通知渠道', '运行设置', 'Message', () => import('../views/office/notify/ChannelsView.vue')),
  page(
    '/office/incidents',
    '异常事件',
    '运行设置',
    'WarningFilled',
    () => import('../views/office/incidents/IncidentsView.vue'),
  ),
];

export default routes;

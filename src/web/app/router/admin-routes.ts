import type { RouteRecordRaw } from 'vue-router';

/** The administrator's pages, under /admin/... (owned by the office pages). */
const routes: RouteRecordRaw[] = [];

export default routes;

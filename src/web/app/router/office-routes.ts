import type { RouteRecordRaw } from 'vue-router';

/** The supervision office's pages, under /office/... (owned by the office pages). */
const routes: RouteRecordRaw[] = [];

export default routes;

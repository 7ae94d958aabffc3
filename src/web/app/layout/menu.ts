import type { RouteRecordRaw } from 'vue-router';
import type { Role } from '../auth';

export interface MenuItem {
  path: string;
  title: string;
  icon?: string;
}
export interface MenuGroup {
  title: string;
  icon?: string;
  items: MenuItem[];
}

/** The left menu: the routes' meta, grouped by `meta.menu` (in order of first appearance), for one role. */
export function buildMenu(routes: RouteRecordRaw[], role: Role | undefined): MenuGroup[] {
  const groups: MenuGroup[] = [];
  for (const r of routes) {
    const m = r.meta;
    if (!m?.title || m.hidden || !role) continue;
    if (m.roles && !m.roles.includes(role)) continue;
    if (r.path.includes(':')) continue;
    const name = m.menu ?? m.title;
    let g = groups.find((x) => x.title === name);
    if (!g) groups.push((g = { title: name, icon: m.icon, items: [] }));
    g.items.push({ path: r.path, title: m.title, icon: m.icon });
  }
  return groups;
}

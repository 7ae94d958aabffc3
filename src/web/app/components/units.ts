import { ref } from 'vue';
import { api } from '../api';
import type { Unit } from '../types';

const names = ref<Record<string, string>>({});
let loading: Promise<void> | null = null;

/** Unit names by code (GET /api/units, once per page load); a code not known shows as the code. */
export function useUnits() {
  loading ??= api
    .get<Unit[] | { items: Unit[] }>('/api/units')
    .then((r) => {
      const list = Array.isArray(r) ? r : r.items;
      names.value = Object.fromEntries(list.map((u) => [u.code, u.name]));
    })
    .catch(() => {
      loading = null;
    });
  const unitName = (code: string | null | undefined) => (code ? (names.value[code] ?? code) : '—');
  /** A task's candidate groups as people read them: unit names, or the office, the inspectors… */
  const groupsText = (groups: string[]) => groups.map((g) => GROUPS[g] ?? unitName(g)).join('、');
  return { names, unitName, groupsText, ready: loading };
}

const GROUPS: Record<string, string> = {
  office: '督办办公室',
  inspector: '督察组',
  leader: '领导',
  admin: '系统管理员',
};

// Units and persons as the office and admin pages pick them (everyone signed in reads the units).
import { ref } from 'vue';
import { api } from '../../../api';

export interface Unit {
  code: string;
  name: string;
  parentCode: string | null;
  /** province, city, county, town; null for a department (it acts at its parent's level). */
  level?: string | null;
  levelLabel?: string | null;
}

/** The levels a unit may sit at, from the top. */
export const UNIT_LEVELS = [
  { value: 'province', label: '省级' },
  { value: 'city', label: '市级' },
  { value: 'county', label: '县级' },
  { value: 'town', label: '乡镇级' },
];

export interface Person {
  id: string;
  name: string;
  unitCode: string;
  role: string;
  phone: string | null;
}

let cache: Promise<Unit[]> | null = null;

export function loadUnits(fresh = false): Promise<Unit[]> {
  if (fresh || !cache)
    cache = api.get<Unit[]>('/api/units').catch((e) => {
      cache = null;
      throw e;
    });
  return cache;
}

/** The units, loaded once per page, and their names by code. */
export function useUnits() {
  const units = ref<Unit[]>([]);
  const reload = async (fresh = false) => {
    units.value = await loadUnits(fresh);
  };
  const unitName = (code: string | null | undefined): string => {
    if (!code) return '—';
    return units.value.find((u) => u.code === code)?.name ?? code;
  };
  return { units, reload, unitName };
}

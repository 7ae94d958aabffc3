// Unit names by code (everyone signed in may read the units).
import { api } from './api.js';

let cache;
export async function units() {
  cache ??= api('/api/units').catch(() => []);
  return cache;
}

export async function unitNames() {
  const list = await units();
  const map = new Map(list.map((u) => [u.code, u.name]));
  return (code) => map.get(code) || code || '—';
}

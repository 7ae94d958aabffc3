/** BullMQ's connection options from a redis:// or rediss:// URL (every queue of the service uses the same). */
export function redisConnection(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname && u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    maxRetriesPerRequest: null,
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/**
 * Whether an error means the database could not be reached or its connection broke (the server is down or
 * restarting, the network dropped, a timeout waiting for it or for a lock), rather than the request or the
 * data being at fault. Such a call is answered 503 with Retry-After: nothing was committed, and the same call
 * may succeed a moment later.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; name?: string; message?: string } | null | undefined;
  if (!e || typeof e !== 'object') return false;
  if (UNAVAILABLE_CODES.has(e.code ?? '')) return true;
  // The connection broke mid-transaction: TypeORM released it, and the transaction's next query says so.
  if (e.name === 'QueryRunnerProviderAlreadyReleasedError' || e.name === 'QueryRunnerAlreadyReleasedError') return true;
  return UNAVAILABLE_MESSAGE.test(e.message ?? '');
}

const UNAVAILABLE_CODES = new Set([
  // the network
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  // PostgreSQL: connection exceptions (class 08), shutting down or starting up (57P01-57P03), too many connections,
  // a lock not had within lock_timeout, a session ended for idling in a transaction
  '55P03',
  '25P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error and is not queryable|Client was closed and is not queryable|Connection is not established/i;

/** The error, or the cause it wraps (a handler's failure wrapping its query's), that says the database is unavailable. */
export function databaseUnavailableCause(err: unknown): unknown {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e; depth++) {
    if (isDatabaseUnavailable(e)) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

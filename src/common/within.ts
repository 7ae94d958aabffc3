/**
 * `work`, or a rejection after `ms` when it has not settled by then. The work itself goes on (there is no
 * cancelling it); a failure of it after the deadline is swallowed, the caller having been answered already.
 */
export function within<T>(work: Promise<T>, ms: number, what = 'the work'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
    timer.unref();
  });
  work.catch(() => undefined);
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

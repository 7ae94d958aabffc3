import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource } from 'typeorm';

/**
 * Counts the statements a data source sends to PostgreSQL, each one a round trip: every `query` of its query
 * runners (the transaction's START TRANSACTION and COMMIT included), whichever manager or repository sent it,
 * made by the work being measured: what runs beside it (a reconciler's pass, a job's sweep) is not counted.
 */
export class StatementCounter {
  private readonly scope = new AsyncLocalStorage<{ count: number; sql: string[] | null }>();
  private readonly restore: () => void;
  private everything: { count: number; sql: string[] | null } | null = null;

  constructor(db: DataSource) {
    const runner = db.createQueryRunner();
    const proto = Object.getPrototypeOf(runner) as { query: (...args: unknown[]) => Promise<unknown> };
    void runner.release();
    const original = proto.query;
    const scope = this.scope;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const counter = this;
    proto.query = function (this: unknown, ...args: unknown[]) {
      for (const measuring of [scope.getStore(), counter.everything]) {
        if (!measuring) continue;
        measuring.count++;
        measuring.sql?.push(String(args[0]).replace(/\s+/g, ' ').slice(0, 160));
      }
      return original.apply(this, args);
    };
    this.restore = () => {
      proto.query = original;
    };
  }

  /** The statements `fn` sends (and, when `keep`, their text, for a message naming them). */
  async measure<T>(fn: () => Promise<T>, keep = true): Promise<{ value: T; statements: number; sql: string[] }> {
    const store = { count: 0, sql: keep ? ([] as string[]) : null };
    const value = await this.scope.run(store, fn);
    return { value, statements: store.count, sql: store.sql ?? [] };
  }

  /**
   * Everything the data source sends while `fn` runs, whoever sends it: for work that leaves this async context
   * (an HTTP request the server handles in its own), on a process doing nothing else.
   */
  async measureAll<T>(fn: () => Promise<T>): Promise<{ value: T; statements: number; sql: string[] }> {
    const store = { count: 0, sql: [] as string[] };
    this.everything = store;
    try {
      const value = await fn();
      return { value, statements: store.count, sql: store.sql };
    } finally {
      this.everything = null;
    }
  }

  close(): void {
    this.restore();
  }
}

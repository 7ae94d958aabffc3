import type { DataSource } from 'typeorm';

/**
 * Counts the statements a data source sends to PostgreSQL, each one a round trip: every `query` of its query
 * runners (the transaction's START TRANSACTION and COMMIT included), whichever manager or repository sent it.
 */
export class StatementCounter {
  private count = 0;
  private log: string[] | null = null;
  private readonly restore: () => void;

  constructor(db: DataSource) {
    const runner = db.createQueryRunner();
    const proto = Object.getPrototypeOf(runner) as { query: (...args: unknown[]) => Promise<unknown> };
    void runner.release();
    const original = proto.query;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const counter = this;
    proto.query = function (this: unknown, ...args: unknown[]) {
      counter.count++;
      counter.log?.push(String(args[0]).replace(/\s+/g, ' ').slice(0, 160));
      return original.apply(this, args);
    };
    this.restore = () => {
      proto.query = original;
    };
  }

  /** The statements `fn` sends (and, when `keep`, their text, for a message naming them). */
  async measure<T>(fn: () => Promise<T>, keep = true): Promise<{ value: T; statements: number; sql: string[] }> {
    const before = this.count;
    const log: string[] = [];
    this.log = keep ? log : null;
    try {
      const value = await fn();
      return { value, statements: this.count - before, sql: log };
    } finally {
      this.log = null;
    }
  }

  get total(): number {
    return this.count;
  }

  close(): void {
    this.restore();
  }
}

import { Logger } from '@nestjs/common';
import { MigrationExecutor, type DataSource, type QueryRunner } from 'typeorm';

/** The advisory lock key of the migrations: the same on every node (the audit chain's is 7210441906). */
export const MIGRATION_LOCK = 7210441907;
const POLL_MS = 250;
/** Longer than any migration of this service; a node that waits longer fails and is retried by the pool's retry. */
const MAX_WAIT_MS = 15 * 60_000;

/**
 * Runs the pending migrations under a PostgreSQL advisory lock, on the one session that holds it, so nodes
 * that boot together on an empty database migrate once: the first runs them, the others wait and then
 * find nothing to do. A node that dies mid-migration ends its session, and with it the lock.
 */
export async function migrateUnderLock(ds: DataSource, logger = new Logger('database')): Promise<void> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await lock(runner, logger);
    try {
      const executor = new MigrationExecutor(ds, runner);
      executor.transaction = 'each';
      const ran = await executor.executePendingMigrations();
      const names = ran.map((m) => m.name).join(', ');
      if (ran.length) logger.log(`applied ${ran.length} migration${ran.length === 1 ? '' : 's'}: ${names}`);
    } finally {
      // A session gone with the error has let the lock go already.
      await runner.query(`SELECT pg_advisory_unlock($1)`, [MIGRATION_LOCK]).catch(() => undefined);
    }
  } finally {
    await runner.release();
  }
}

async function lock(runner: QueryRunner, logger: Logger): Promise<void> {
  const deadline = Date.now() + MAX_WAIT_MS;
  let told = false;
  for (;;) {
    const [row]: { locked: boolean }[] = await runner.query(`SELECT pg_try_advisory_lock($1) AS locked`, [
      MIGRATION_LOCK,
    ]);
    if (row.locked) return;
    if (!told) logger.log('another node is migrating the database; waiting for it');
    told = true;
    if (Date.now() > deadline) {
      throw new Error(`the migration lock was held for more than ${MAX_WAIT_MS / 60_000} minutes by another session`);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

import cluster, { type Worker } from 'node:cluster';
import { Logger } from '@nestjs/common';

const RESTART_MS = 1_000;

/**
 * DUBAN_WORKERS=N: this process forks N copies of the service, one after another, that share its port (node
 * cluster hands each connection to one of them) and serves nothing itself. A worker that dies after it was listening is started
 * again; one that dies before (it cannot boot: the database, a migration, the configuration) stops the node with
 * its exit code rather than loop; SIGTERM and SIGINT stop every worker gracefully, then this process.
 */
export function servePort(workers: number): void {
  const logger = new Logger('cluster');
  let stopping = false;
  const listening = new Set<number>();
  const alive = () => Object.keys(cluster.workers ?? {}).length;
  let forked = 0;
  const fork = () => {
    forked++;
    cluster.fork();
  };
  // One after another: the first migrates and deploys while the others wait, and the node answers as soon as it
  // is listening, however slow the machine, while the rest boot behind it.
  cluster.on('listening', (w: Worker) => {
    listening.add(w.id);
    if (forked < workers && !stopping) fork();
  });
  cluster.on('exit', (w: Worker, code, signal) => {
    const served = listening.delete(w.id);
    if (stopping) {
      if (!alive()) process.exit(process.exitCode ?? 0);
      return;
    }
    if (!served) {
      logger.error(
        `worker ${w.process.pid} ended before it was listening (${signal ?? `exit ${code}`}); the node stops`,
      );
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
      process.exitCode = code || 1;
      if (!alive()) process.exit(code || 1);
      return;
    }
    logger.warn(`worker ${w.process.pid} ended (${signal ?? `exit ${code}`}); starting another`);
    setTimeout(() => cluster.fork(), RESTART_MS).unref();
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
    if (!alive()) process.exit(0);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  fork();
}

import type { EntityManager } from 'typeorm';
import type { DefinitionRow } from '../../engine/definition.service.js';
import type { StepService } from '../../engine/step.service.js';
import type { StepAfterCommit } from '../rectification/step-after-commit.js';

/** Processes bound to their rows per statement. */
export const BIND = 500;

/**
 * One process per row of an import, in the caller's transaction `m`, through the engine's pipelined start
 * (StepService.startMany: the engine runs of the next rows beside the writes of the current one, and none for a
 * start that can be put off until its first step), bound to
 * their rows BIND at a time in one statement. `starting` hears the row being started (a failure names it,
 * null once all are), `started` each process started.
 */
export async function startProcesses<T extends { id: string }>(
  steps: StepService,
  def: DefinitionRow,
  rows: T[],
  how: {
    m: EntityManager;
    after: StepAfterCommit;
    businessKey: (row: T) => string;
    variables: (row: T) => Record<string, unknown>;
    bind: (bound: { id: string; instanceId: string }[], m: EntityManager) => Promise<void>;
    starting?: (row: T | null) => void;
    started?: () => void;
  },
): Promise<void> {
  const { m, after } = how;
  let bound: { id: string; instanceId: string }[] = [];
  await steps.startMany(def, rows, {
    m,
    after,
    businessKey: how.businessKey,
    variables: how.variables,
    // Nothing of a process that only waits after its start can matter before its first step (deferred-start.ts).
    defer: true,
    starting: (row) => how.starting?.(row),
    started: async (row, inst) => {
      bound.push({ id: row.id, instanceId: inst.id });
      how.started?.();
      if (bound.length === BIND) {
        await how.bind(bound, m);
        bound = [];
      }
    },
  });
  how.starting?.(null);
  if (bound.length) await how.bind(bound, m);
}

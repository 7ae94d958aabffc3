import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainException, notFound } from '../common/domain-exception.js';
import { returned } from '../common/sql.js';
import { DefinitionService, type Queryable } from './definition.service.js';
import { TimerDriver } from './timers/timer-driver.js';

/**
 * A check a domain module registers: given the instances a deletion would remove, the reason they must stay
 * (the module's records point at them), or null. Run in the deletion's transaction.
 */
export type InstanceDeletionGuard = (instanceIds: string[], q: Queryable) => Promise<string | null>;

const MAX_INSTANCES = 10_000;

/**
 * Removes a deployment with its definitions. Instances of them (and the instances they called) are removed only
 * with `cascade`, never when a called instance's parent lives on elsewhere or a domain module still points at one.
 */
@Injectable()
export class DeploymentDeletion {
  private readonly logger = new Logger('deploy');
  private readonly guards: InstanceDeletionGuard[] = [];

  constructor(
    private readonly db: DataSource,
    private readonly definitions: DefinitionService,
    private readonly driver: TimerDriver,
  ) {}

  guardInstances(guard: InstanceDeletionGuard): void {
    this.guards.push(guard);
  }

  async delete(deploymentId: string, cascade: boolean): Promise<{ definitions: number; instances: number }> {
    let timerIds: string[] = [];
    let definitionIds: string[] = [];
    const result = await this.db.transaction(async (m) => {
      const [dep] = await m.query(`SELECT id FROM engine_deployment WHERE id = $1 FOR UPDATE`, [deploymentId]);
      if (!dep) throw notFound('deployment', deploymentId);
      definitionIds = (await m.query(`SELECT id FROM engine_definition WHERE deployment_id = $1`, [deploymentId])).map(
        (r: { id: string }) => r.id,
      );
      const tree: { id: string; parent_id: string | null }[] = await m.query(
        `WITH RECURSIVE tree AS (
           SELECT id, parent_id FROM engine_instance WHERE definition_id = ANY($1::text[])
           UNION SELECT c.id, c.parent_id FROM engine_instance c JOIN tree t ON c.parent_id = t.id
         ) SELECT id, parent_id FROM tree LIMIT ${MAX_INSTANCES + 1}`,
        [definitionIds],
      );
      const ids = tree.map((r) => r.id);
      if (ids.length && !cascade) {
        throw new DomainException(
          'DEPLOYMENT_IN_USE',
          409,
          `Deletion of deployment ${deploymentId} without cascading failed: it has ${ids.length} process instance(s); delete with cascade=true to remove them`,
        );
      }
      if (ids.length > MAX_INSTANCES)
        throw new DomainException(
          'DEPLOYMENT_IN_USE',
          409,
          `deployment ${deploymentId} has more than ${MAX_INSTANCES} process instances: end or delete them first`,
        );
      const inSet = new Set(ids);
      const outside = tree.filter((r) => r.parent_id && !inSet.has(r.parent_id));
      if (outside.length) {
        throw new DomainException(
          'DEPLOYMENT_IN_USE',
          409,
          `instance ${outside[0].id} was called by instance ${outside[0].parent_id} of another deployment: deleting it would leave its caller waiting forever`,
        );
      }
      if (ids.length) {
        // Serialized with every step of these instances: a running step finishes first, none starts after.
        await m.query(`SELECT id FROM engine_instance WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [ids]);
        for (const guard of this.guards) {
          const reason = await guard(ids, m);
          if (reason)
            throw new DomainException(
              'DEPLOYMENT_IN_USE',
              409,
              `deployment ${deploymentId} cannot be deleted: ${reason}`,
            );
        }
        timerIds = returned<{ id: string }>(
          await m.query(`DELETE FROM engine_timer WHERE instance_id = ANY($1::uuid[]) RETURNING id`, [ids]),
        ).map((t) => t.id);
        await m.query(
          `UPDATE engine_instance SET parent_id = NULL WHERE id = ANY($1::uuid[]) AND parent_id IS NOT NULL`,
          [ids],
        );
        // Tasks, subscriptions, external tasks, history, incidents, local variables and comments go with them (ON DELETE CASCADE).
        await m.query(`DELETE FROM engine_instance WHERE id = ANY($1::uuid[])`, [ids]);
      }
      await m.query(`DELETE FROM engine_definition WHERE deployment_id = $1`, [deploymentId]);
      await m.query(`DELETE FROM engine_deployment WHERE id = $1`, [deploymentId]);
      return { definitions: definitionIds.length, instances: ids.length };
    });
    this.definitions.forget(definitionIds);
    if (timerIds.length)
      await this.driver
        .unschedule(timerIds)
        .catch((e) => this.logger.warn(`unscheduling timers of deployment ${deploymentId}: ${(e as Error).message}`));
    this.logger.log(
      `deployment ${deploymentId} deleted with ${result.definitions} definition(s) and ${result.instances} instance(s)`,
    );
    return result;
  }
}

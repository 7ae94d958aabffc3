import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid } from './engine.service.js';

export interface ResourceRow {
  id: string;
  deployment_id: string;
  name: string;
  kind: 'bpmn' | 'form' | 'dmn';
}

/** The files kept with each deployment (engine_resource), as Camunda's repository lists them. */
@Injectable()
export class DeploymentResourceService {
  constructor(private readonly db: DataSource) {}

  /** The deployment's resources by name; null when there is no such deployment. */
  async list(deploymentId: string): Promise<ResourceRow[] | null> {
    if (!isUuid(deploymentId)) return null;
    const [deployment] = await this.db.query(`SELECT 1 FROM engine_deployment WHERE id = $1`, [deploymentId]);
    if (!deployment) return null;
    return this.db.query(
      `SELECT id, deployment_id, name, kind FROM engine_resource WHERE deployment_id = $1 ORDER BY name, id`,
      [deploymentId],
    );
  }

  async content(deploymentId: string, resourceId: string): Promise<(ResourceRow & { content: Buffer }) | null> {
    if (!isUuid(deploymentId) || !isUuid(resourceId)) return null;
    const [row] = await this.db.query(
      `SELECT id, deployment_id, name, kind, content FROM engine_resource WHERE deployment_id = $1 AND id = $2`,
      [deploymentId, resourceId],
    );
    return row ?? null;
  }
}

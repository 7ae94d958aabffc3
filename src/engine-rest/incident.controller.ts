import { Controller, Get, Param, UseFilters } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { restNotFound } from './camunda-error.js';
import { CamundaExceptionFilter } from './camunda-exception.filter.js';
import { IncidentQuery } from './dto/incident.dto.js';
import { isUuid } from './format.js';
import { incidentDto } from './mappers.js';
import { RestQuery } from './params.js';
import { SqlFilter, orderBy } from './sql.js';

/**
 * Open incidents. `configuration` names what failed: the job id (the incident's own id, see /job) for a
 * failedJob, the external task id for a failedExternalTask.
 */
const SELECT = `SELECT * FROM (
  SELECT n.id, n.instance_id, n.activity_id, n.incident_type, n.message, n.created_at, i.definition_id,
         CASE WHEN n.incident_type = 'failedExternalTask'
              THEN (SELECT x.id::text FROM engine_external_task x WHERE x.instance_id = n.instance_id AND x.activity_id = n.activity_id LIMIT 1)
              ELSE n.id::text END AS configuration
    FROM engine_incident n JOIN engine_instance i ON i.id = n.instance_id
   WHERE n.resolved_at IS NULL) n`;
const COLUMNS: Record<string, string> = {
  incidentId: 'n.id',
  incidentMessage: 'n.message',
  incidentTimestamp: 'n.created_at',
  incidentType: 'n.incident_type',
  activityId: 'n.activity_id',
  processInstanceId: 'n.instance_id',
  processDefinitionId: 'n.definition_id',
  causeIncidentId: 'n.id',
  rootCauseIncidentId: 'n.id',
  configuration: 'n.configuration',
  executionId: 'n.id',
  tenantId: 'n.id',
};

@ApiTags('engine-rest')
@Controller('engine-rest/incident')
@UseFilters(CamundaExceptionFilter)
export class IncidentController {
  constructor(private readonly db: DataSource) {}

  @Get()
  async list(@RestQuery() q: IncidentQuery) {
    const f = this.filter(q);
    const rows = await this.db.query(
      `${SELECT} ${f.where()} ${orderBy(q.sortBy, q.sortOrder, COLUMNS, 'n.created_at', 'n.id')} ${f.page(q.firstResult, q.maxResults)}`,
      f.params,
    );
    return rows.map(incidentDto);
  }

  @Get('count')
  async count(@RestQuery() q: IncidentQuery) {
    const f = this.filter(q);
    const [row] = await this.db.query(`SELECT count(*)::int AS count FROM (${SELECT} ${f.where()}) c`, f.params);
    return { count: row.count };
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    const [row] = isUuid(id) ? await this.db.query(`${SELECT} WHERE n.id = $1`, [id]) : [];
    if (!row) throw restNotFound(`Incident with id ${id} does not exist`);
    return incidentDto(row);
  }

  private filter(q: IncidentQuery): SqlFilter {
    return new SqlFilter()
      .uuid(q.incidentId, (p) => `n.id = ${p}::uuid`)
      .when(q.incidentType, (p) => `n.incident_type = ${p}`)
      .when(q.incidentMessage, (p) => `n.message = ${p}`)
      .when(q.incidentMessageLike, (p) => `n.message LIKE ${p}`)
      .when(q.processDefinitionId, (p) => `n.definition_id = ${p}`)
      .uuid(q.processInstanceId, (p) => `n.instance_id = ${p}::uuid`)
      .when(q.activityId, (p) => `n.activity_id = ${p}`)
      .when(q.failedActivityId, (p) => `n.activity_id = ${p}`)
      .when(q.configuration, (p) => `n.configuration = ${p}`)
      .tenants(q);
  }
}

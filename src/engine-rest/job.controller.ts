import { Controller, Get, HttpCode, Param, Put, UseFilters } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { DomainException } from '../common/domain-exception.js';
import { EngineService } from '../engine/engine.service.js';
import { invalidRequest, restNotFound } from './camunda-error.js';
import { CamundaExceptionFilter } from './camunda-exception.filter.js';
import { JobQuery, RetriesDto } from './dto/job.dto.js';
import { parseCamundaDate } from './format.js';
import { jobDto } from './mappers.js';
import { RestBody, RestQuery } from './params.js';
import { SqlFilter, orderBy } from './sql.js';

/**
 * Jobs as Camunda shows them: every durable timer is a timer job (retries 3, or 0 with the incident's
 * message while its instance has an open incident), and every open failedJob incident is a message job
 * (a failed service step, retries 0), so a client can retry it with PUT /job/{id}/retries.
 */
const JOBS = `WITH jobs AS (
  SELECT t.id, t.activity_id, t.instance_id, i.definition_id, i.definition_key, t.execution_id, t.expire_at AS due_at, t.created_at,
         inc.message AS exception_message, inc.activity_id AS failed_activity_id, inc.id AS incident_id,
         CASE WHEN inc.id IS NULL THEN 3 ELSE 0 END AS retries, 'timer' AS kind
    FROM engine_timer t JOIN engine_instance i ON i.id = t.instance_id
    LEFT JOIN LATERAL (SELECT n.id, n.message, n.activity_id FROM engine_incident n
                        WHERE n.instance_id = t.instance_id AND n.resolved_at IS NULL ORDER BY n.created_at LIMIT 1) inc ON true
  UNION ALL
  SELECT n.id::text, coalesce(n.activity_id, ''), n.instance_id, i.definition_id, i.definition_key, NULL, NULL, n.created_at,
         n.message, n.activity_id, n.id, 0, 'message'
    FROM engine_incident n JOIN engine_instance i ON i.id = n.instance_id
   WHERE n.resolved_at IS NULL AND n.incident_type = 'failedJob'
) SELECT j.* FROM jobs j`;
const COLUMNS: Record<string, string> = {
  jobId: 'j.id',
  executionId: 'j.execution_id',
  processInstanceId: 'j.instance_id',
  processDefinitionId: 'j.definition_id',
  processDefinitionKey: 'j.definition_key',
  jobPriority: 'j.id',
  jobRetries: 'j.retries',
  jobDueDate: 'j.due_at',
  tenantId: 'j.id',
};

@ApiTags('engine-rest')
@Controller('engine-rest/job')
@UseFilters(CamundaExceptionFilter)
export class JobController {
  constructor(
    private readonly db: DataSource,
    private readonly engine: EngineService,
  ) {}

  @Get()
  async list(@RestQuery() q: JobQuery) {
    const f = this.filter(q);
    const rows = await this.db.query(
      `${JOBS} ${f.where()} ${orderBy(q.sortBy, q.sortOrder, COLUMNS, 'j.due_at', 'j.id')} ${f.page(q.firstResult, q.maxResults)}`,
      f.params,
    );
    return rows.map(jobDto);
  }

  @Get('count')
  async count(@RestQuery() q: JobQuery) {
    const f = this.filter(q);
    const [row] = await this.db.query(`SELECT count(*)::int AS count FROM (${JOBS} ${f.where()}) c`, f.params);
    return { count: row.count };
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    return jobDto(await this.job(id));
  }

  /**
   * Retries above 0 on a job whose instance has an open incident retry that incident now. A retry that
   * fails again keeps the incident, with the new message, as Camunda records a failed job execution.
   * Retries 0 on a timer changes nothing: timers do not fail by hand here.
   */
  @Put(':id/retries')
  @HttpCode(204)
  async retries(@Param('id') id: string, @RestBody() dto: RetriesDto) {
    const job = await this.job(id);
    if (dto.retries <= 0 || !job.incident_id) return;
    try {
      await this.engine.retryIncident(job.incident_id);
    } catch (err) {
      if (err instanceof DomainException && (err.code === 'INCIDENT' || err.code === 'CONFLICT')) return;
      throw err;
    }
  }

  private async job(id: string) {
    const [row] = await this.db.query(`${JOBS} WHERE j.id = $1`, [id]);
    if (!row) throw restNotFound(`Job with id ${id} does not exist`);
    return row;
  }

  private filter(q: JobQuery): SqlFilter {
    const f = new SqlFilter()
      .when(q.jobId, (p) => `j.id = ${p}`)
      .when(q.jobDefinitionId, (p) => `j.activity_id = ${p}`)
      .when(q.activityId, (p) => `j.activity_id = ${p}`)
      .uuid(q.processInstanceId, (p) => `j.instance_id = ${p}::uuid`)
      .when(q.executionId, (p) => `j.execution_id = ${p}`)
      .when(q.processDefinitionId, (p) => `j.definition_id = ${p}`)
      .when(q.processDefinitionKey, (p) => `j.definition_key = ${p}`)
      .flag(q.timers, `j.kind = 'timer'`)
      .flag(q.messages, `j.kind = 'message'`)
      .flag(q.withRetriesLeft || q.executable, 'j.retries > 0')
      .flag(q.noRetriesLeft || q.withException, 'j.retries = 0')
      .flag(q.suspended === true || q.active === false, 'FALSE')
      .tenants(q, q.includeJobsWithoutTenantId);
    for (const part of q.dueDates ? q.dueDates.split(',') : []) {
      const m = /^(gt|lt)_(.+)$/.exec(part.trim());
      if (!m)
        throw invalidRequest(
          `Cannot set query parameter 'dueDates' to value '${q.dueDates}': expected gt_<date> or lt_<date>`,
        );
      f.when(parseCamundaDate(m[2], 'dueDates'), (p) => `j.due_at ${m[1] === 'gt' ? '>' : '<'} ${p}`);
    }
    return f;
  }
}

import { Controller, Delete, Get, HttpCode, Param, Post, UseFilters } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { EngineService } from '../engine/engine.service.js';
import { restNotFound } from './camunda-error.js';
import { CamundaExceptionFilter } from './camunda-exception.filter.js';
import { DeleteInstanceQuery, ProcessInstanceQuery, ProcessInstanceQueryBody } from './dto/process-instance.dto.js';
import { PagingQuery } from './dto/transforms.js';
import { activityType, isUuid } from './format.js';
import { instanceDto } from './mappers.js';
import { RestBody, RestQuery } from './params.js';
import { SqlFilter, orderBy, orderByList } from './sql.js';
import { variableConditions } from './variable-filter.js';

const SELECT = `SELECT i.id, i.definition_id, i.definition_key, i.business_key, i.status FROM engine_instance i`;
const COLUMNS: Record<string, string> = {
  instanceId: 'i.id',
  definitionKey: 'i.definition_key',
  definitionId: 'i.definition_id',
  businessKey: 'i.business_key',
  tenantId: 'i.id',
};

/** Running process instances (Camunda's runtime view: an ended instance is gone from here). */
@ApiTags('engine-rest')
@Controller('engine-rest/process-instance')
@UseFilters(CamundaExceptionFilter)
export class ProcessInstanceController {
  constructor(
    private readonly db: DataSource,
    private readonly engine: EngineService,
  ) {}

  @Get()
  async list(@RestQuery() q: ProcessInstanceQuery) {
    const f = this.filter(q);
    const rows = await this.db.query(
      `${SELECT} ${f.where()} ${orderBy(q.sortBy, q.sortOrder, COLUMNS, 'i.started_at', 'i.id')} ${f.page(q.firstResult, q.maxResults)}`,
      f.params,
    );
    return rows.map((r: Record<string, unknown>) => instanceDto(r));
  }

  @Get('count')
  async count(@RestQuery() q: ProcessInstanceQuery) {
    const f = this.filter(q);
    const [row] = await this.db.query(`SELECT count(*)::int AS count FROM engine_instance i ${f.where()}`, f.params);
    return { count: row.count };
  }

  /** The same query with the filters in the body (`sorting: [{sortBy, sortOrder}]`), paging in the query string. */
  @Post()
  @HttpCode(200)
  async query(@RestBody() body: ProcessInstanceQueryBody, @RestQuery() page: PagingQuery) {
    const f = this.filter(body);
    const order = body.sorting?.length
      ? orderByList(body.sorting, COLUMNS, 'i.started_at', 'i.id')
      : orderBy(body.sortBy, body.sortOrder, COLUMNS, 'i.started_at', 'i.id');
    const rows = await this.db.query(
      `${SELECT} ${f.where()} ${order} ${f.page(page.firstResult ?? body.firstResult, page.maxResults ?? body.maxResults)}`,
      f.params,
    );
    return rows.map((r: Record<string, unknown>) => instanceDto(r));
  }

  @Post('count')
  @HttpCode(200)
  async queryCount(@RestBody() body: ProcessInstanceQueryBody) {
    const f = this.filter(body);
    const [row] = await this.db.query(`SELECT count(*)::int AS count FROM engine_instance i ${f.where()}`, f.params);
    return { count: row.count };
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    return instanceDto(await this.running(id));
  }

  /**
   * What runs now: the instance as the root, the activities waiting in it as its children (boundary events are
   * subscriptions, not activity instances), each with its open incidents. Activities inside sub-processes are
   * listed under the root too.
   */
  @Get(':id/activity-instances')
  async activityInstances(@Param('id') id: string) {
    const inst = await this.running(id);
    const [def] = await this.db.query(`SELECT name FROM engine_definition WHERE id = $1`, [inst.definition_id]);
    const open: {
      id: string;
      activity_id: string;
      activity_name: string | null;
      activity_type: string;
      execution_id: string;
    }[] = await this.db.query(
      `SELECT id::text, activity_id, activity_name, activity_type, execution_id FROM engine_history
       WHERE instance_id = $1 AND ended_at IS NULL AND activity_type <> 'bpmn:BoundaryEvent' ORDER BY started_at, id`,
      [id],
    );
    const incidents: { id: string; activity_id: string | null; incident_type: string }[] = await this.db.query(
      `SELECT id, activity_id, incident_type FROM engine_incident WHERE instance_id = $1 AND resolved_at IS NULL ORDER BY created_at`,
      [id],
    );
    const of = (activityId: string | null) => incidents.filter((n) => n.activity_id === activityId);
    return {
      id: inst.id,
      parentActivityInstanceId: null,
      activityId: inst.definition_id,
      activityType: 'processDefinition',
      processInstanceId: inst.id,
      processDefinitionId: inst.definition_id,
      childActivityInstances: open.map((h) => ({
        id: h.id,
        parentActivityInstanceId: inst.id,
        activityId: h.activity_id,
        activityType: activityType(h.activity_type),
        processInstanceId: inst.id,
        processDefinitionId: inst.definition_id,
        childActivityInstances: [],
        childTransitionInstances: [],
        executionIds: [h.execution_id],
        activityName: h.activity_name,
        name: h.activity_name,
        incidentIds: of(h.activity_id).map((n) => n.id),
        incidents: of(h.activity_id).map((n) => ({ id: n.id, activityId: h.activity_id })),
      })),
      childTransitionInstances: [],
      executionIds: [inst.id],
      activityName: def?.name ?? inst.definition_key,
      name: def?.name ?? inst.definition_key,
      incidentIds: of(null).map((n) => n.id),
      incidents: of(null).map((n) => ({ id: n.id, activityId: inst.definition_id })),
    };
  }

  /**
   * Cancels a running instance with its call-activity children; their history ends as canceled. An instance
   * that is not running is a 404, or nothing with `failIfNotExists=false`, as in Camunda.
   */
  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id') id: string, @RestQuery() q: DeleteInstanceQuery) {
    if (
      q.failIfNotExists === false &&
      !(
        isUuid(id) &&
        (await this.db.query(`SELECT 1 FROM engine_instance WHERE id = $1 AND status = 'active'`, [id])).length
      )
    )
      return;
    await this.running(id);
    await this.engine.deleteInstance(id, 'deleted via engine-rest');
  }

  private async running(id: string, withVariables = false) {
    const [row] = isUuid(id)
      ? await this.db.query(
          `SELECT i.id, i.definition_id, i.definition_key, i.business_key, i.status${withVariables ? ', i.variables, i.variable_types' : ''} FROM engine_instance i WHERE i.id = $1 AND i.status = 'active'`,
          [id],
        )
      : [];
    if (!row) throw restNotFound(`Process instance with id ${id} does not exist`);
    return row;
  }

  private filter(q: ProcessInstanceQuery): SqlFilter {
    const f = new SqlFilter()
      .flag(!q.completed, `i.status = 'active'`)
      .flag(q.completed, `i.status <> 'active'`)
      .flag(q.suspended === true || q.active === false, 'FALSE')
      .uuids(q.processInstanceIds, (p) => `i.id = ANY(${p}::uuid[])`)
      .when(q.businessKey, (p) => `i.business_key = ${p}`)
      .when(q.businessKeyLike, (p) => `i.business_key LIKE ${p}`)
      .when(q.processDefinitionKey, (p) => `i.definition_key = ${p}`)
      .when(q.processDefinitionKeyIn, (p) => `i.definition_key = ANY(${p}::text[])`)
      .when(q.processDefinitionId, (p) => `i.definition_id = ${p}`)
      .uuid(
        q.deploymentId,
        (p) => `i.definition_id IN (SELECT d.id FROM engine_definition d WHERE d.deployment_id = ${p}::uuid)`,
      )
      .uuid(q.superProcessInstance, (p) => `i.parent_id = ${p}::uuid`)
      .uuid(q.subProcessInstance, (p) => `i.id = (SELECT c.parent_id FROM engine_instance c WHERE c.id = ${p}::uuid)`)
      .flag(
        q.withIncident,
        `EXISTS (SELECT 1 FROM engine_incident n WHERE n.instance_id = i.id AND n.resolved_at IS NULL)`,
      )
      .when(
        q.incidentType,
        (p) =>
          `EXISTS (SELECT 1 FROM engine_incident n WHERE n.instance_id = i.id AND n.resolved_at IS NULL AND n.incident_type = ${p})`,
      )
      .tenants(q);
    return variableConditions(f, 'i.variables', q.variables, 'variables', {
      namesIgnoreCase: q.variableNamesIgnoreCase,
      valuesIgnoreCase: q.variableValuesIgnoreCase,
    });
  }
}

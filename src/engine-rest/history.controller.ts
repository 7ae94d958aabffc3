import { Controller, Get, Param, UseFilters } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { restNotFound } from './camunda-error.js';
import { CamundaExceptionFilter } from './camunda-exception.filter.js';
import { HistoricActivityInstanceQuery, HistoricProcessInstanceQuery } from './dto/history.dto.js';
import { isUuid, optionalDate } from './format.js';
import { historicActivityDto, historicProcessDto } from './mappers.js';
import { RestQuery } from './params.js';
import { SqlFilter, orderBy } from './sql.js';
import { variableConditions } from './variable-filter.js';

// The engine records a user task's id in its history row only in some steps, so an open task is also
// found by its execution.
const ACTIVITY_SELECT = `SELECT h.*, i.definition_key,
  coalesce(h.task_id, (SELECT t.id FROM engine_task t WHERE t.instance_id = h.instance_id AND t.execution_id = h.execution_id)) AS task_id,
  (SELECT c.id FROM engine_instance c WHERE c.parent_id = h.instance_id AND c.parent_execution_id = h.execution_id LIMIT 1) AS called_instance_id
  FROM engine_history h JOIN engine_instance i ON i.id = h.instance_id`;
const ACTIVITY_COLUMNS: Record<string, string> = {
  activityInstanceId: 'h.id',
  instanceId: 'h.instance_id',
  executionId: 'h.execution_id',
  activityId: 'h.activity_id',
  activityName: 'h.activity_name',
  activityType: 'h.activity_type',
  startTime: 'h.started_at',
  endTime: 'h.ended_at',
  duration: '(h.ended_at - h.started_at)',
  definitionId: 'h.definition_id',
  occurrence: 'h.id',
  tenantId: 'h.id',
};

const PROCESS_SELECT = `SELECT i.id, i.definition_id, i.definition_key, i.business_key, i.status, i.started_at, i.ended_at, i.end_reason, i.parent_id,
  d.name AS definition_name, d.version AS definition_version,
  (SELECT h.activity_id FROM engine_history h WHERE h.instance_id = i.id AND h.activity_type = 'bpmn:StartEvent' ORDER BY h.id LIMIT 1) AS start_activity_id
  FROM engine_instance i JOIN engine_definition d ON d.id = i.definition_id`;
const PROCESS_COLUMNS: Record<string, string> = {
  instanceId: 'i.id',
  definitionId: 'i.definition_id',
  definitionKey: 'i.definition_key',
  definitionName: 'd.name',
  definitionVersion: 'd.version',
  businessKey: 'i.business_key',
  startTime: 'i.started_at',
  endTime: 'i.ended_at',
  duration: '(i.ended_at - i.started_at)',
  tenantId: 'i.id',
};

/** History from engine_history and engine_instance: activity instances and process instances, ended ones included. */
@ApiTags('engine-rest')
@Controller('engine-rest/history')
@UseFilters(CamundaExceptionFilter)
export class HistoryController {
  constructor(private readonly db: DataSource) {}

  @Get('activity-instance')
  async activities(@RestQuery() q: HistoricActivityInstanceQuery) {
    const f = this.activityFilter(q);
    const rows = await this.db.query(
      `${ACTIVITY_SELECT} ${f.where()} ${orderBy(q.sortBy, q.sortOrder, ACTIVITY_COLUMNS, 'h.started_at', 'h.id')} ${f.page(q.firstResult, q.maxResults)}`,
      f.params,
    );
    return rows.map(historicActivityDto);
  }

  @Get('activity-instance/count')
  async activityCount(@RestQuery() q: HistoricActivityInstanceQuery) {
    const f = this.activityFilter(q);
    const [row] = await this.db.query(`SELECT count(*)::int AS count FROM engine_history h ${f.where()}`, f.params);
    return { count: row.count };
  }

  @Get('activity-instance/:id')
  async activity(@Param('id') id: string) {
    const [row] = /^\d{1,18}$/.test(id) ? await this.db.query(`${ACTIVITY_SELECT} WHERE h.id = $1`, [id]) : [];
    if (!row) throw restNotFound(`Historic activity instance with id ${id} does not exist`);
    return historicActivityDto(row);
  }

  @Get('process-instance')
  async processes(@RestQuery() q: HistoricProcessInstanceQuery) {
    const f = this.processFilter(q);
    const rows = await this.db.query(
      `${PROCESS_SELECT} ${f.where()} ${orderBy(q.sortBy, q.sortOrder, PROCESS_COLUMNS, 'i.started_at', 'i.id')} ${f.page(q.firstResult, q.maxResults)}`,
      f.params,
    );
    return rows.map(historicProcessDto);
  }

  @Get('process-instance/count')
  async processCount(@RestQuery() q: HistoricProcessInstanceQuery) {
    const f = this.processFilter(q);
    const [row] = await this.db.query(`SELECT count(*)::int AS count FROM engine_instance i ${f.where()}`, f.params);
    return { count: row.count };
  }

  @Get('process-instance/:id')
  async process(@Param('id') id: string) {
    const [row] = isUuid(id) ? await this.db.query(`${PROCESS_SELECT} WHERE i.id = $1`, [id]) : [];
    if (!row) throw restNotFound(`Historic process instance with id ${id} does not exist`);
    return historicProcessDto(row);
  }

  private activityFilter(q: HistoricActivityInstanceQuery): SqlFilter {
    const f = new SqlFilter();
    if (q.activityInstanceId !== undefined) {
      if (/^\d{1,18}$/.test(q.activityInstanceId)) f.when(q.activityInstanceId, (p) => `h.id = ${p}::bigint`);
      else f.flag(true, 'FALSE');
    }
    return (
      f
        .uuid(q.processInstanceId, (p) => `h.instance_id = ${p}::uuid`)
        .when(q.processDefinitionId, (p) => `h.definition_id = ${p}`)
        .when(q.executionId, (p) => `h.execution_id = ${p}`)
        .when(q.activityId, (p) => `h.activity_id = ${p}`)
        .when(q.activityIdIn, (p) => `h.activity_id = ANY(${p}::text[])`)
        .when(q.activityName, (p) => `h.activity_name = ${p}`)
        // Stored as bpmn-moddle's type ('bpmn:UserTask'), asked for as Camunda's ('userTask').
        .when(q.activityType, (p) => `lower(split_part(h.activity_type, ':', 2)) = lower(${p})`)
        .when(q.taskAssignee, (p) => `h.assignee = ${p}`)
        .flag(q.finished, 'h.ended_at IS NOT NULL')
        .flag(q.unfinished, 'h.ended_at IS NULL')
        .flag(q.canceled, 'h.canceled')
        .when(optionalDate(q.startedBefore, 'startedBefore'), (p) => `h.started_at <= ${p}`)
        .when(optionalDate(q.startedAfter, 'startedAfter'), (p) => `h.started_at >= ${p}`)
        .when(optionalDate(q.finishedBefore, 'finishedBefore'), (p) => `h.ended_at <= ${p}`)
        .when(optionalDate(q.finishedAfter, 'finishedAfter'), (p) => `h.ended_at >= ${p}`)
        .tenants(q)
    );
  }

  private processFilter(q: HistoricProcessInstanceQuery): SqlFilter {
    const f = new SqlFilter()
      .uuid(q.processInstanceId, (p) => `i.id = ${p}::uuid`)
      .uuids(q.processInstanceIds, (p) => `i.id = ANY(${p}::uuid[])`)
      .when(q.processInstanceBusinessKey, (p) => `i.business_key = ${p}`)
      .when(q.processInstanceBusinessKeyLike, (p) => `i.business_key LIKE ${p}`)
      .when(q.processDefinitionId, (p) => `i.definition_id = ${p}`)
      .when(q.processDefinitionKey, (p) => `i.definition_key = ${p}`)
      .when(q.processDefinitionKeyIn, (p) => `i.definition_key = ANY(${p}::text[])`)
      .flag(q.finished, `i.status <> 'active'`)
      .flag(q.unfinished, `i.status = 'active'`)
      .flag(q.active, `i.status = 'active'`)
      .flag(q.completed, `i.status = 'completed'`)
      .flag(q.externallyTerminated, `i.status = 'terminated'`)
      .flag(q.withIncidents, `EXISTS (SELECT 1 FROM engine_incident n WHERE n.instance_id = i.id)`)
      .uuid(q.superProcessInstanceId, (p) => `i.parent_id = ${p}::uuid`)
      .when(optionalDate(q.startedBefore, 'startedBefore'), (p) => `i.started_at <= ${p}`)
      .when(optionalDate(q.startedAfter, 'startedAfter'), (p) => `i.started_at >= ${p}`)
      .when(optionalDate(q.finishedBefore, 'finishedBefore'), (p) => `i.ended_at <= ${p}`)
      .when(optionalDate(q.finishedAfter, 'finishedAfter'), (p) => `i.ended_at >= ${p}`)
      .tenants(q);
    return variableConditions(f, 'i.variables', q.variables, 'variables', {
      namesIgnoreCase: q.variableNamesIgnoreCase,
      valuesIgnoreCase: q.variableValuesIgnoreCase,
    });
  }
}

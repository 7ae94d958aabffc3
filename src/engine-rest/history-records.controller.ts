import { Controller, Get, HttpCode, Post, UseFilters } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import type { VariableType } from '../engine/runtime/variable-changes.js';
import { CamundaExceptionFilter } from './camunda-exception.filter.js';
import {
  HistoricIncidentQuery,
  HistoricTaskQuery,
  HistoricTaskQueryBody,
  HistoricVariableInstancePaging,
  HistoricVariableInstanceQuery,
  HistoricVariableInstanceQueryBody,
} from './dto/history-records.dto.js';
import { PagingQuery } from './dto/transforms.js';
import { camundaDate, ms } from './format.js';
import { RestBody, RestQuery } from './params.js';
import { SqlFilter, orderBy, orderByList } from './sql.js';
import { valueEquals, variableConditions } from './variable-filter.js';
import { toTypedValue } from './variables.js';

/* Rows of the unions below, as the queries name their columns. */
interface VariableRow {
  id: string;
  name: string;
  value: unknown;
  tag: VariableType | null;
  type: string | null;
  value_info: Record<string, unknown> | null;
  instance_id: string;
  definition_id: string;
  definition_key: string;
  execution_id: string;
  activity_instance_id: string;
  task_id: string | null;
  created_at: Date;
}

// The last value of every process variable (ended instances included), and the activities' local variables.
const VARIABLES = `(
  SELECT i.id::text || ':' || e.k AS id, e.k AS name, e.v AS value, i.variable_types -> e.k AS tag, NULL::text AS type, NULL::jsonb AS value_info,
         i.id AS instance_id, i.definition_id, i.definition_key, i.id::text AS execution_id, i.id::text AS activity_instance_id, NULL::uuid AS task_id, i.started_at AS created_at
    FROM engine_instance i, jsonb_each(i.variables) AS e(k, v)
  UNION ALL
  SELECT l.instance_id::text || ':' || l.execution_id || ':' || l.name, l.name, l.value, NULL, l.type, l.value_info,
         l.instance_id, i.definition_id, i.definition_key, l.execution_id, l.execution_id, l.task_id, l.created_at
    FROM engine_local_variable l JOIN engine_instance i ON i.id = l.instance_id
) x`;
const VARIABLE_COLUMNS: Record<string, string> = {
  instanceId: 'x.instance_id',
  variableName: 'x.name',
  tenantId: 'x.id',
};

const TASKS = `(
  SELECT h.id AS history_id, coalesce(h.task_id, t.id) AS task_id, h.instance_id, h.definition_id, i.definition_key, i.business_key, h.execution_id,
         h.activity_id, h.activity_name, h.assignee, h.started_at, h.ended_at, h.canceled, t.owner, t.priority, t.due_at, t.follow_up_at, t.documentation,
         i.variables
    FROM engine_history h JOIN engine_instance i ON i.id = h.instance_id
    LEFT JOIN engine_task t ON t.instance_id = h.instance_id AND t.execution_id = h.execution_id
   WHERE h.activity_type = 'bpmn:UserTask'
) y`;
const TASK_COLUMNS: Record<string, string> = {
  taskId: 'y.task_id',
  activityInstanceId: 'y.history_id',
  processDefinitionId: 'y.definition_id',
  processInstanceId: 'y.instance_id',
  executionId: 'y.execution_id',
  duration: '(y.ended_at - y.started_at)',
  endTime: 'y.ended_at',
  startTime: 'y.started_at',
  taskName: 'y.activity_name',
  taskDefinitionKey: 'y.activity_id',
  assignee: 'y.assignee',
  priority: 'y.priority',
  dueDate: 'y.due_at',
  tenantId: 'y.history_id',
};

const INCIDENTS = `SELECT n.*, i.definition_id, i.definition_key FROM engine_incident n JOIN engine_instance i ON i.id = n.instance_id`;
const INCIDENT_COLUMNS: Record<string, string> = {
  incidentId: 'n.id',
  incidentMessage: 'n.message',
  createTime: 'n.created_at',
  endTime: 'n.resolved_at',
  incidentType: 'n.incident_type',
  activityId: 'n.activity_id',
  processInstanceId: 'n.instance_id',
  processDefinitionId: 'i.definition_id',
  tenantId: 'n.id',
};

function variableDto(v: VariableRow) {
  const typed = v.type
    ? toTypedValue(v.value, { type: v.type, valueInfo: v.value_info ?? {} })
    : toTypedValue(v.value, v.tag);
  return {
    id: v.id,
    name: v.name,
    type: typed.type,
    value: typed.value,
    valueInfo: typed.valueInfo,
    processDefinitionKey: v.definition_key,
    processDefinitionId: v.definition_id,
    processInstanceId: v.instance_id,
    executionId: v.execution_id,
    activityInstanceId: v.activity_instance_id,
    caseDefinitionKey: null,
    caseDefinitionId: null,
    caseInstanceId: null,
    caseExecutionId: null,
    taskId: v.task_id,
    errorMessage: null,
    tenantId: null,
    state: 'CREATED',
    createTime: camundaDate(v.created_at),
    removalTime: null,
    rootProcessInstanceId: v.instance_id,
  };
}

/* eslint-disable @typescript-eslint/no-explicit-any */
function historicTaskDto(t: Record<string, any>) {
  return {
    id: t.task_id ?? String(t.history_id),
    processDefinitionKey: t.definition_key,
    processDefinitionId: t.definition_id,
    processInstanceId: t.instance_id,
    executionId: t.execution_id,
    caseDefinitionKey: null,
    caseDefinitionId: null,
    caseInstanceId: null,
    caseExecutionId: null,
    activityInstanceId: String(t.history_id),
    name: t.activity_name ?? null,
    description: t.documentation ?? null,
    deleteReason: t.ended_at ? (t.canceled ? 'deleted' : 'completed') : null,
    owner: t.owner ?? null,
    assignee: t.assignee ?? null,
    startTime: camundaDate(t.started_at),
    endTime: camundaDate(t.ended_at),
    duration: ms(t.started_at, t.ended_at),
    taskDefinitionKey: t.activity_id,
    priority: t.priority ?? null,
    due: camundaDate(t.due_at),
    parentTaskId: null,
    followUp: camundaDate(t.follow_up_at),
    tenantId: null,
    removalTime: null,
    rootProcessInstanceId: t.instance_id,
    taskState: t.ended_at ? (t.canceled ? 'Deleted' : 'Completed') : 'Created',
  };
}

function historicIncidentDto(n: Record<string, any>) {
  return {
    id: n.id,
    processDefinitionKey: n.definition_key,
    processDefinitionId: n.definition_id,
    processInstanceId: n.instance_id,
    executionId: null,
    rootProcessInstanceId: n.instance_id,
    createTime: camundaDate(n.created_at),
    endTime: camundaDate(n.resolved_at),
    removalTime: null,
    incidentType: n.incident_type,
    activityId: n.activity_id ?? null,
    failedActivityId: n.activity_id ?? null,
    causeIncidentId: n.id,
    rootCauseIncidentId: n.id,
    configuration: null,
    historyConfiguration: null,
    incidentMessage: n.message ?? null,
    tenantId: null,
    jobDefinitionId: null,
    open: !n.resolved_at,
    deleted: false,
    resolved: !!n.resolved_at,
    annotation: null,
  };
}

/** Camunda's history of variables, user tasks and incidents, from the engine's rows (ended instances included). */
@ApiTags('engine-rest')
@Controller('engine-rest/history')
@UseFilters(CamundaExceptionFilter)
export class HistoryRecordsController {
  constructor(private readonly db: DataSource) {}

  @Get('variable-instance')
  async variables(@RestQuery() q: HistoricVariableInstanceQuery) {
    return this.variableList(
      this.variableFilter(q),
      orderBy(q.sortBy, q.sortOrder, VARIABLE_COLUMNS, 'x.created_at', 'x.id'),
      q,
    );
  }

  /** The same query with the filters in the body (`sorting: [{sortBy, sortOrder}]`), paging in the query string. */
  @Post('variable-instance')
  @HttpCode(200)
  async variableQuery(
    @RestBody() body: HistoricVariableInstanceQueryBody,
    @RestQuery() page: HistoricVariableInstancePaging,
  ) {
    return this.variableList(
      this.variableFilter(body),
      orderByList(body.sorting, VARIABLE_COLUMNS, 'x.created_at', 'x.id'),
      page,
    );
  }

  @Get('variable-instance/count')
  async variableCount(@RestQuery() q: HistoricVariableInstanceQuery) {
    return this.count(VARIABLES, this.variableFilter(q));
  }

  @Post('variable-instance/count')
  @HttpCode(200)
  async variableQueryCount(@RestBody() body: HistoricVariableInstanceQueryBody) {
    return this.count(VARIABLES, this.variableFilter(body));
  }

  @Get('task')
  async tasks(@RestQuery() q: HistoricTaskQuery) {
    return this.taskList(
      this.taskFilter(q),
      orderBy(q.sortBy, q.sortOrder, TASK_COLUMNS, 'y.started_at', 'y.history_id'),
      q,
    );
  }

  /** The same query with the filters in the body, paging in the query string. */
  @Post('task')
  @HttpCode(200)
  async taskQuery(@RestBody() body: HistoricTaskQueryBody, @RestQuery() page: PagingQuery) {
    return this.taskList(
      this.taskFilter(body),
      orderByList(body.sorting, TASK_COLUMNS, 'y.started_at', 'y.history_id'),
      page,
    );
  }

  @Get('task/count')
  async taskCount(@RestQuery() q: HistoricTaskQuery) {
    return this.count(TASKS, this.taskFilter(q));
  }

  @Post('task/count')
  @HttpCode(200)
  async taskQueryCount(@RestBody() body: HistoricTaskQueryBody) {
    return this.count(TASKS, this.taskFilter(body));
  }

  @Get('incident')
  async incidents(@RestQuery() q: HistoricIncidentQuery) {
    const f = this.incidentFilter(q);
    const rows = await this.db.query(
      `${INCIDENTS} ${f.where()} ${orderBy(q.sortBy, q.sortOrder, INCIDENT_COLUMNS, 'n.created_at', 'n.id')} ${f.page(q.firstResult, q.maxResults)}`,
      f.params,
    );
    return rows.map(historicIncidentDto);
  }

  @Get('incident/count')
  async incidentCount(@RestQuery() q: HistoricIncidentQuery) {
    const f = this.incidentFilter(q);
    const [row] = await this.db.query(
      `SELECT count(*)::int AS count FROM engine_incident n JOIN engine_instance i ON i.id = n.instance_id ${f.where()}`,
      f.params,
    );
    return { count: row.count };
  }

  private async variableList(f: SqlFilter, order: string, page: PagingQuery) {
    const rows: VariableRow[] = await this.db.query(
      `SELECT x.* FROM ${VARIABLES} ${f.where()} ${order} ${f.page(page.firstResult, page.maxResults)}`,
      f.params,
    );
    return rows.map(variableDto);
  }

  private async taskList(f: SqlFilter, order: string, page: PagingQuery) {
    const rows = await this.db.query(
      `SELECT y.* FROM ${TASKS} ${f.where()} ${order} ${f.page(page.firstResult, page.maxResults)}`,
      f.params,
    );
    return rows.map(historicTaskDto);
  }

  private async count(from: string, f: SqlFilter) {
    const [row] = await this.db.query(`SELECT count(*)::int AS count FROM ${from} ${f.where()}`, f.params);
    return { count: row.count };
  }

  private variableFilter(q: HistoricVariableInstanceQueryBody): SqlFilter {
    const names = q.variableNamesIgnoreCase;
    const f = new SqlFilter()
      .when(q.variableName, (p) => (names ? `lower(x.name) = lower(${p})` : `x.name = ${p}`))
      .when(q.variableNameLike, (p) => (names ? `lower(x.name) LIKE lower(${p})` : `x.name LIKE ${p}`))
      .uuid(q.processInstanceId, (p) => `x.instance_id = ${p}::uuid`)
      .uuids(q.processInstanceIdIn, (p) => `x.instance_id = ANY(${p}::uuid[])`)
      .when(q.processDefinitionId, (p) => `x.definition_id = ${p}`)
      .when(q.processDefinitionKey, (p) => `x.definition_key = ${p}`)
      .when(q.executionIdIn, (p) => `x.execution_id = ANY(${p}::text[])`)
      .when(q.activityInstanceIdIn, (p) => `x.activity_instance_id = ANY(${p}::text[])`)
      .tenants(q);
    if (q.variableValue !== undefined) valueEquals(f, 'x.value', q.variableValue, q.variableValuesIgnoreCase === true);
    return f;
  }

  private taskFilter(q: HistoricTaskQueryBody): SqlFilter {
    const f = new SqlFilter()
      .uuid(q.taskId, (p) => `y.task_id = ${p}::uuid`)
      .uuid(q.processInstanceId, (p) => `y.instance_id = ${p}::uuid`)
      .when(q.processInstanceBusinessKey, (p) => `y.business_key = ${p}`)
      .when(q.processDefinitionId, (p) => `y.definition_id = ${p}`)
      .when(q.processDefinitionKey, (p) => `y.definition_key = ${p}`)
      .when(q.executionId, (p) => `y.execution_id = ${p}`)
      .when(q.activityInstanceIdIn, (p) => `y.history_id::text = ANY(${p}::text[])`)
      .when(q.taskName, (p) => `y.activity_name = ${p}`)
      .when(q.taskNameLike, (p) => `y.activity_name LIKE ${p}`)
      .when(q.taskDefinitionKey, (p) => `y.activity_id = ${p}`)
      .when(q.taskAssignee, (p) => `y.assignee = ${p}`)
      .when(q.taskAssigneeLike, (p) => `y.assignee LIKE ${p}`)
      .flag(q.finished, 'y.ended_at IS NOT NULL')
      .flag(q.unfinished, 'y.ended_at IS NULL')
      .flag(q.assigned, 'y.assignee IS NOT NULL')
      .flag(q.unassigned, 'y.assignee IS NULL')
      .tenants(q);
    return variableConditions(f, 'y.variables', q.processVariables, 'processVariables', {
      namesIgnoreCase: q.variableNamesIgnoreCase,
      valuesIgnoreCase: q.variableValuesIgnoreCase,
    });
  }

  private incidentFilter(q: HistoricIncidentQuery): SqlFilter {
    return new SqlFilter()
      .uuid(q.incidentId, (p) => `n.id = ${p}::uuid`)
      .when(q.incidentType, (p) => `n.incident_type = ${p}`)
      .when(q.incidentMessage, (p) => `n.message = ${p}`)
      .when(q.incidentMessageLike, (p) => `n.message LIKE ${p}`)
      .uuid(q.processInstanceId, (p) => `n.instance_id = ${p}::uuid`)
      .when(q.processDefinitionId, (p) => `i.definition_id = ${p}`)
      .when(q.processDefinitionKey, (p) => `i.definition_key = ${p}`)
      .when(q.activityId, (p) => `n.activity_id = ${p}`)
      .flag(q.open, 'n.resolved_at IS NULL')
      .flag(q.resolved, 'n.resolved_at IS NOT NULL')
      .tenants(q);
  }
}

import { Controller, Get, HttpCode, Param, Post, Res, UseFilters } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { DomainException } from '../common/domain-exception.js';
import { DefinitionService } from '../engine/definition.service.js';
import { EngineService, type TaskRow } from '../engine/engine.service.js';
import { invalidRequest, restNotFound } from './camunda-error.js';
import { CamundaExceptionFilter } from './camunda-exception.filter.js';
import { taskFormFields, type FormField } from './definition-facts.js';
import { PagingQuery } from './dto/transforms.js';
import { AssigneeDto, ClaimDto, CompleteTaskDto, TaskFilter, TaskQuery, TaskQueryBody } from './dto/task.dto.js';
import { camundaDate, isUuid, optionalDate } from './format.js';
import { DEFAULT_DATE_PATTERN, constraintProblems, parseFormDate } from './form-fields.js';
import { taskDto } from './mappers.js';
import { RestBody, RestQuery } from './params.js';
import { SqlFilter, orderBy, orderByList } from './sql.js';
import { VariableAccess } from './variable-access.service.js';
import { variableConditions } from './variable-filter.js';
import { readTyped, toTyped } from './variables.js';

const COLUMNS: Record<string, string> = {
  id: 't.id',
  name: 't.name',
  nameCaseInsensitive: 'lower(t.name)',
  description: 't.documentation',
  priority: 't.priority',
  assignee: 't.assignee',
  created: 't.created_at',
  due: 't.due_at',
  dueDate: 't.due_at',
  followUpDate: 't.follow_up_at',
  instanceId: 't.instance_id',
  executionId: 't.execution_id',
  processDefinitionKey: 't.definition_key',
  taskDefinitionKey: 't.activity_id',
  tenantId: 't.id',
};

/** Camunda's task query filters over engine_task. */
function taskFilter(q: TaskFilter): SqlFilter {
  const candidate = q.candidateGroup !== undefined || q.candidateGroups !== undefined || q.candidateUser !== undefined;
  const f = new SqlFilter()
    .uuid(q.taskId, (p) => `t.id = ${p}::uuid`)
    .uuids(q.taskIdIn, (p) => `t.id = ANY(${p}::uuid[])`)
    .uuid(q.processInstanceId, (p) => `t.instance_id = ${p}::uuid`)
    .uuids(q.processInstanceIdIn, (p) => `t.instance_id = ANY(${p}::uuid[])`)
    .when(q.processInstanceBusinessKey, (p) => `t.business_key = ${p}`)
    .when(q.processInstanceBusinessKeyIn, (p) => `t.business_key = ANY(${p}::text[])`)
    .when(q.processInstanceBusinessKeyLike, (p) => `t.business_key LIKE ${p}`)
    .when(q.processDefinitionKey, (p) => `t.definition_key = ${p}`)
    .when(q.processDefinitionKeyIn, (p) => `t.definition_key = ANY(${p}::text[])`)
    .when(q.processDefinitionId, (p) => `t.definition_id = ${p}`)
    .when(q.executionId, (p) => `t.execution_id = ${p}`)
    .when(q.assignee, (p) => `t.assignee = ${p}`)
    .when(q.assigneeIn, (p) => `t.assignee = ANY(${p}::text[])`)
    .when(q.assigneeLike, (p) => `t.assignee LIKE ${p}`)
    .flag(q.assigned, 't.assignee IS NOT NULL')
    .flag(q.unassigned, 't.assignee IS NULL')
    .when(q.candidateGroup, (p) => `${p} = ANY(t.candidate_groups)`)
    .when(q.candidateGroups, (p) => `t.candidate_groups && ${p}::text[]`)
    .when(q.candidateUser, (p) => `${p} = ANY(t.candidate_users)`)
    // Camunda's candidate queries leave out tasks someone has claimed, unless asked to include them.
    .flag(candidate && !q.includeAssignedTasks, 't.assignee IS NULL')
    .flag(q.withCandidateGroups, 'cardinality(t.candidate_groups) > 0')
    .flag(q.withoutCandidateGroups, 'cardinality(t.candidate_groups) = 0')
    .flag(q.withCandidateUsers, 'cardinality(t.candidate_users) > 0')
    .flag(q.withoutCandidateUsers, 'cardinality(t.candidate_users) = 0')
    .when(q.taskDefinitionKey, (p) => `t.activity_id = ${p}`)
    .when(q.taskDefinitionKeyIn, (p) => `t.activity_id = ANY(${p}::text[])`)
    .when(q.taskDefinitionKeyLike, (p) => `t.activity_id LIKE ${p}`)
    .when(q.name, (p) => `t.name = ${p}`)
    .when(q.nameLike, (p) => `t.name LIKE ${p}`)
    .when(q.description, (p) => `t.documentation = ${p}`)
    .when(q.descriptionLike, (p) => `t.documentation LIKE ${p}`)
    .when(q.priority, (p) => `t.priority = ${p}`)
    .when(q.minPriority, (p) => `t.priority >= ${p}`)
    .when(q.maxPriority, (p) => `t.priority <= ${p}`)
    .when(optionalDate(q.dueDate, 'dueDate'), (p) => `t.due_at = ${p}`)
    .when(optionalDate(q.dueBefore, 'dueBefore'), (p) => `t.due_at < ${p}`)
    .when(optionalDate(q.dueAfter, 'dueAfter'), (p) => `t.due_at > ${p}`)
    .flag(q.withoutDueDate, 't.due_at IS NULL')
    .when(optionalDate(q.followUpDate, 'followUpDate'), (p) => `t.follow_up_at = ${p}`)
    .when(optionalDate(q.followUpBefore, 'followUpBefore'), (p) => `t.follow_up_at < ${p}`)
    .when(optionalDate(q.followUpAfter, 'followUpAfter'), (p) => `t.follow_up_at > ${p}`)
    .when(optionalDate(q.createdOn, 'createdOn'), (p) => `t.created_at = ${p}`)
    .when(optionalDate(q.createdBefore, 'createdBefore'), (p) => `t.created_at < ${p}`)
    .when(optionalDate(q.createdAfter, 'createdAfter'), (p) => `t.created_at > ${p}`)
    .flag(q.suspended === true || q.active === false, 'FALSE')
    .when(q.involvedUser, (p) => `(t.assignee = ${p} OR t.owner = ${p} OR ${p} = ANY(t.candidate_users))`)
    .when(q.owner, (p) => `t.owner = ${p}`)
    .when(q.delegationState, (p) => `t.delegation_state = ${p}`)
    .tenants(q);
  const ignore = { namesIgnoreCase: q.variableNamesIgnoreCase, valuesIgnoreCase: q.variableValuesIgnoreCase };
  variableConditions(
    f,
    `(SELECT vi.variables FROM engine_instance vi WHERE vi.id = t.instance_id)`,
    q.processVariables,
    'processVariables',
    ignore,
  );
  variableConditions(f, 't.input', q.taskVariables, 'taskVariables', ignore);
  return f;
}

/**
 * A `date` field submitted as text in the field's pattern (dd/MM/yyyy unless `datePattern` says otherwise, China
 * time) becomes a Date variable, as Camunda's date form type converts it; text that is no such date is a 400.
 */
function formDates(fields: FormField[], variables: Record<string, unknown> | undefined) {
  if (!variables) return variables;
  const out = { ...variables };
  for (const f of fields) {
    const v = out[f.id] as { value?: unknown; type?: string } | undefined;
    if (f.type.toLowerCase() !== 'date' || !v || typeof v.value !== 'string' || (v.type && v.type !== 'String'))
      continue;
    const pattern = f.datePattern ?? DEFAULT_DATE_PATTERN;
    const at = parseFormDate(v.value, pattern);
    if (at === null)
      throw invalidRequest(
        `Cannot submit task form: '${v.value}' is not a date in the pattern ${pattern} for form field '${f.id}'（表单字段 ${f.id} 的日期应写成 ${pattern}）`,
      );
    out[f.id] = { value: camundaDate(at), type: 'Date' };
  }
  return out;
}

@ApiTags('engine-rest')
@Controller('engine-rest/task')
@UseFilters(CamundaExceptionFilter)
export class TaskController {
  constructor(
    private readonly db: DataSource,
    private readonly engine: EngineService,
    private readonly definitions: DefinitionService,
    private readonly vars: VariableAccess,
  ) {}

  @Get()
  async list(@RestQuery() q: TaskQuery) {
    const f = taskFilter(q);
    const order = orderBy(q.sortBy, q.sortOrder, COLUMNS, 't.created_at', 't.id');
    const rows = await this.db.query(
      `SELECT t.* FROM engine_task t ${f.where()} ${order} ${f.page(q.firstResult, q.maxResults)}`,
      f.params,
    );
    return rows.map(taskDto);
  }

  @Get('count')
  async count(@RestQuery() q: TaskQuery) {
    return this.countOf(taskFilter(q));
  }

  /** The same query with the filters in the body (`sorting: [{sortBy, sortOrder}]`), paging in the query string. */
  @Post()
  @HttpCode(200)
  async query(@RestBody() body: TaskQueryBody, @RestQuery() page: PagingQuery) {
    const f = taskFilter(body);
    const order = orderByList(body.sorting, COLUMNS, 't.created_at', 't.id');
    const rows = await this.db.query(
      `SELECT t.* FROM engine_task t ${f.where()} ${order} ${f.page(page.firstResult, page.maxResults)}`,
      f.params,
    );
    return rows.map(taskDto);
  }

  @Post('count')
  @HttpCode(200)
  async queryCount(@RestBody() body: TaskQueryBody) {
    return this.countOf(taskFilter(body));
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    return taskDto(await this.task(id));
  }

  /** Claimed by someone else already: 409 TaskAlreadyClaimedException (Camunda answers a 500 there). */
  @Post(':id/claim')
  @HttpCode(204)
  async claim(@Param('id') id: string, @RestBody() dto: ClaimDto) {
    await this.task(id);
    await this.engine.claim(id, dto.userId);
  }

  @Post(':id/unclaim')
  @HttpCode(204)
  async unclaim(@Param('id') id: string) {
    await this.task(id);
    await this.engine.setAssignee(id, null);
  }

  @Post(':id/assignee')
  @HttpCode(204)
  async assignee(@Param('id') id: string, @RestBody() dto: AssigneeDto) {
    await this.task(id);
    await this.engine.setAssignee(id, dto.userId ?? null);
  }

  /** 204, or 200 with the process variables when withVariablesInReturn; a task already completed is a 404. */
  @Post(':id/complete')
  async complete(@Param('id') id: string, @RestBody() dto: CompleteTaskDto, @Res() res: Response) {
    await this.finish(id, dto, res);
  }

  /**
   * Tasklist completes through the form: complete, after the generated form's field constraints
   * (`camunda:validation`) hold for what is submitted, as Camunda's form service checks them.
   */
  @Post(':id/submit-form')
  async submitForm(@Param('id') id: string, @RestBody() dto: CompleteTaskDto, @Res() res: Response) {
    const task = await this.task(id);
    const fields = taskFormFields(await this.definitions.context(task.definition_id), task.activity_id) ?? [];
    if (fields.some((f) => f.constraints.length)) {
      const { values } = readTyped(dto.variables);
      const { values: current } = await this.vars.ofTask(task);
      const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
      const problems = fields.flatMap((f) =>
        constraintProblems(
          f.id,
          f.constraints,
          { present: has(values, f.id), value: values[f.id] },
          has(current, f.id) ? current[f.id] : undefined,
        ),
      );
      if (problems.length) throw invalidRequest(`Cannot submit task form ${id}: ${problems.join('; ')}`);
    }
    await this.finish(id, { ...dto, variables: formDates(fields, dto.variables) }, res);
  }

  private async finish(id: string, dto: CompleteTaskDto, res: Response) {
    const { values, types } = readTyped(dto.variables);
    // A delegated task is refused under the instance's lock, from the task the step read with it.
    const refuse = (task: { delegation_state?: string | null }) =>
      task.delegation_state === 'PENDING'
        ? invalidRequest(`Task ${id}: a delegated task cannot be completed, but should be resolved instead`)
        : null;
    let inst;
    try {
      inst = await this.engine.completeTask(id, values, undefined, { refuse }, types);
    } catch (err) {
      // Completed a moment ago by someone else: gone, as Camunda says for any unknown task.
      if (err instanceof DomainException && (err.code === 'TASK_GONE' || err.status === 404))
        throw restNotFound(`Cannot find task with id ${id}`);
      throw err;
    }
    if (dto.withVariablesInReturn) res.status(200).json(toTyped(inst.variables, null, inst.variable_types));
    else res.status(204).end();
  }

  private async task(id: string): Promise<TaskRow> {
    const [row] = isUuid(id) ? await this.db.query(`SELECT * FROM engine_task WHERE id = $1`, [id]) : [];
    if (!row) throw restNotFound(`No matching task with id ${id}`);
    return row;
  }

  private async countOf(f: SqlFilter) {
    const [row] = await this.db.query(`SELECT count(*)::int AS count FROM engine_task t ${f.where()}`, f.params);
    return { count: row.count };
  }
}

import { Controller, Get, HttpCode, Param, Post, Put, Res, UseFilters } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock.js';
import { CamundaExceptionFilter } from './camunda-exception.filter.js';
import {
  CompleteExternalTaskDto,
  ExtendLockDto,
  ExternalTaskBpmnErrorDto,
  ExternalTaskFailureDto,
  ExternalTaskQuery,
  ExternalTaskRetriesDto,
  FetchAndLockDto,
  LockDto,
  TopicNamesQuery,
} from './dto/external-task.dto.js';
import { ExternalTaskService } from './external-task.service.js';
import { externalTaskDto } from './mappers.js';
import { RestBody, RestQuery } from './params.js';
import { SqlFilter, orderBy } from './sql.js';

const COLUMNS: Record<string, string> = {
  id: 'x.id',
  lockExpirationTime: 'x.lock_expires_at',
  processInstanceId: 'x.instance_id',
  processDefinitionId: 'x.definition_id',
  processDefinitionKey: 'x.definition_key',
  taskPriority: 'x.priority',
  createTime: 'x.created_at',
  tenantId: 'x.id',
};

/** Camunda's external task API, as camunda-external-task-client-js and other workers use it. */
@ApiTags('engine-rest')
@Controller('engine-rest/external-task')
@UseFilters(CamundaExceptionFilter)
export class ExternalTaskController {
  constructor(
    private readonly tasks: ExternalTaskService,
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Locks tasks for the worker; with asyncResponseTimeout, answers as soon as some can be locked. */
  @Post('fetchAndLock')
  @HttpCode(200)
  async fetchAndLock(@RestBody() dto: FetchAndLockDto, @Res({ passthrough: true }) res: Response) {
    const gone = new AbortController();
    const onClose = () => {
      if (!res.writableFinished) gone.abort();
    };
    res.on('close', onClose);
    try {
      return await this.tasks.fetchAndLock(dto, gone.signal);
    } finally {
      res.off('close', onClose);
    }
  }

  @Get()
  async list(@RestQuery() q: ExternalTaskQuery) {
    const f = this.filter(q);
    const rows = await this.db.query(
      `SELECT x.* FROM engine_external_task x ${f.where()} ${orderBy(q.sortBy, q.sortOrder, COLUMNS, 'x.created_at', 'x.id')} ${f.page(q.firstResult, q.maxResults)}`,
      f.params,
    );
    return rows.map(externalTaskDto);
  }

  @Get('count')
  async count(@RestQuery() q: ExternalTaskQuery) {
    const f = this.filter(q);
    const [row] = await this.db.query(
      `SELECT count(*)::int AS count FROM engine_external_task x ${f.where()}`,
      f.params,
    );
    return { count: row.count };
  }

  @Get('topic-names')
  async topicNames(@RestQuery() q: TopicNamesQuery) {
    const f = this.filter({
      locked: q.withLockedTasks,
      notLocked: q.withUnlockedTasks,
      withRetriesLeft: q.withRetriesLeft,
    });
    const rows: { topic: string }[] = await this.db.query(
      `SELECT DISTINCT x.topic FROM engine_external_task x ${f.where()} ORDER BY x.topic`,
      f.params,
    );
    return rows.map((r) => r.topic);
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    return externalTaskDto(await this.tasks.get(id));
  }

  @Get(':id/errorDetails')
  async errorDetails(@Param('id') id: string, @Res() res: Response) {
    const task = await this.tasks.get(id);
    res
      .status(200)
      .type('text/plain')
      .send(task.error_details ?? '');
  }

  @Post(':id/complete')
  @HttpCode(204)
  async complete(@Param('id') id: string, @RestBody() dto: CompleteExternalTaskDto) {
    await this.tasks.complete(id, dto.workerId, dto);
  }

  @Post(':id/failure')
  @HttpCode(204)
  async failure(@Param('id') id: string, @RestBody() dto: ExternalTaskFailureDto) {
    await this.tasks.failure(id, dto);
  }

  /** `bpmnError` is Camunda's path (the JS client's); `handleBpmnError` is accepted as well. */
  @Post([':id/bpmnError', ':id/handleBpmnError'])
  @HttpCode(204)
  async bpmnError(@Param('id') id: string, @RestBody() dto: ExternalTaskBpmnErrorDto) {
    await this.tasks.bpmnError(id, dto.workerId, dto.errorCode, dto.errorMessage, dto.variables);
  }

  @Post(':id/extendLock')
  @HttpCode(204)
  async extendLock(@Param('id') id: string, @RestBody() dto: ExtendLockDto) {
    await this.tasks.extendLock(id, dto.workerId, dto.newDuration);
  }

  @Post(':id/lock')
  @HttpCode(204)
  async lock(@Param('id') id: string, @RestBody() dto: LockDto) {
    await this.tasks.lock(id, dto.workerId, dto.lockDuration);
  }

  @Post(':id/unlock')
  @HttpCode(204)
  async unlock(@Param('id') id: string) {
    await this.tasks.unlock(id);
  }

  @Put(':id/retries')
  @HttpCode(204)
  async retries(@Param('id') id: string, @RestBody() dto: ExternalTaskRetriesDto) {
    await this.tasks.setRetries(id, dto.retries);
  }

  private filter(q: Partial<ExternalTaskQuery>): SqlFilter {
    return new SqlFilter()
      .uuid(q.externalTaskId, (p) => `x.id = ${p}::uuid`)
      .uuids(q.externalTaskIdIn, (p) => `x.id = ANY(${p}::uuid[])`)
      .when(q.topicName, (p) => `x.topic = ${p}`)
      .when(q.workerId, (p) => `x.worker_id = ${p}`)
      .when(q.locked ? this.clock.date() : undefined, (p) => `x.lock_expires_at > ${p}`)
      .when(
        q.notLocked ? this.clock.date() : undefined,
        (p) => `(x.lock_expires_at IS NULL OR x.lock_expires_at <= ${p})`,
      )
      .flag(q.withRetriesLeft, '(x.retries IS NULL OR x.retries > 0)')
      .flag(q.noRetriesLeft, 'x.retries = 0')
      .when(q.activityId, (p) => `x.activity_id = ${p}`)
      .when(q.executionId, (p) => `x.execution_id = ${p}`)
      .uuid(q.processInstanceId, (p) => `x.instance_id = ${p}::uuid`)
      .when(q.processDefinitionId, (p) => `x.definition_id = ${p}`)
      .when(q.priorityHigherThanOrEquals, (p) => `x.priority >= ${p}`)
      .when(q.priorityLowerThanOrEquals, (p) => `x.priority <= ${p}`)
      .tenants(q);
  }
}

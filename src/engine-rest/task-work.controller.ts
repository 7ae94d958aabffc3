import { randomUUID } from 'node:crypto';
import {
  Controller,
  createParamDecorator,
  Get,
  HttpCode,
  Param,
  Post,
  UseFilters,
  type ExecutionContext,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock.js';
import { EngineService } from '../engine/engine.service.js';
import { invalidRequest, restNotFound } from './camunda-error.js';
import { CamundaExceptionFilter } from './camunda-exception.filter.js';
import { CreateCommentDto, DelegateDto, IdentityLinkDto, IdentityLinkQuery, ResolveDto } from './dto/task-work.dto.js';
import { camundaDate, isUuid } from './format.js';
import { RestBody, RestQuery } from './params.js';
import { VariableAccess } from './variable-access.service.js';

/** The signed-in caller's name, as the authentication guard left it on the request. */
const Caller = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): string | null => ctx.switchToHttp().getRequest().user?.username ?? null,
);

interface CommentRow {
  id: string;
  task_id: string;
  instance_id: string | null;
  user_id: string | null;
  message: string;
  created_at: Date;
}

function commentDto(c: CommentRow) {
  return {
    links: [],
    id: c.id,
    userId: c.user_id,
    taskId: c.task_id,
    processInstanceId: c.instance_id,
    time: camundaDate(c.created_at),
    message: c.message,
    removalTime: null,
    rootProcessInstanceId: c.instance_id,
  };
}

/** A task's people and talk: identity links, delegation and resolution, comments. */
@ApiTags('engine-rest')
@Controller('engine-rest/task')
@UseFilters(CamundaExceptionFilter)
export class TaskWorkController {
  constructor(
    private readonly db: DataSource,
    private readonly vars: VariableAccess,
    private readonly engine: EngineService,
    private readonly clock: Clock,
  ) {}

  @Get(':id/identity-links')
  async identityLinks(@Param('id') id: string, @RestQuery() q: IdentityLinkQuery) {
    const task = await this.vars.task(id);
    const links = [
      ...(task.assignee ? [{ userId: task.assignee, groupId: null, type: 'assignee' }] : []),
      ...(task.owner ? [{ userId: task.owner, groupId: null, type: 'owner' }] : []),
      ...task.candidate_users.map((u) => ({ userId: u, groupId: null, type: 'candidate' })),
      ...task.candidate_groups.map((g) => ({ userId: null, groupId: g, type: 'candidate' })),
    ];
    return q.type === undefined ? links : links.filter((l) => l.type === q.type);
  }

  @Post(':id/identity-links')
  @HttpCode(204)
  async addIdentityLink(@Param('id') id: string, @RestBody() dto: IdentityLinkDto) {
    await this.link(id, dto, true);
  }

  /** Camunda deletes an identity link with a POST to …/identity-links/delete and the same body. */
  @Post(':id/identity-links/delete')
  @HttpCode(204)
  async deleteIdentityLink(@Param('id') id: string, @RestBody() dto: IdentityLinkDto) {
    await this.link(id, dto, false);
  }

  /** The assignee hands the task to another user and becomes its owner, who gets it back on resolve. */
  @Post(':id/delegate')
  @HttpCode(204)
  async delegate(@Param('id') id: string, @RestBody() dto: DelegateDto) {
    await this.vars.task(id);
    await this.db.query(
      `UPDATE engine_task SET owner = coalesce(owner, assignee), delegation_state = 'PENDING' WHERE id = $1`,
      [id],
    );
    await this.engine.setAssignee(id, dto.userId);
  }

  /** The delegate is done: the variables are set, and the task goes back to its owner. */
  @Post(':id/resolve')
  @HttpCode(204)
  async resolve(@Param('id') id: string, @RestBody() dto: ResolveDto) {
    const task = await this.vars.task(id);
    if (task.delegation_state !== 'PENDING')
      throw invalidRequest(
        `Cannot resolve task ${id}: it is not delegated (delegationState ${task.delegation_state ?? 'null'})`,
      );
    if (dto.variables) await this.vars.modify(task.instance_id, dto.variables, []);
    await this.db.query(`UPDATE engine_task SET delegation_state = 'RESOLVED' WHERE id = $1`, [id]);
    await this.engine.setAssignee(id, task.owner);
  }

  /** Comments stay after the task ends, as in Camunda's history. */
  @Get(':id/comment')
  async comments(@Param('id') id: string) {
    await this.knownTask(id);
    const rows: CommentRow[] = await this.db.query(
      `SELECT * FROM engine_task_comment WHERE task_id = $1 ORDER BY created_at, id LIMIT 1000`,
      [id],
    );
    return rows.map(commentDto);
  }

  @Get(':id/comment/:commentId')
  async comment(@Param('id') id: string, @Param('commentId') commentId: string) {
    await this.knownTask(id);
    const [row]: CommentRow[] = isUuid(commentId)
      ? await this.db.query(`SELECT * FROM engine_task_comment WHERE task_id = $1 AND id = $2`, [id, commentId])
      : [];
    if (!row) throw restNotFound(`Task comment with id ${commentId} does not exist for task id '${id}'.`);
    return commentDto(row);
  }

  @Post(':id/comment/create')
  @HttpCode(200)
  async createComment(@Param('id') id: string, @RestBody() dto: CreateCommentDto, @Caller() user: string | null) {
    const task = await this.vars.task(id);
    if (dto.processInstanceId !== undefined && dto.processInstanceId !== task.instance_id) {
      throw invalidRequest(`Process instance id ${dto.processInstanceId} is not the process instance of task ${id}`);
    }
    const [row]: CommentRow[] = await this.db.query(
      `INSERT INTO engine_task_comment (id, task_id, instance_id, user_id, message, created_at) VALUES ($1,$2,$3,$4,$5,$6) RETURNING *`,
      [randomUUID(), id, task.instance_id, user, dto.message, this.clock.date()],
    );
    return commentDto(row);
  }

  /** A task open now or recorded in history (its comments outlive it). */
  private async knownTask(id: string): Promise<void> {
    const [row] = isUuid(id)
      ? await this.db.query(
          `SELECT 1 FROM engine_task WHERE id = $1 UNION ALL SELECT 1 FROM engine_history WHERE task_id = $1 LIMIT 1`,
          [id],
        )
      : [];
    if (!row) throw restNotFound(`No task found for task id ${id}`);
  }

  private async link(id: string, dto: IdentityLinkDto, add: boolean): Promise<void> {
    const task = await this.vars.task(id);
    const user = dto.userId ?? null;
    const group = dto.groupId ?? null;
    if ((user === null) === (group === null))
      throw invalidRequest('An identity link needs either a userId or a groupId');
    if (dto.type !== 'candidate' && group !== null)
      throw invalidRequest(`An identity link of type ${dto.type} names a user, not a group`);
    if (dto.type === 'assignee') {
      if (!add && task.assignee !== user) return;
      return this.engine.setAssignee(id, add ? user : null);
    }
    if (dto.type === 'owner') {
      if (!add && task.owner !== user) return;
      await this.db.query(`UPDATE engine_task SET owner = $2 WHERE id = $1`, [id, add ? user : null]);
      return;
    }
    const column = user !== null ? 'candidate_users' : 'candidate_groups';
    await this.db.query(
      add
        ? `UPDATE engine_task SET ${column} = array_append(${column}, $2) WHERE id = $1 AND NOT ($2 = ANY(${column}))`
        : `UPDATE engine_task SET ${column} = array_remove(${column}, $2) WHERE id = $1`,
      [id, user ?? group],
    );
  }
}

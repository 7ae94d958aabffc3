import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../auth/auth-user.js';
import { ErrorResponse, ValidationErrorResponse } from '../common/error-response.doc.js';
import {
  CopyPageDoc,
  DonePageDoc,
  ExtensionRequestedDoc,
  HandoverCandidateDoc,
  InboxPageDoc,
  TaskAssigneeDoc,
  TaskCompletedDoc,
  TaskDetailDoc,
} from './dto/inbox.doc.js';
import { InboxQueryDto } from './dto/inbox-query.dto.js';
import { ExtensionRequestDto, HandoverDto } from './dto/task-action.dto.js';
import { InboxService } from './inbox.service.js';

const TASK_ID = { name: 'id', format: 'uuid', description: 'task id' } as const;
const NOT_YOURS = {
  status: 403,
  description: "not your task: assigned to someone else, or offered to other groups (a unit's tasks to its unit)",
  type: ErrorResponse,
} as const;
const NO_TASK = { status: 404, description: 'no such open task', type: ErrorResponse } as const;

@ApiTags('inbox')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'not signed in, or the token expired', type: ErrorResponse })
@Controller('api')
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

  @Get('inbox')
  @ApiOperation({
    summary:
      "The signed-in person's inbox: open tasks with counts for the badges (待办), completed tasks (已办) or documents copied to them (抄送), by `view`",
  })
  @ApiExtraModels(InboxPageDoc, DonePageDoc, CopyPageDoc)
  @ApiOkResponse({
    description: 'one page of the view asked for (its `view` says which)',
    schema: {
      oneOf: [
        { $ref: getSchemaPath(InboxPageDoc) },
        { $ref: getSchemaPath(DonePageDoc) },
        { $ref: getSchemaPath(CopyPageDoc) },
      ],
    },
  })
  @ApiResponse({ status: 401, description: 'not signed in', type: ErrorResponse })
  @ApiResponse({ status: 422, description: 'a bad or unknown filter', type: ValidationErrorResponse })
  list(@CurrentUser() user: AuthUser, @Query() q: InboxQueryDto) {
    return this.inbox.inbox(this.inbox.requireUser(user), q);
  }

  @Get('tasks/:id')
  @ApiOperation({ summary: "A task: its step, its form's fields and its problem" })
  @ApiParam(TASK_ID)
  @ApiOkResponse({ type: TaskDetailDoc })
  @ApiResponse({ status: 403, description: 'not your task (leaders and inspectors read any)', type: ErrorResponse })
  @ApiResponse({ status: 404, description: 'no such open task', type: ErrorResponse })
  get(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.inbox.task(this.inbox.requireUser(user), id);
  }

  @Post('tasks/:id/claim')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign for (签收) / claim the task' })
  @ApiParam(TASK_ID)
  @ApiOkResponse({ type: TaskAssigneeDoc, description: 'the task is now with the signed-in user' })
  @ApiResponse(NOT_YOURS)
  @ApiResponse(NO_TASK)
  @ApiResponse({ status: 409, description: 'claimed by someone else', type: ErrorResponse })
  claim(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.inbox.claim(this.inbox.requireUser(user), id);
  }

  @Post('tasks/:id/unclaim')
  @HttpCode(200)
  @ApiOperation({ summary: 'Hand the task back to the unit' })
  @ApiParam(TASK_ID)
  @ApiOkResponse({ type: TaskAssigneeDoc, description: 'assignee null: offered to the groups again' })
  @ApiResponse({
    status: 403,
    description: 'not your task, or signed for by someone else (only they, the office or admin hand it back)',
    type: ErrorResponse,
  })
  @ApiResponse(NO_TASK)
  unclaim(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.inbox.unclaim(this.inbox.requireUser(user), id);
  }

  @Get('tasks/:id/handover-candidates')
  @ApiOperation({
    summary:
      '转办: the colleagues this task can be handed over to (for a unit account, the active accounts of its unit)',
  })
  @ApiParam(TASK_ID)
  @ApiOkResponse({
    type: [HandoverCandidateDoc],
    description: 'give `username` as `to` to POST /api/tasks/{id}/handover',
  })
  @ApiResponse(NOT_YOURS)
  @ApiResponse(NO_TASK)
  handoverCandidates(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.inbox.handoverCandidates(this.inbox.requireUser(user), id);
  }

  @Post('tasks/:id/handover')
  @HttpCode(200)
  @ApiOperation({ summary: 'Hand the task over to a colleague of the same unit' })
  @ApiParam(TASK_ID)
  @ApiOkResponse({ type: TaskAssigneeDoc, description: 'the task is now with the colleague' })
  @ApiResponse(NOT_YOURS)
  @ApiResponse(NO_TASK)
  @ApiResponse({
    status: 422,
    description: 'not a colleague: no active account of that name, or (for a unit account) one of another unit',
    type: ValidationErrorResponse,
  })
  handover(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: HandoverDto) {
    return this.inbox.handover(this.inbox.requireUser(user), id, dto.to);
  }

  @Post('tasks/:id/complete')
  @HttpCode(200)
  @ApiOperation({
    summary: "Complete the task with its step's form; a task offered to the unit is signed for (签收) by the same call",
  })
  @ApiParam(TASK_ID)
  @ApiBody({
    description: "the step's form fields (GET /api/tasks/{id} lists them under form.fields)",
    schema: { type: 'object', additionalProperties: true, example: { planApproved: true, comment: '方案可行' } },
  })
  @ApiOkResponse({ type: TaskCompletedDoc })
  @ApiResponse(NOT_YOURS)
  @ApiResponse(NO_TASK)
  @ApiResponse({
    status: 422,
    description:
      "a form field is invalid (named in `fields`), or the step's form is unknown to the service; nothing changed",
    type: ValidationErrorResponse,
  })
  @ApiResponse({
    status: 409,
    description: 'someone completed it a moment ago, or its process instance is no longer active',
    type: ErrorResponse,
  })
  complete(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() body: Record<string, unknown>) {
    return this.inbox.complete(this.inbox.requireUser(user), id, body);
  }

  @Post('tasks/:id/extension')
  @HttpCode(201)
  @ApiOperation({ summary: 'Ask for a deadline extension (延期申请) for the problem of this task' })
  @ApiParam(TASK_ID)
  @ApiCreatedResponse({ type: ExtensionRequestedDoc, description: 'the request, now with the office' })
  @ApiResponse(NOT_YOURS)
  @ApiResponse(NO_TASK)
  @ApiResponse({ status: 409, description: 'a request for this problem is already pending' })
  @ApiResponse({
    status: 422,
    description: 'a bad date or reason, or a date the calendar does not know',
    type: ValidationErrorResponse,
  })
  extension(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: ExtensionRequestDto) {
    return this.inbox.extension(this.inbox.requireUser(user), id, dto);
  }
}

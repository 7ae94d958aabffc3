import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  StreamableFile,
  UploadedFile,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ErrorResponse, ValidationErrorResponse } from '../common/error-response.doc.js';
import { DomainException } from '../common/domain-exception.js';
import { UploadRateGuard } from '../common/upload-rate.js';
import { CurrentUser, type AuthUser } from '../auth/auth-user.js';
import { ImportProblemsDto } from './dto/import-problems.dto.js';
import { CreateProblemDto, UpdateProblemDto } from './dto/problem-input.dto.js';
import { ProblemEditService } from './edit/problem-edit.service.js';
import { ListProblemsQuery } from './dto/list-problems.query.js';
import {
  ImportJobAcceptedDoc,
  ImportJobDoc,
  ImportRefusedDoc,
  ProblemDetailDoc,
  ProblemPageDoc,
} from './dto/problem.doc.js';
import { XLSX_MIME, templateWorkbook } from './export/ledger-workbook.js';
import { MAX_BYTES } from './import/import-columns.js';
import { ImportJobService } from './import/import-job.service.js';
import { ProblemsService } from './problems.service.js';
import { supervisedRoot } from '../org/office-scope.js';

/** What multer's memory storage hands over for the `file` field. */
interface UploadedXlsx {
  buffer: Buffer;
  originalname: string;
  size: number;
}

@ApiTags('problems')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'not signed in, or the token expired', type: ErrorResponse })
@Controller('api/problems')
export class ProblemsController {
  constructor(
    private readonly problems: ProblemsService,
    private readonly importer: ImportJobService,
    private readonly editor: ProblemEditService,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: '交办 one problem entered by hand: checked like a row of the import, its rectification process started',
  })
  @ApiCreatedResponse({ type: ProblemDetailDoc })
  @ApiForbiddenResponse({ description: 'only the office (and admin) enter problems', type: ErrorResponse })
  @ApiConflictResponse({ description: 'the rectification process is not deployed (NOT_DEPLOYED)', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({
    description:
      'a bad field, named in `fields` (a code already in the ledger, an unknown unit, a deadline before today, a milestone after the deadline)',
    type: ValidationErrorResponse,
  })
  create(@Body() dto: CreateProblemDto, @CurrentUser() user: AuthUser) {
    return this.editor.create(dto, { actor: user.accountId, actorName: user.username, root: supervisedRoot(user) });
  }

  @Patch(':id')
  @ApiOperation({
    summary: "Correct a problem's fields; a new deadline moves its due dates, timers and escalation ladder with it",
  })
  @ApiParam({ name: 'id', description: 'problem id (uuid) or code' })
  @ApiOkResponse({ type: ProblemDetailDoc })
  @ApiForbiddenResponse({ description: 'only the office (and admin) correct problems', type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'no problem with this id or code', type: ErrorResponse })
  @ApiConflictResponse({
    description: 'a new deadline for a problem no longer in rectification (PROBLEM_CLOSED)',
    type: ErrorResponse,
  })
  @ApiUnprocessableEntityResponse({
    description: 'a bad field, nothing to change, or the units of the 交办 (UNITS_FIXED)',
    type: ValidationErrorResponse,
  })
  update(@Param('id') id: string, @Body() dto: UpdateProblemDto, @CurrentUser() user: AuthUser) {
    return this.editor.update(id, dto, { actor: user.accountId, actorName: user.username });
  }

  @Post('import')
  @HttpCode(202)
  @UseGuards(UploadRateGuard)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_BYTES, files: 1, fields: 10 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: {
          type: 'string',
          format: 'binary',
          description: 'the problem list (.xlsx), headers as in import-template.xlsx',
        },
        source: {
          type: 'string',
          maxLength: 200,
          description: 'the inspection the problems come from, for rows without 来源',
        },
      },
    },
  })
  @ApiOperation({
    summary:
      '交办: import a problem list (.xlsx, ≤ 5 MB, ≤ 20000 rows) as a background job; the file is checked whole first (422 lists every bad cell), then stored all or nothing',
  })
  @ApiAcceptedResponse({
    type: ImportJobAcceptedDoc,
    description:
      'every row checked and accepted; the job stores the problems and starts their processes (poll statusUrl)',
  })
  @ApiBadRequestResponse({
    description: 'not a well-formed multipart body, more than one file, or a file under a field other than `file`',
    type: ErrorResponse,
  })
  @ApiForbiddenResponse({ description: 'only the office (and admin) import problems', type: ErrorResponse })
  @ApiConflictResponse({
    description: 'the rectification process is not deployed; nothing was imported',
    type: ErrorResponse,
  })
  @ApiPayloadTooLargeResponse({ description: 'the file is larger than 5 MB', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({
    description:
      'no file, not a readable .xlsx workbook, too many rows, or bad cells (every one listed in `errors`); nothing was imported',
    type: ImportRefusedDoc,
  })
  @ApiResponse({
    status: 429,
    description:
      'more uploads (files and imports) from this account in the last minute than DUBAN_UPLOAD_RATE_PER_MIN; Retry-After and retryAfterSeconds say when to try again',
    type: ErrorResponse,
  })
  async import(
    @UploadedFile() file: UploadedXlsx | undefined,
    @Body() body: ImportProblemsDto,
    @CurrentUser() user: AuthUser,
  ) {
    if (!file?.buffer?.length)
      throw new DomainException('VALIDATION', 422, 'file：请上传 .xlsx 文件', {
        fields: [{ field: 'file', message: '请上传 .xlsx 文件' }],
      });
    return this.importer.submit(file.buffer, body.source ?? null, user);
  }

  @Get('import/jobs/:id')
  @ApiOperation({
    summary:
      'An import job: its status, rows done, and when done the problems assigned; only its uploader (and admin) read it',
  })
  @ApiParam({ name: 'id', description: 'the jobId the upload answered with' })
  @ApiOkResponse({ type: ImportJobDoc })
  @ApiForbiddenResponse({ description: 'only the office (and admin) import problems', type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'no such job, or another account uploaded it', type: ErrorResponse })
  job(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    return this.importer.get(id, user);
  }

  @Get('import-template.xlsx')
  @Header('Content-Type', XLSX_MIME)
  @Header(
    'Content-Disposition',
    `attachment; filename="problem-template.xlsx"; filename*=UTF-8''${encodeURIComponent('问题清单模板.xlsx')}`,
  )
  @ApiOperation({ summary: 'The problem list template with its headers and one example row' })
  @ApiProduces(XLSX_MIME)
  @ApiOkResponse({
    description: 'the template workbook (问题清单模板.xlsx)',
    content: { [XLSX_MIME]: { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiForbiddenResponse({ description: 'only the office (and admin) import problems', type: ErrorResponse })
  async template() {
    return new StreamableFile(await templateWorkbook());
  }

  @Get()
  @ApiOperation({ summary: 'The ledger, filtered and paged' })
  @ApiOkResponse({
    type: ProblemPageDoc,
    description: "ordered by deadline, then code; a unit account gets its own unit's problems",
  })
  @ApiUnprocessableEntityResponse({
    description:
      'a bad or unknown filter (dueBefore not a date, status or light not one of the values, page out of range)',
    type: ValidationErrorResponse,
  })
  list(@Query() q: ListProblemsQuery) {
    return this.problems.list(q);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One problem (by id or code) with its open tasks, milestones, progress and process instance',
  })
  @ApiParam({ name: 'id', description: 'problem id (uuid) or code' })
  @ApiOkResponse({ type: ProblemDetailDoc })
  @ApiForbiddenResponse({ description: "a unit account asking for another unit's problem", type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'no problem with this id or code', type: ErrorResponse })
  get(@Param('id') id: string) {
    return this.problems.get(id);
  }
}

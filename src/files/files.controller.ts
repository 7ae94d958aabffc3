import {
  ArgumentsHost,
  Catch,
  Controller,
  Get,
  HttpCode,
  Injectable,
  Param,
  PayloadTooLargeException,
  Post,
  Res,
  StreamableFile,
  UploadedFile,
  UseFilters,
  UseGuards,
  UseInterceptors,
  Body,
  type ExceptionFilter,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPayloadTooLargeResponse,
  ApiResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, type AuthUser } from '../auth/auth-user.js';
import { DomainException } from '../common/domain-exception.js';
import { ErrorResponse, ValidationErrorResponse } from '../common/error-response.doc.js';
import { UploadRateGuard } from '../common/upload-rate.js';
import { AppConfig } from '../config/app-config.js';
import { FileDoc, FileTooLargeDoc, UnsupportedFileDoc } from './dto/file.doc.js';
import { UploadFileDto } from './dto/upload-file.dto.js';
import { contentDisposition } from './file-names.js';
import { FilesService, tooLarge, type IncomingFile } from './files.service.js';

/** multer stops reading at the configured limit; answer 413 naming it. */
@Injectable()
@Catch(PayloadTooLargeException)
export class UploadLimitFilter implements ExceptionFilter {
  constructor(private readonly config: AppConfig) {}

  catch(_: PayloadTooLargeException, host: ArgumentsHost): void {
    const e = tooLarge(this.config.DUBAN_MAX_UPLOAD_BYTES);
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(413)
      .json({ statusCode: 413, error: e.code, message: e.message, ...e.details });
  }
}

/** A download: the stored bytes under the detected type, never rendered by the browser as a page. */
const DOWNLOAD = {
  description: 'the file under its original name (Content-Disposition), with the Content-Type detected on upload',
  content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
  headers: {
    ETag: { description: 'the SHA-256 of the content, quoted', schema: { type: 'string' } },
    'X-Content-SHA256': { description: 'the SHA-256 of the content (hex)', schema: { type: 'string' } },
  },
} as const;

const PROBLEM_ID = { name: 'id', description: 'problem id (uuid) or code' } as const;

@ApiTags('files')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'not signed in, or the token expired', type: ErrorResponse })
@Controller('api')
export class FilesController {
  constructor(private readonly files: FilesService) {}

  @Post('problems/:id/files')
  @HttpCode(201)
  @UseFilters(UploadLimitFilter)
  @UseGuards(UploadRateGuard)
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary', description: 'the evidence; accepted by its content, not its name' },
        taskId: {
          type: 'string',
          format: 'uuid',
          description: 'the task the file is evidence for (a task of this problem)',
        },
        note: { type: 'string', maxLength: 500 },
        category: {
          type: 'string',
          enum: ['photo', 'report', 'document'],
          description: '佐证材料类别: 现场照片, 监测报告, 文件资料',
        },
      },
    },
  })
  @ApiOperation({
    summary:
      '佐证材料: upload evidence (JPEG, PNG, WebP, HEIC, PDF, docx/xlsx/pptx, doc/xls/ppt by content); 415 naming the detected type, 413 over the limit',
  })
  @ApiParam(PROBLEM_ID)
  @ApiCreatedResponse({ type: FileDoc })
  @ApiBadRequestResponse({
    description: 'not a well-formed multipart body, more than one file, or a file under a field other than `file`',
    type: ErrorResponse,
  })
  @ApiForbiddenResponse({
    description: "leaders and inspectors do not upload; a unit account only to its own unit's problems",
    type: ErrorResponse,
  })
  @ApiNotFoundResponse({ description: 'no problem with this id or code', type: ErrorResponse })
  @ApiPayloadTooLargeResponse({
    description: 'larger than the upload limit (DUBAN_MAX_UPLOAD_BYTES, 20 MB by default), named in `limit`',
    type: FileTooLargeDoc,
  })
  @ApiUnsupportedMediaTypeResponse({
    description: 'the content is not an accepted type; `detectedType` names what it is',
    type: UnsupportedFileDoc,
  })
  @ApiUnprocessableEntityResponse({
    description: 'no file, a taskId not of this problem, or a bad field',
    type: ValidationErrorResponse,
  })
  @ApiResponse({
    status: 429,
    description:
      'more uploads (files and imports) from this account in the last minute than DUBAN_UPLOAD_RATE_PER_MIN; Retry-After and retryAfterSeconds say when to try again',
    type: ErrorResponse,
  })
  upload(
    @Param('id') id: string,
    @UploadedFile() file: IncomingFile | undefined,
    @Body() body: UploadFileDto,
    @CurrentUser() user?: AuthUser,
  ) {
    return this.files.upload(id, file, body, user);
  }

  @Get('problems/:id/files')
  @ApiOperation({ summary: 'The evidence files of a problem (by id or code), oldest first' })
  @ApiParam(PROBLEM_ID)
  @ApiOkResponse({ type: [FileDoc] })
  @ApiForbiddenResponse({ description: "a unit account asking for another unit's problem", type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'no problem with this id or code', type: ErrorResponse })
  list(@Param('id') id: string) {
    return this.files.list(id);
  }

  @Get('problems/:id/files/:fileId')
  @ApiOperation({ summary: 'Download a file of this problem; 404 for a file of another problem' })
  @ApiParam(PROBLEM_ID)
  @ApiParam({ name: 'fileId', format: 'uuid' })
  @ApiOkResponse(DOWNLOAD)
  @ApiForbiddenResponse({ description: "a unit account asking for another unit's problem", type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'no such file of this problem', type: ErrorResponse })
  async downloadOfProblem(
    @Param('id') id: string,
    @Param('fileId') fileId: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.send(await this.files.open(fileId, id), res);
  }

  @Post('tasks/:id/petition/files')
  @HttpCode(201)
  @UseFilters(UploadLimitFilter)
  @UseGuards(UploadRateGuard)
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary', description: 'the evidence; accepted by its content, not its name' },
        note: { type: 'string', maxLength: 500 },
        category: {
          type: 'string',
          enum: ['photo', 'report', 'document'],
          description: '现场照片, 监测报告, 文件资料',
        },
      },
    },
  })
  @ApiOperation({
    summary:
      "佐证材料 of a complaint (信访件): upload on an open task of its process (调查核实, 处理), checked as a problem's",
  })
  @ApiParam({ name: 'id', format: 'uuid', description: 'an open task of petition.bpmn' })
  @ApiCreatedResponse({ type: FileDoc })
  @ApiForbiddenResponse({ description: 'not a task of this account (its unit or role)', type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'no open complaint task with this id', type: ErrorResponse })
  @ApiPayloadTooLargeResponse({ description: 'larger than the upload limit, named in `limit`', type: FileTooLargeDoc })
  @ApiUnsupportedMediaTypeResponse({ description: 'the content is not an accepted type', type: UnsupportedFileDoc })
  @ApiUnprocessableEntityResponse({ description: 'no file, or a bad field', type: ValidationErrorResponse })
  uploadOfPetition(
    @Param('id') id: string,
    @UploadedFile() file: IncomingFile | undefined,
    @Body() body: UploadFileDto,
    @CurrentUser() user?: AuthUser,
  ) {
    if (body.taskId && body.taskId !== id)
      throw new DomainException('UNKNOWN_REFERENCE', 422, 'taskId：文件只能上传到所在的任务', {
        fields: [{ field: 'taskId', message: '文件只能上传到所在的任务' }],
      });
    return this.files.uploadForTaskPetition(id, file, body, user);
  }

  @Get('tasks/:id/petition/files')
  @ApiOperation({ summary: 'The evidence files of the complaint an open task is about, oldest first' })
  @ApiParam({ name: 'id', format: 'uuid', description: 'an open task of petition.bpmn' })
  @ApiOkResponse({ type: [FileDoc] })
  @ApiForbiddenResponse({ description: "a unit account, for another unit's task", type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'no open complaint task with this id', type: ErrorResponse })
  listOfPetition(@Param('id') id: string) {
    return this.files.listOfTaskPetition(id);
  }

  @Get('tasks/:id/petition/files/:fileId')
  @ApiOperation({ summary: 'Download a file of the complaint an open task is about; 404 for any other file' })
  @ApiParam({ name: 'id', format: 'uuid', description: 'an open task of petition.bpmn' })
  @ApiParam({ name: 'fileId', format: 'uuid' })
  @ApiOkResponse(DOWNLOAD)
  @ApiForbiddenResponse({ description: "a unit account, for another unit's task", type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'no such file of this complaint', type: ErrorResponse })
  async downloadOfPetition(
    @Param('id') id: string,
    @Param('fileId') fileId: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.send(await this.files.openOfTaskPetition(id, fileId), res);
  }

  @Get('files/:id')
  @ApiOperation({ summary: 'Download a file under its original name' })
  @ApiParam({ name: 'id', format: 'uuid', description: 'file id' })
  @ApiOkResponse(DOWNLOAD)
  @ApiForbiddenResponse({
    description: "a unit account asking for a file of another unit's problem (or an unknown file)",
    type: ErrorResponse,
  })
  @ApiNotFoundResponse({ description: 'no such file', type: ErrorResponse })
  async download(@Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    return this.send(await this.files.open(id), res);
  }

  private send({ file, stream }: Awaited<ReturnType<FilesService['open']>>, res: Response): StreamableFile {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('Cache-Control', 'private, no-cache');
    res.setHeader('ETag', `"${file.sha256}"`);
    res.setHeader('X-Content-SHA256', file.sha256);
    return new StreamableFile(stream, {
      type: file.contentType,
      length: file.size,
      disposition: contentDisposition(file.name),
    });
  }
}

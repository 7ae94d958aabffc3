import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
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
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../auth/auth-user.js';
import { ErrorResponse, ValidationErrorResponse } from '../common/error-response.doc.js';
import { DomainException } from '../common/domain-exception.js';
import { UploadRateGuard } from '../common/upload-rate.js';
import { chinaDate } from '../problems/rules/china-date.js';
import { Clock } from '../clock/clock.js';
import { binary } from '../reports/dto/reports.doc.js';
import { XLSX_MIME } from '../reports/export/bulletin-workbook.js';
import { DOCX_MIME, attachment } from '../reports/export/official-docx.js';
import { ImportBatchDto } from './dto/import-batch.dto.js';
import { ListPetitionsQuery, ReportQuery } from './dto/list-petitions.query.js';
import { EnterPetitionDto } from './dto/enter-petition.dto.js';
import {
  BatchAcceptedDoc,
  BatchDetailDoc,
  BatchDoc,
  BatchListDoc,
  DailyReportDoc,
  EnteredPetitionDoc,
} from './dto/petitions.doc.js';
import { PetitionImportService } from './import/petition-import.service.js';
import { petitionTemplate } from './import/petition-template.js';
import { PetitionsService } from './petitions.service.js';
import { dailyReportDocx, dailyReportWorkbook, reportTitle } from './report/daily-report.js';

const MAX_BYTES = 5 * 1024 * 1024;
const notBatch = { description: 'no batch with this id', type: ErrorResponse };
const office = { description: 'only the office (and admin)', type: ErrorResponse };
const readers = {
  description: 'unit accounts see their complaints in their inbox, not the batches',
  type: ErrorResponse,
};
const badDate = { description: 'date is not a date (YYYY-MM-DD)', type: ValidationErrorResponse };

@ApiTags('petitions')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'not signed in, or the token expired', type: ErrorResponse })
@Controller('api/petitions')
export class PetitionsController {
  constructor(
    private readonly petitions: PetitionsService,
    private readonly importer: PetitionImportService,
    private readonly clock: Clock,
  ) {}

  @Post('batches')
  @HttpCode(202)
  @UseGuards(UploadRateGuard)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_BYTES, files: 1, fields: 10 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file', 'code', 'closeBy'],
      properties: {
        file: {
          type: 'string',
          format: 'binary',
          description: "the team's sheet (.xlsx), headers as in template.xlsx",
        },
        code: { type: 'string', maxLength: 50, description: 'the batch number (批次号)' },
        title: { type: 'string', maxLength: 200, description: 'the title shown and published' },
        receivedOn: { type: 'string', format: 'date', description: 'the day the team forwarded it' },
        closeBy: { type: 'string', format: 'date', description: "the team's 办结 date" },
        assignDays: { type: 'integer', minimum: 1, maximum: 30, description: 'working days to sign, default 1' },
      },
    },
  })
  @ApiOperation({
    summary:
      "Import a batch of complaints (the team's sheet, .xlsx ≤ 5 MB): checked whole (422 lists every bad cell), then stored with one process per complaint in the background",
  })
  @ApiAcceptedResponse({ type: BatchAcceptedDoc, description: 'accepted; poll the batch for its progress' })
  @ApiForbiddenResponse(office)
  @ApiConflictResponse({
    description: 'the batch number is taken, or petition.bpmn is not deployed',
    type: ErrorResponse,
  })
  @ApiPayloadTooLargeResponse({ description: 'the file is larger than 5 MB', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({
    description: 'no file, not a workbook, bad form fields or bad cells (all listed); nothing imported',
    type: ValidationErrorResponse,
  })
  async importBatch(
    @UploadedFile() file: { buffer: Buffer } | undefined,
    @Body() body: ImportBatchDto,
    @CurrentUser() user: AuthUser,
  ) {
    if (!file?.buffer?.length)
      throw new DomainException('VALIDATION', 422, 'file：请上传 .xlsx 文件', {
        fields: [{ field: 'file', message: '请上传 .xlsx 文件' }],
      });
    const code = body.code.trim();
    const { id, rows } = await this.importer.submit(
      file.buffer,
      {
        code,
        title: body.title?.trim() || `中央环境保护督察组转办${code}信访件`,
        receivedOn: body.receivedOn ?? chinaDate(this.clock.now()),
        closeBy: body.closeBy,
        assignDays: body.assignDays ?? 1,
      },
      user,
    );
    return { batchId: id, rows, statusUrl: `/api/petitions/batches/${id}` };
  }

  @Get('template.xlsx')
  @Header('Content-Type', XLSX_MIME)
  @ApiOperation({ summary: "The team's sheet with its columns and an example row, to fill in and import" })
  @ApiOkResponse(binary(XLSX_MIME))
  @ApiForbiddenResponse(office)
  async template() {
    return new StreamableFile(await petitionTemplate(), {
      disposition: attachment('petition-template.xlsx', '信访件交办表模板.xlsx'),
    });
  }

  @Get('batches')
  @ApiOperation({ summary: 'The batches, newest first, each with its numbers (received, 交办, 办结, 属实 …)' })
  @ApiOkResponse({ type: BatchListDoc })
  @ApiForbiddenResponse(readers)
  listBatches() {
    return this.petitions.listBatches();
  }

  @Get('batches/:id')
  @ApiOperation({ summary: 'A batch with its numbers (also by district and pollution type) and its complaints' })
  @ApiOkResponse({ type: BatchDetailDoc })
  @ApiForbiddenResponse(readers)
  @ApiNotFoundResponse(notBatch)
  getBatch(@Param('id') id: string, @Query() q: ListPetitionsQuery) {
    return this.petitions.getBatch(id, q);
  }

  @Post('batches/:id/petitions')
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Enter one complaint by hand into an imported batch: checked as a row of the sheet (Chinese errors by field, 重复件 linked), its process started',
  })
  @ApiCreatedResponse({ type: EnteredPetitionDoc })
  @ApiForbiddenResponse(office)
  @ApiNotFoundResponse(notBatch)
  @ApiConflictResponse({
    description: 'the batch is not imported (yet) or already published, or the 受理编号 is taken',
    type: ErrorResponse,
  })
  @ApiUnprocessableEntityResponse({ description: 'bad fields, each named', type: ValidationErrorResponse })
  enter(@Param('id') id: string, @Body() body: EnterPetitionDto, @CurrentUser() user: AuthUser) {
    return this.importer.enter(id, body, user);
  }

  @Post('batches/:id/publish')
  @HttpCode(200)
  @ApiOperation({ summary: '信访件办理情况公开: the batch becomes public (its page and the public API)' })
  @ApiOkResponse({ type: BatchDoc })
  @ApiForbiddenResponse(office)
  @ApiNotFoundResponse(notBatch)
  @ApiConflictResponse({ description: 'the batch is not imported (yet)', type: ErrorResponse })
  publish(@Param('id') id: string, @CurrentUser() user: AuthUser) {
    return this.petitions.publish(id, user);
  }

  @Get('report.xlsx')
  @Header('Content-Type', XLSX_MIME)
  @ApiOperation({ summary: 'The daily report as a workbook (by batch, by district, by pollution type)' })
  @ApiOkResponse(binary(XLSX_MIME))
  @ApiForbiddenResponse(readers)
  @ApiUnprocessableEntityResponse(badDate)
  async reportXlsx(@Query() q: ReportQuery) {
    const r = await this.petitions.report(q.date);
    return new StreamableFile(await dailyReportWorkbook(r), {
      disposition: attachment(`petitions-${r.date}.xlsx`, `${reportTitle(r)}.xlsx`),
    });
  }

  @Get('report.docx')
  @Header('Content-Type', DOCX_MIME)
  @ApiOperation({ summary: 'The daily report as a document, in the usual layout' })
  @ApiOkResponse(binary(DOCX_MIME))
  @ApiForbiddenResponse(readers)
  @ApiUnprocessableEntityResponse(badDate)
  async reportDocx(@Query() q: ReportQuery) {
    const r = await this.petitions.report(q.date);
    return new StreamableFile(await dailyReportDocx(r), {
      disposition: attachment(`petitions-${r.date}.docx`, `${reportTitle(r)}.docx`),
    });
  }

  @Get('report')
  @ApiOperation({ summary: "The daily report's figures: the day's batches, every batch so far, by district and type" })
  @ApiOkResponse({ type: DailyReportDoc })
  @ApiForbiddenResponse(readers)
  @ApiUnprocessableEntityResponse(badDate)
  report(@Query() q: ReportQuery) {
    return this.petitions.report(q.date);
  }
}

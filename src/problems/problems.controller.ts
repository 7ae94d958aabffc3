import { Body, Controller, Get, Header, HttpCode, Param, Post, Query, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainException } from '../common/domain-exception.js';
import { ImportProblemsDto } from './dto/import-problems.dto.js';
import { ListProblemsQuery } from './dto/list-problems.query.js';
import { XLSX_MIME, templateWorkbook } from './export/ledger-workbook.js';
import { MAX_BYTES } from './import/import-columns.js';
import { ProblemImportService } from './import/problem-import.service.js';
import { ProblemsService } from './problems.service.js';

/** What multer's memory storage hands over for the `file` field. */
interface UploadedXlsx {
  buffer: Buffer;
  originalname: string;
  size: number;
}

@ApiTags('problems')
@Controller('api/problems')
export class ProblemsController {
  constructor(
    private readonly problems: ProblemsService,
    private readonly importer: ProblemImportService,
  ) {}

  @Post('import')
  @HttpCode(201)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_BYTES, files: 1, fields: 10 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' }, source: { type: 'string' } } } })
  @ApiOperation({ summary: '交办: import a problem list (.xlsx, ≤ 5 MB, ≤ 20000 rows); all or nothing, 422 lists every bad cell' })
  async import(@UploadedFile() file: UploadedXlsx | undefined, @Body() body: ImportProblemsDto) {
    if (!file?.buffer?.length) throw new DomainException('VALIDATION', 422, 'file: an .xlsx file is required', { fields: [{ field: 'file', message: 'an .xlsx file is required' }] });
    return this.importer.import(file.buffer, { source: body.source });
  }

  @Get('import-template.xlsx')
  @Header('Content-Type', XLSX_MIME)
  @Header('Content-Disposition', `attachment; filename="problem-template.xlsx"; filename*=UTF-8''${encodeURIComponent('问题清单模板.xlsx')}`)
  @ApiOperation({ summary: 'The problem list template with its headers and one example row' })
  async template() {
    return new StreamableFile(await templateWorkbook());
  }

  @Get()
  @ApiOperation({ summary: 'The ledger, filtered and paged' })
  list(@Query() q: ListProblemsQuery) {
    return this.problems.list(q);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One problem (by id or code) with its open tasks, milestones, progress and process instance' })
  get(@Param('id') id: string) {
    return this.problems.get(id);
  }
}

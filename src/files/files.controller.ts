import { ArgumentsHost, Catch, Controller, Get, HttpCode, Injectable, Param, PayloadTooLargeException, Post, Res, StreamableFile, UploadedFile, UseFilters, UseInterceptors, Body, type ExceptionFilter } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser, type AuthUser } from '../auth/auth-user.js';
import { AppConfig } from '../config/app-config.js';
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
    host.switchToHttp().getResponse<Response>().status(413).json({ statusCode: 413, error: e.code, message: e.message, ...e.details });
  }
}

@ApiTags('files')
@Controller('api')
export class FilesController {
  constructor(private readonly files: FilesService) {}

  @Post('problems/:id/files')
  @HttpCode(201)
  @UseFilters(UploadLimitFilter)
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' }, taskId: { type: 'string', format: 'uuid' }, note: { type: 'string' } } } })
  @ApiOperation({ summary: '佐证材料: upload evidence (JPEG, PNG, WebP, HEIC, PDF, docx/xlsx/pptx, doc/xls/ppt by content); 415 naming the detected type, 413 over the limit' })
  upload(@Param('id') id: string, @UploadedFile() file: IncomingFile | undefined, @Body() body: UploadFileDto, @CurrentUser() user?: AuthUser) {
    return this.files.upload(id, file, body, user);
  }

  @Get('problems/:id/files')
  @ApiOperation({ summary: 'The evidence files of a problem (by id or code), oldest first' })
  list(@Param('id') id: string) {
    return this.files.list(id);
  }

  @Get('problems/:id/files/:fileId')
  @ApiOperation({ summary: 'Download a file of this problem; 404 for a file of another problem' })
  async downloadOfProblem(@Param('id') id: string, @Param('fileId') fileId: string, @Res({ passthrough: true }) res: Response) {
    return this.send(await this.files.open(fileId, id), res);
  }

  @Get('files/:id')
  @ApiOperation({ summary: 'Download a file under its original name' })
  async download(@Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    return this.send(await this.files.open(id), res);
  }

  private send({ file, stream }: Awaited<ReturnType<FilesService['open']>>, res: Response): StreamableFile {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('Cache-Control', 'private, no-cache');
    res.setHeader('ETag', `"${file.sha256}"`);
    res.setHeader('X-Content-SHA256', file.sha256);
    return new StreamableFile(stream, { type: file.contentType, length: file.size, disposition: contentDisposition(file.name) });
  }
}

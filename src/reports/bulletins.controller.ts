import { Controller, Get, Header, HttpCode, Param, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../auth/auth-user.js';
import { BulletinService } from './bulletin.service.js';
import { bulletinDocx } from './export/bulletin-docx.js';
import { XLSX_MIME, bulletinWorkbook } from './export/bulletin-workbook.js';
import { DOCX_MIME, attachment } from './export/official-docx.js';

@ApiTags('reports')
@Controller('api/bulletins')
export class BulletinsController {
  constructor(private readonly bulletins: BulletinService) {}

  @Get()
  @ApiOperation({ summary: 'Published bulletins (月通报), newest first' })
  list() {
    return this.bulletins.list();
  }

  @Get(':month.xlsx')
  @Header('Content-Type', XLSX_MIME)
  @ApiOperation({ summary: 'The bulletin of a month as a workbook (the snapshot once published)' })
  async xlsx(@Param('month') month: string) {
    const b = await this.bulletins.get(month);
    return new StreamableFile(await bulletinWorkbook(b), { disposition: attachment(`bulletin-${month}.xlsx`, `${b.title}.xlsx`) });
  }

  @Get(':month.docx')
  @Header('Content-Type', DOCX_MIME)
  @ApiOperation({ summary: 'The bulletin of a month as an official document (red masthead, number, ranking, units named)' })
  async docx(@Param('month') month: string) {
    const b = await this.bulletins.get(month);
    return new StreamableFile(await bulletinDocx(b), { disposition: attachment(`bulletin-${month}.docx`, `${b.title}.docx`) });
  }

  @Get(':month')
  @ApiQuery({ name: 'recompute', required: false, description: 'true: compute afresh as of the month end, ignoring the snapshot' })
  @ApiOperation({ summary: 'A month: per lead unit assigned, closed, overdue, on-time rate and rank, units named; the frozen snapshot once published' })
  get(@Param('month') month: string, @Query('recompute') recompute?: string) {
    return recompute === 'true' ? this.bulletins.compute(month) : this.bulletins.get(month);
  }

  @Post(':month/publish')
  @HttpCode(201)
  @ApiOperation({ summary: 'Publish (freeze) a month that is over; 409 when already published or not over' })
  publish(@Param('month') month: string, @CurrentUser() user?: AuthUser) {
    return this.bulletins.publish(month, user?.username ?? 'office');
  }
}

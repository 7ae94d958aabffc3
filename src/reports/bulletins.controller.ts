import { Controller, Get, Header, HttpCode, Param, Post, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../auth/auth-user.js';
import { supervisedRoot } from '../org/office-scope.js';
import { ErrorResponse } from '../auth/dto/login.dto.js';
import { BulletinService } from './bulletin.service.js';
import { BulletinDoc, PublishedBulletinDoc, binary } from './dto/reports.doc.js';
import { bulletinDocx } from './export/bulletin-docx.js';
import { XLSX_MIME, bulletinWorkbook } from './export/bulletin-workbook.js';
import { DOCX_MIME, attachment } from './export/official-docx.js';

const badMonth = { description: 'not a month (YYYY-MM), or a month still to come', type: ErrorResponse };
const draft = { description: 'a unit account, for a month not published (a draft) or recomputed', type: ErrorResponse };

@ApiTags('reports')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'not signed in, or the token expired', type: ErrorResponse })
@Controller('api/bulletins')
export class BulletinsController {
  constructor(private readonly bulletins: BulletinService) {}

  @Get()
  @ApiOperation({ summary: 'Published bulletins (月通报), newest first' })
  @ApiOkResponse({ type: [PublishedBulletinDoc] })
  list() {
    return this.bulletins.list();
  }

  @Get(':month.xlsx')
  @Header('Content-Type', XLSX_MIME)
  @ApiOperation({ summary: 'The bulletin of a month as a workbook (the snapshot once published)' })
  @ApiOkResponse(binary(XLSX_MIME))
  @ApiForbiddenResponse(draft)
  @ApiUnprocessableEntityResponse(badMonth)
  async xlsx(@Param('month') month: string, @CurrentUser() user?: AuthUser) {
    const b = await this.bulletins.get(month, supervisedRoot(user));
    return new StreamableFile(await bulletinWorkbook(b), {
      disposition: attachment(`bulletin-${month}.xlsx`, `${b.title}.xlsx`),
    });
  }

  @Get(':month.docx')
  @Header('Content-Type', DOCX_MIME)
  @ApiOperation({
    summary: 'The bulletin of a month as an official document (red masthead, number, ranking, units named)',
  })
  @ApiOkResponse(binary(DOCX_MIME))
  @ApiForbiddenResponse(draft)
  @ApiUnprocessableEntityResponse(badMonth)
  async docx(@Param('month') month: string, @CurrentUser() user?: AuthUser) {
    const b = await this.bulletins.get(month, supervisedRoot(user));
    return new StreamableFile(await bulletinDocx(b), {
      disposition: attachment(`bulletin-${month}.docx`, `${b.title}.docx`),
    });
  }

  @Get(':month')
  @ApiQuery({
    name: 'recompute',
    required: false,
    description: 'true: compute afresh as of the month end, ignoring the snapshot',
  })
  @ApiOperation({
    summary:
      'A month per lead unit (assigned, closed, overdue, on-time rate, rank, units named); the snapshot once published',
  })
  @ApiOkResponse({ type: BulletinDoc })
  @ApiForbiddenResponse(draft)
  @ApiUnprocessableEntityResponse(badMonth)
  get(@Param('month') month: string, @Query('recompute') recompute?: string, @CurrentUser() user?: AuthUser) {
    // 分级督办: an office of a lower level reads the month of its own subtree.
    const within = supervisedRoot(user);
    return recompute === 'true' ? this.bulletins.recompute(month, within) : this.bulletins.get(month, within);
  }

  @Post(':month/publish')
  @HttpCode(201)
  @ApiOperation({ summary: 'Publish (freeze) a month that is over; 409 when already published or not over' })
  @ApiCreatedResponse({ type: BulletinDoc })
  @ApiForbiddenResponse({ description: 'only the office (and admin) publish', type: ErrorResponse })
  @ApiConflictResponse({ description: 'ALREADY_PUBLISHED, or MONTH_NOT_OVER', type: ErrorResponse })
  @ApiUnprocessableEntityResponse(badMonth)
  publish(@Param('month') month: string, @CurrentUser() user?: AuthUser) {
    return this.bulletins.publish(month, user?.username ?? 'office');
  }
}

import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { throttleAddress } from '../../auth/client-address.js';
import { notFound } from '../../common/domain-exception.js';
import { ErrorResponse, ValidationErrorResponse } from '../../common/error-response.doc.js';
import { isUuid } from '../../engine/engine.service.js';
import { ProblemsRepository } from '../../problems/problems.repository.js';
import {
  ObjectionDto,
  ObjectionReceiptDoc,
  PublicNoticesDoc,
  PublicNoticesQuery,
  SignoffRecordDoc,
} from './signoff.dto.js';
import { SignoffService } from './signoff.service.js';

@ApiTags('public')
@Controller('api/public/notices')
export class PublicNoticesController {
  constructor(private readonly signoff: SignoffService) {}

  @Get()
  @ApiOperation({
    summary: '销号公示 (no sign-in): the problems whose sign-off is on public notice now, with the last day to object',
  })
  @ApiOkResponse({ type: PublicNoticesDoc })
  @ApiResponse({ status: 422, description: 'a bad page or page size', type: ValidationErrorResponse })
  list(@Query() q: PublicNoticesQuery) {
    return this.signoff.publicNotices(q.page, q.pageSize);
  }

  @Post(':code/objections')
  @HttpCode(201)
  @ApiOperation({
    summary:
      '异议 (no sign-in): an objection to a sign-off on notice; the office reviews it before the problem is signed off',
  })
  @ApiParam({ name: 'code', description: 'problem code' })
  @ApiCreatedResponse({ type: ObjectionReceiptDoc })
  @ApiResponse({ status: 404, description: 'no problem with this code', type: ErrorResponse })
  @ApiResponse({ status: 409, description: 'the problem is not on notice', type: ErrorResponse })
  @ApiResponse({ status: 422, description: 'content missing or too long', type: ValidationErrorResponse })
  @ApiResponse({
    status: 429,
    description: 'too many objections from this address in the last hour',
    type: ErrorResponse,
  })
  object(@Param('code') code: string, @Body() dto: ObjectionDto, @Req() req: Request) {
    return this.signoff.object(code, dto, throttleAddress(req.ip));
  }
}

@ApiTags('problems')
@ApiBearerAuth()
@ApiResponse({ status: 401, description: 'not signed in, or the token expired', type: ErrorResponse })
@Controller('api/problems')
export class SignoffRecordController {
  constructor(
    private readonly signoff: SignoffService,
    private readonly problems: ProblemsRepository,
  ) {}

  @Get(':id/signoff')
  @ApiOperation({
    summary: '验收销号记录: each 公示 with its objections and the office decision, and the filings (备案)',
  })
  @ApiParam({ name: 'id', description: 'problem id (uuid) or code' })
  @ApiOkResponse({ type: SignoffRecordDoc })
  @ApiResponse({ status: 403, description: "a unit account, for another unit's problem", type: ErrorResponse })
  @ApiResponse({ status: 404, description: 'no problem with this id or code', type: ErrorResponse })
  async record(@Param('id') id: string) {
    const p = isUuid(id) ? await this.problems.findById(id) : await this.problems.findByCode(id);
    if (!p) throw notFound('problem', id);
    return this.signoff.record(p.id);
  }
}

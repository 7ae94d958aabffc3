import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { notFound } from '../common/domain-exception.js';
import { ErrorResponse } from '../auth/dto/login.dto.js';
import { isUuid } from '../engine/engine.service.js';
import { AuditRepository } from './audit.repository.js';
import { AuditService } from './audit.service.js';
import { AuditEntryDoc, AuditPageDoc, VerifyDoc } from './dto/audit-entry.view.js';
import { ListAuditQuery } from './dto/list-audit.query.js';

@ApiTags('audit')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'not signed in', type: ErrorResponse })
@ApiForbiddenResponse({
  description: 'the role may not read the trail, or the problem is not the unit’s',
  type: ErrorResponse,
})
@Controller('api/audit')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly repo: AuditRepository,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The audit trail, newest first, filtered (office, admin, leaders)' })
  @ApiOkResponse({ type: AuditPageDoc })
  @ApiUnprocessableEntityResponse({ description: 'a bad filter', type: ErrorResponse })
  async list(@Query() q: ListAuditQuery) {
    const { items, total } = await this.audit.list({
      problemId: q.problemId,
      entityType: q.entityType,
      entityId: q.entityId,
      actor: q.actor,
      action: q.action,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    });
    return { items, total, page: q.page, pageSize: q.pageSize };
  }

  @Get('verify')
  @ApiOperation({
    summary: 'Recompute the hash chain: OK with the count, or the first entry altered or removed (admin)',
  })
  @ApiOkResponse({ type: VerifyDoc })
  verify() {
    return this.audit.verify();
  }

  @Get('problems/:id')
  @ApiOperation({ summary: "A problem's timeline (by id or code), oldest first; a unit reads its own problems'" })
  @ApiOkResponse({ type: [AuditEntryDoc] })
  async timeline(@Param('id') id: string) {
    const problemId = isUuid(id) ? id : await this.repo.problemIdOfCode(id);
    if (!problemId) throw notFound('problem', id);
    return this.audit.timelineOfProblem(problemId);
  }
}

import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { STATUS_LABELS, type ProblemStatus } from '../problems/problem-status.js';
import { PublicProblemsQuery } from './dto/web-queries.dto.js';
import { PublicRepository } from './public.repository.js';

@ApiTags('public')
@Controller('api/public')
export class PublicController {
  constructor(private readonly repo: PublicRepository) {}

  @Get('problems')
  @ApiOperation({
    summary:
      '信息公开 (no sign-in): code, summary, category, lead unit, deadline, status and sign-off date of every assigned problem',
  })
  async problems(@Query() q: PublicProblemsQuery) {
    const rows = await this.repo.page(q.q?.trim() || undefined, (q.page - 1) * q.pageSize, q.pageSize);
    return {
      items: rows.map((r) => ({
        code: r.code,
        summary: r.title,
        category: r.category,
        leadUnit: r.lead_unit_name,
        deadline: r.deadline,
        status: r.status,
        statusLabel: STATUS_LABELS[r.status as ProblemStatus] ?? r.status,
        signedOffOn: r.signed_off_on,
      })),
      total: rows.length ? Number(rows[0].total) : 0,
      page: q.page,
      pageSize: q.pageSize,
    };
  }
}

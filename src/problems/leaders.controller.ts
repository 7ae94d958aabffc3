import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProblemsRepository } from './problems.repository.js';

@ApiTags('problems')
@Controller('api')
export class LeadersController {
  constructor(private readonly problems: ProblemsRepository) {}

  @Get('leaders')
  @ApiOperation({
    summary: '责任领导: the enabled leader accounts a problem may name (username and person name), at most 500',
  })
  async leaders() {
    const rows = await this.problems.allLeaders();
    return { items: rows.map((r) => ({ username: r.username, name: r.name })) };
  }
}

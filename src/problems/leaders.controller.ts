import { Controller, Get } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorResponse } from '../auth/dto/login.dto.js';
import { ProblemsRepository } from './problems.repository.js';

export class LeaderDoc {
  @ApiProperty({ example: 'leader1' }) username: string;
  @ApiProperty({ example: '王副市长', description: 'the person name, else the username' }) name: string;
}

export class LeadersDoc {
  @ApiProperty({ type: [LeaderDoc] }) items: LeaderDoc[];
}

@ApiTags('problems')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'not signed in, or the token expired', type: ErrorResponse })
@Controller('api')
export class LeadersController {
  constructor(private readonly problems: ProblemsRepository) {}

  @Get('leaders')
  @ApiOperation({
    summary: '责任领导: the enabled leader accounts a problem may name (username and person name), at most 500',
  })
  @ApiOkResponse({ type: LeadersDoc })
  @ApiForbiddenResponse({ description: 'unit accounts', type: ErrorResponse })
  async leaders() {
    const rows = await this.problems.allLeaders();
    return { items: rows.map((r) => ({ username: r.username, name: r.name })) };
  }
}

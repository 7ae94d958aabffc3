import { Controller, Get } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorResponse } from '../common/error-response.doc.js';
import { ProblemsRepository } from './problems.repository.js';

@ApiTags('problems')
@ApiBearerAuth()
@Controller('api')
export class LeadersController {
  constructor(private readonly problems: ProblemsRepository) {}

  @Get('leaders')
  @ApiOperation({
    summary: '责任领导: the enabled leader accounts a problem may name (username and person name), at most 500',
  })
  @ApiOkResponse({
    description: 'the leader accounts',
    schema: {
      type: 'object',
      properties: {
        items: {
          type: 'array',
          items: {
            type: 'object',
            properties: { username: { type: 'string' }, name: { type: 'string', nullable: true } },
          },
        },
      },
    },
  })
  @ApiUnauthorizedResponse({ description: 'not signed in, or the token expired', type: ErrorResponse })
  @ApiForbiddenResponse({ description: 'a unit account may not list the leaders', type: ErrorResponse })
  async leaders() {
    const rows = await this.problems.allLeaders();
    return { items: rows.map((r) => ({ username: r.username, name: r.name })) };
  }
}

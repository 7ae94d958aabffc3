import { Controller, Get, Param } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorResponse } from '../common/error-response.doc.js';
import { ProblemDetailDoc } from '../problems/dto/problem.doc.js';
import { ProblemsService } from '../problems/problems.service.js';

@ApiTags('web')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'not signed in, or the token expired', type: ErrorResponse })
@Controller('api/web/problems')
export class ProblemPageController {
  constructor(private readonly problems: ProblemsService) {}

  @Get(':id')
  @ApiOperation({
    summary:
      'The problem page: the problem with its tasks, plan, progress and the trail told (what was submitted, by which person of which unit)',
  })
  @ApiParam({ name: 'id', description: 'problem id (uuid) or code' })
  @ApiOkResponse({ type: ProblemDetailDoc })
  @ApiForbiddenResponse({ description: "a unit account asking for another unit's problem", type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'no problem with this id or code', type: ErrorResponse })
  get(@Param('id') id: string) {
    return this.problems.get(id);
  }
}

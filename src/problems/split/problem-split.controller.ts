import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../../auth/auth-user.js';
import { ErrorResponse, ValidationErrorResponse } from '../../common/error-response.doc.js';
import { supervisedRoot } from '../../org/office-scope.js';
import { ProblemDetailDoc } from '../dto/problem.doc.js';
import { SplitProblemDto } from '../dto/split-problem.dto.js';
import { ProblemSplitService } from './problem-split.service.js';

@ApiTags('problems')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'not signed in, or the token expired', type: ErrorResponse })
@Controller('api/problems')
export class ProblemSplitController {
  constructor(private readonly splitter: ProblemSplitService) {}

  @Post(':id/split')
  @HttpCode(200)
  @ApiOperation({
    summary:
      '拆分下达: split a problem into child problems for units below its lead unit, each with its own rectification',
    description:
      "Each child's deadline is no later than the parent's; its unit is below the problem's lead unit and in the " +
      "splitter's subtree. The parent passes its own 验收 only once every child is signed off; each child's " +
      'sign-off is filed up to it (备案).',
  })
  @ApiParam({ name: 'id', description: 'problem id (uuid) or code' })
  @ApiOkResponse({ type: ProblemDetailDoc, description: 'the parent problem, with its children and roll-up' })
  @ApiForbiddenResponse({
    description: 'not the office, or the problem is outside the office’s subtree',
    type: ErrorResponse,
  })
  @ApiNotFoundResponse({ description: 'no problem with this id or code', type: ErrorResponse })
  @ApiConflictResponse({ description: 'the problem is no longer open, or a child code is taken', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({
    description: 'no child or too many, a unit not below the lead unit, a deadline after the parent’s',
    type: ValidationErrorResponse,
  })
  split(@Param('id') id: string, @Body() dto: SplitProblemDto, @CurrentUser() user: AuthUser) {
    return this.splitter.split(id, dto, {
      actor: user.accountId,
      actorName: user.username,
      root: supervisedRoot(user),
    });
  }
}

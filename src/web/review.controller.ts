import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ProcessParams, ReviewProblemsQuery, ReviewQuery, StepParams } from './dto/web-queries.dto.js';
import { CurrentUser, type AuthUser } from '../auth/auth-user.js';
import { supervisedRoot } from '../org/office-scope.js';
import { ReviewService } from './review.service.js';

@ApiTags('web')
@ApiBearerAuth()
@Controller('api/web/review')
export class ReviewController {
  constructor(private readonly review: ReviewService) {}

  @Get()
  @ApiOperation({ summary: '挂图作战: the processes to choose from (newest version of each key)' })
  processes() {
    return this.review.processes();
  }

  @Get(':processKey')
  @ApiOperation({
    summary:
      'The diagram with, per step (tasks, timer waits, call activities), the problems there now each counted once, overdue, due within 3 days, red, the average time spent there; totals count each problem once',
  })
  @ApiResponse({ status: 404, description: 'no such process' })
  @ApiResponse({ status: 422, description: 'a bad filter or key' })
  steps(@Param() p: ProcessParams, @Query() q: ReviewQuery, @CurrentUser() user: AuthUser) {
    return this.review.review(p.processKey, { ...q, within: supervisedRoot(user) ?? q.within });
  }

  @Get(':processKey/steps/:activityId/problems')
  @ApiOperation({ summary: 'The problems standing at one step, earliest due first' })
  @ApiResponse({ status: 422, description: 'a bad filter, key or page' })
  problems(@Param() p: StepParams, @Query() q: ReviewProblemsQuery, @CurrentUser() user: AuthUser) {
    // An office of a lower level sees its subtree's problems only, whatever it asks for.
    return this.review.stepProblems(p.processKey, p.activityId, { ...q, within: supervisedRoot(user) ?? q.within });
  }
}

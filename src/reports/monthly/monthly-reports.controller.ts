import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ErrorResponse } from '../../auth/dto/login.dto.js';
import { MonthlyReportDto } from '../dto/monthly-report.dto.js';
import { MonthlyReportFormDoc, MonthlyReportResultDoc, MonthlyRequestsDoc } from '../dto/reports.doc.js';
import { MonthlyReportService } from './monthly-report.service.js';

const notMine = { description: "the task is not given to this account's unit (or role)", type: ErrorResponse };
const noTask = { description: 'no open monthly-report task with this id', type: ErrorResponse };

@ApiTags('reports')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'not signed in, or the token expired', type: ErrorResponse })
@Controller('api/monthly-reports')
export class MonthlyReportsController {
  constructor(private readonly reports: MonthlyReportService) {}

  @Get('tasks/:id')
  @ApiOperation({ summary: 'The form of a monthly-report task: the problems the unit reports on this month' })
  @ApiOkResponse({ type: MonthlyReportFormDoc })
  @ApiForbiddenResponse(notMine)
  @ApiNotFoundResponse(noTask)
  form(@Param('id') id: string) {
    return this.reports.form(id);
  }

  @Post('tasks/:id')
  @HttpCode(200)
  @ApiOperation({
    summary: '月度整改进展: report on every problem asked about; stores the progress and completes the task',
  })
  @ApiOkResponse({ type: MonthlyReportResultDoc })
  @ApiForbiddenResponse(notMine)
  @ApiNotFoundResponse(noTask)
  @ApiConflictResponse({ description: 'the task was completed meanwhile', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({
    description: 'a problem not asked about, reported twice, or one left out',
    type: ErrorResponse,
  })
  submit(@Param('id') id: string, @Body() dto: MonthlyReportDto) {
    return this.reports.submit(id, dto.reports);
  }

  @Get(':month')
  @ApiOperation({ summary: "The month's report requests (月调度): per unit, the problems reported on and missing" })
  @ApiOkResponse({ type: MonthlyRequestsDoc })
  @ApiForbiddenResponse({ description: 'unit accounts see their own tasks, not the whole month', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({ description: 'not a month (YYYY-MM)', type: ErrorResponse })
  month(@Param('month') month: string) {
    return this.reports.month(month);
  }
}

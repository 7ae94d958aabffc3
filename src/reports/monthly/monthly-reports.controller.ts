import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { MonthlyReportDto } from '../dto/monthly-report.dto.js';
import { MonthlyReportService } from './monthly-report.service.js';

@ApiTags('reports')
@Controller('api/monthly-reports')
export class MonthlyReportsController {
  constructor(private readonly reports: MonthlyReportService) {}

  @Get('tasks/:id')
  @ApiOperation({ summary: 'The form of a monthly-report task: the problems the unit reports on this month' })
  form(@Param('id') id: string) {
    return this.reports.form(id);
  }

  @Post('tasks/:id')
  @HttpCode(200)
  @ApiOperation({ summary: '月度整改进展: report on every problem asked about; stores the progress and completes the task' })
  submit(@Param('id') id: string, @Body() dto: MonthlyReportDto) {
    return this.reports.submit(id, dto.reports);
  }

  @Get(':month')
  @ApiOperation({ summary: 'The month\'s report requests (月调度): per unit, the problems reported on and missing' })
  month(@Param('month') month: string) {
    return this.reports.month(month);
  }
}

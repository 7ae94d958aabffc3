import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IndicatorValueDto } from '../dto/indicator-value.dto.js';
import { IndicatorsQuery } from '../dto/indicators.query.js';
import { IndicatorService } from './indicator.service.js';

@ApiTags('reports')
@Controller('api/indicators')
export class IndicatorsController {
  constructor(private readonly indicators: IndicatorService) {}

  @Get()
  @ApiOperation({ summary: 'The plan\'s indicators: targets by year, monthly values, year-to-date means against the targets' })
  list(@Query() q: IndicatorsQuery) {
    return this.indicators.list(q.year);
  }

  @Put(':code/values/:month')
  @ApiOperation({ summary: 'Enter or correct the value of a month (YYYY-MM)' })
  put(@Param('code') code: string, @Param('month') month: string, @Body() dto: IndicatorValueDto) {
    return this.indicators.putValue(code, month, dto.value);
  }
}

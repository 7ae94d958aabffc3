import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ErrorResponse } from '../../auth/dto/login.dto.js';
import { IndicatorValueDto } from '../dto/indicator-value.dto.js';
import { IndicatorsQuery } from '../dto/indicators.query.js';
import { IndicatorDoc, IndicatorPutDoc } from '../dto/reports.doc.js';
import { IndicatorService } from './indicator.service.js';

@ApiTags('reports')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'not signed in, or the token expired', type: ErrorResponse })
@Controller('api/indicators')
export class IndicatorsController {
  constructor(private readonly indicators: IndicatorService) {}

  @Get()
  @ApiOperation({
    summary: "The plan's indicators: targets by year, monthly values, year-to-date means against the targets",
  })
  @ApiOkResponse({ type: [IndicatorDoc] })
  @ApiUnprocessableEntityResponse({ description: 'year is not a whole number 2000–2100', type: ErrorResponse })
  list(@Query() q: IndicatorsQuery) {
    return this.indicators.list(q.year);
  }

  @Put(':code/values/:month')
  @ApiOperation({ summary: 'Enter or correct the value of a month (YYYY-MM)' })
  @ApiOkResponse({ type: IndicatorPutDoc })
  @ApiForbiddenResponse({ description: 'only the office (and admin) enter values', type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'no indicator with this code', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({
    description: 'a bad or future month, a value that is no number, negative, or a percentage over 100',
    type: ErrorResponse,
  })
  put(@Param('code') code: string, @Param('month') month: string, @Body() dto: IndicatorValueDto) {
    return this.indicators.putValue(code, month, dto.value);
  }
}

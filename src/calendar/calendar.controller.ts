import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ErrorResponse, ValidationErrorResponse } from '../common/error-response.doc.js';
import { DomainException } from '../common/domain-exception.js';
import { CalendarService } from './calendar.service.js';
import {
  CalendarChangeDoc,
  CalendarChangeSummaryDoc,
  CalendarDayInfoDoc,
  CalendarStatusDoc,
  CalendarYearDoc,
  CalendarYearSummaryDoc,
  WorkdayResultDoc,
} from './dto/calendar.doc.js';
import { ChangesQueryDto } from './dto/changes-query.dto.js';
import { PutYearDto } from './dto/put-year.dto.js';
import { WorkdaysQueryDto } from './dto/workdays-query.dto.js';
import { MAX_YEAR, MIN_YEAR } from './workday-rules.js';

function yearParam(value: string): number {
  const year = Number(value);
  if (!/^\d{4}$/.test(value) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new DomainException('VALIDATION', 422, `year：“${value}”不是 ${MIN_YEAR} 到 ${MAX_YEAR} 之间的年份`, {
      fields: [{ field: 'year', message: `应为 ${MIN_YEAR} 到 ${MAX_YEAR} 之间的年份` }],
    });
  }
  return year;
}

const UNKNOWN_YEAR =
  'a date that is not a calendar date, or a year the calendar has no data for (error UNKNOWN_YEAR names it)';

@ApiTags('calendar')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'not signed in, or the token expired', type: ErrorResponse })
@Controller('api/calendar')
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  @Get('workdays')
  @ApiOperation({ summary: 'The working day N working days from a date (422 naming the year when a year has no data)' })
  @ApiOkResponse({ type: WorkdayResultDoc })
  @ApiUnprocessableEntityResponse({
    description: `from or add missing or malformed, or ${UNKNOWN_YEAR}`,
    type: ValidationErrorResponse,
  })
  workdays(@Query() q: WorkdaysQueryDto) {
    return this.calendar.addWorkdaysMarked(q.from, q.add);
  }

  @Get('status')
  @ApiOperation({
    summary:
      'Years in use without the announced holiday arrangement (computed by rule): the pages show the warning as a banner',
  })
  @ApiOkResponse({ type: CalendarStatusDoc })
  status() {
    return this.calendar.status();
  }

  @Get('days/:date')
  @ApiOperation({ summary: 'Whether a date is a working day, and why' })
  @ApiParam({ name: 'date', example: '2026-10-01', description: 'YYYY-MM-DD' })
  @ApiOkResponse({ type: CalendarDayInfoDoc })
  @ApiUnprocessableEntityResponse({ description: UNKNOWN_YEAR, type: ErrorResponse })
  day(@Param('date') date: string) {
    return this.calendar.day(date);
  }

  @Get('years')
  @ApiOperation({ summary: 'The years the calendar has data for, with their source' })
  @ApiOkResponse({ type: [CalendarYearSummaryDoc] })
  years() {
    return this.calendar.listYears();
  }

  @Get('years/:year')
  @ApiOperation({ summary: "One year's holidays and make-up working days" })
  @ApiParam({ name: 'year', example: '2027' })
  @ApiOkResponse({ type: CalendarYearDoc })
  @ApiNotFoundResponse({ description: 'no data for this year', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({ description: 'not a year the calendar can hold', type: ValidationErrorResponse })
  year(@Param('year') year: string) {
    return this.calendar.getYear(yearParam(year));
  }

  @Put('years/:year')
  @ApiOperation({ summary: "Add or replace a year's data; moves working-day timers and task due dates accordingly" })
  @ApiParam({ name: 'year', example: '2027' })
  @ApiOkResponse({ type: CalendarChangeSummaryDoc, description: 'the year is replaced; what moved' })
  @ApiForbiddenResponse({ description: 'only the office (and admin) change the calendar', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({
    description:
      'not a year the calendar can hold, or a bad day: a date outside the year, listed twice, a holiday on a make-up day, a make-up day on a weekday (named in fields)',
    type: ValidationErrorResponse,
  })
  putYear(@Param('year') year: string, @Body() dto: PutYearDto) {
    return this.calendar.putYear(yearParam(year), {
      holidays: dto.holidays,
      workdays: dto.workdays,
      note: dto.note ?? null,
    });
  }

  @Get('changes')
  @ApiOperation({ summary: 'Calendar changes, newest first, with every timer and task they moved' })
  @ApiOkResponse({ type: [CalendarChangeDoc] })
  @ApiForbiddenResponse({ description: 'a unit account may not read the change log', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({ description: 'a bad year or limit', type: ValidationErrorResponse })
  changes(@Query() q: ChangesQueryDto) {
    return this.calendar.changes({ year: q.year, limit: q.limit });
  }
}

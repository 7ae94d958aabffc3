import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainException } from '../common/domain-exception.js';
import { CalendarService } from './calendar.service.js';
import { ChangesQueryDto } from './dto/changes-query.dto.js';
import { PutYearDto } from './dto/put-year.dto.js';
import { WorkdaysQueryDto } from './dto/workdays-query.dto.js';
import { MAX_YEAR, MIN_YEAR } from './workday-rules.js';

function yearParam(value: string): number {
  const year = Number(value);
  if (!/^\d{4}$/.test(value) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new DomainException('VALIDATION', 422, `year: "${value}" is not a year between ${MIN_YEAR} and ${MAX_YEAR}`, { fields: [{ field: 'year', message: `must be a year between ${MIN_YEAR} and ${MAX_YEAR}` }] });
  }
  return year;
}

@ApiTags('calendar')
@Controller('api/calendar')
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  @Get('workdays')
  @ApiOperation({ summary: 'The working day N working days from a date (422 naming the year when a year has no data)' })
  workdays(@Query() q: WorkdaysQueryDto) {
    return { date: this.calendar.addWorkdays(q.from, q.add) };
  }

  @Get('days/:date')
  @ApiOperation({ summary: 'Whether a date is a working day, and why' })
  day(@Param('date') date: string) {
    return this.calendar.day(date);
  }

  @Get('years')
  @ApiOperation({ summary: 'The years the calendar has data for, with their source' })
  years() {
    return this.calendar.listYears();
  }

  @Get('years/:year')
  @ApiOperation({ summary: "One year's holidays and make-up working days" })
  year(@Param('year') year: string) {
    return this.calendar.getYear(yearParam(year));
  }

  @Put('years/:year')
  @ApiOperation({ summary: "Add or replace a year's data; moves working-day timers and task due dates accordingly" })
  putYear(@Param('year') year: string, @Body() dto: PutYearDto) {
    return this.calendar.putYear(yearParam(year), { holidays: dto.holidays, workdays: dto.workdays, note: dto.note ?? null });
  }

  @Get('changes')
  @ApiOperation({ summary: 'Calendar changes, newest first, with every timer and task they moved' })
  changes(@Query() q: ChangesQueryDto) {
    return this.calendar.changes({ year: q.year, limit: q.limit });
  }
}

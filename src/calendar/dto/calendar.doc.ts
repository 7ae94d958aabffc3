import { ApiProperty } from '@nestjs/swagger';

export class WorkdayResultDoc {
  @ApiProperty({ example: '2026-10-16', description: 'the working day reached (YYYY-MM-DD, China)' }) date: string;
  @ApiProperty({
    description: 'the count went through a year without the announced arrangement (computed by rule): provisional',
  })
  provisional: boolean;
}

export class CalendarDayInfoDoc {
  @ApiProperty({ example: '2026-10-01' }) date: string;
  @ApiProperty() workday: boolean;
  @ApiProperty({
    enum: ['holiday', 'workday'],
    nullable: true,
    type: String,
    description: 'why: a listed holiday or make-up working day (调休); null for an ordinary weekday or weekend',
  })
  kind: 'holiday' | 'workday' | null;
  @ApiProperty({ nullable: true, type: String, example: '国庆节' }) name: string | null;
  @ApiProperty({
    description: 'the year has no announced arrangement; the day is computed by rule (weekends, statutory holidays)',
  })
  provisional: boolean;
}

export class CalendarYearSummaryDoc {
  @ApiProperty({ example: 2026 }) year: number;
  @ApiProperty({
    enum: ['chinese-days', 'office'],
    description: 'seeded from the chinese-days package, or published by the office',
  })
  source: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ description: 'number of listed holidays' }) holidays: number;
  @ApiProperty({ description: 'number of make-up working days (调休)' }) workdays: number;
}

export class CalendarListedDayDoc {
  @ApiProperty({ example: '2026-10-01' }) date: string;
  @ApiProperty({ nullable: true, type: String, example: '国庆节' }) name: string | null;
}

export class CalendarYearDoc {
  @ApiProperty({ example: 2026 }) year: number;
  @ApiProperty({ enum: ['chinese-days', 'office'] }) source: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ type: [CalendarListedDayDoc], description: 'listed holidays (non-working days)' })
  holidays: CalendarListedDayDoc[];
  @ApiProperty({ type: [CalendarListedDayDoc], description: 'make-up working days (调休) on weekends' })
  workdays: CalendarListedDayDoc[];
}

export class CalendarChangeSummaryDoc {
  @ApiProperty({ example: 2027 }) year: number;
  @ApiProperty({ description: 'working-day timers moved to the new calendar' }) timersMoved: number;
  @ApiProperty({ description: 'open tasks whose due date moved' }) tasksMoved: number;
  @ApiProperty({
    description: 'timers and tasks left alone: their due time had been moved by hand, or cannot be computed',
  })
  skipped: number;
  @ApiProperty({ description: 'id of the entry in GET /api/calendar/changes' }) changeId: number;
}

export class CalendarMovedItemDoc {
  @ApiProperty({ enum: ['timer', 'task'] }) kind: string;
  @ApiProperty() id: string;
  @ApiProperty() instanceId: string;
  @ApiProperty() activityId: string;
  @ApiProperty({ example: 'workdays(15)', description: 'the working-day literal' }) spec: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) before: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) after: string | null;
}

export class CalendarSkippedItemDoc {
  @ApiProperty({ enum: ['timer', 'task'] }) kind: string;
  @ApiProperty() id: string;
  @ApiProperty() instanceId: string;
  @ApiProperty({ example: 'workdays(15)' }) spec: string;
  @ApiProperty({ description: 'why it was left alone' }) reason: string;
}

export class CalendarChangeDetailsDoc {
  @ApiProperty({ type: [CalendarMovedItemDoc] }) moved: CalendarMovedItemDoc[];
  @ApiProperty({ type: [CalendarSkippedItemDoc] }) skipped: CalendarSkippedItemDoc[];
}

export class CalendarChangeDoc {
  @ApiProperty() id: number;
  @ApiProperty({ example: 2027 }) year: number;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) changedAt: Date;
  @ApiProperty() timersMoved: number;
  @ApiProperty() tasksMoved: number;
  @ApiProperty({ type: CalendarChangeDetailsDoc, description: 'every timer and task moved, and those left alone' })
  details: CalendarChangeDetailsDoc;
}

export class ProvisionalYearDoc {
  @ApiProperty({ example: 2027 }) year: number;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'when a deadline was first computed into it; null for the current year not yet used',
  })
  firstUsedAt: Date | null;
  @ApiProperty({ type: [CalendarListedDayDoc], description: 'the holidays computed by rule (statutory days and 补假)' })
  holidays: CalendarListedDayDoc[];
}

export class CalendarStatusDoc {
  @ApiProperty({
    example: 2026,
    nullable: true,
    type: Number,
    description: 'the last year with the announced arrangement',
  })
  officialThrough: number | null;
  @ApiProperty({
    type: [ProvisionalYearDoc],
    description: 'years in use computed by rule until the office enters the announced arrangement',
  })
  provisionalYears: ProvisionalYearDoc[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'the warning the pages show as a banner (Chinese); null when none',
  })
  warning: string | null;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';

export class CalendarDayDto {
  @ApiProperty({ example: '2027-10-01' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '应为日期（YYYY-MM-DD）' })
  date: string;

  @ApiPropertyOptional({ example: '国庆节' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}

/** A whole year as the office publishes it: it replaces what the service held for that year. */
export class PutYearDto {
  @ApiProperty({ type: [CalendarDayDto], description: 'listed holidays (non-working, weekends included)' })
  @IsArray()
  @ArrayMaxSize(366)
  @ValidateNested({ each: true })
  @Type(() => CalendarDayDto)
  holidays: CalendarDayDto[];

  @ApiProperty({ type: [CalendarDayDto], description: 'make-up working days (调休), Saturdays or Sundays' })
  @IsArray()
  @ArrayMaxSize(366)
  @ValidateNested({ each: true })
  @Type(() => CalendarDayDto)
  workdays: CalendarDayDto[];

  @ApiPropertyOptional({ example: '国务院办公厅关于2027年部分节假日安排的通知' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Matches, Max, Min } from 'class-validator';
import { MAX_WORKDAYS } from '../workday-rules.js';

export class WorkdaysQueryDto {
  @ApiProperty({ example: '2026-09-25', description: 'the base date (YYYY-MM-DD, China)' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '应为日期（YYYY-MM-DD）' })
  from: string;

  @ApiProperty({
    example: 15,
    description: 'working days to add; negative counts back, 0 gives the base or the next working day',
  })
  @Type(() => Number)
  @IsInt()
  @Min(-MAX_WORKDAYS)
  @Max(MAX_WORKDAYS)
  add: number;
}

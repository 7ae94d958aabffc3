import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class RequestExtensionDto {
  @ApiProperty({ example: '2026-06-30', description: 'the new deadline asked for (YYYY-MM-DD), after the current one' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '应为日期（YYYY-MM-DD）' })
  date: string;

  @ApiProperty({ example: '设备采购周期延长，需延期两个月' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason: string;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class ChangesQueryDto {
  @ApiPropertyOptional({ example: 2027, description: 'only the changes of this year' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1900)
  @Max(2199)
  year?: number;

  @ApiPropertyOptional({ example: 100, default: 100, maximum: 1000, description: 'at most this many changes' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

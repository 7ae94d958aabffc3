import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class ChangesQueryDto {
  @ApiPropertyOptional({ example: 2027 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1900) @Max(2199)
  year?: number;

  @ApiPropertyOptional({ example: 100 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000)
  limit?: number;
}

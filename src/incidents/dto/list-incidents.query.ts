import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

export class ListIncidentsQuery {
  @ApiPropertyOptional({
    enum: ['open', 'resolved', 'all'],
    default: 'open',
    description: 'open (the default), resolved, or all',
  })
  @IsOptional()
  @IsIn(['open', 'resolved', 'all'])
  state: 'open' | 'resolved' | 'all' = 'open';

  @ApiPropertyOptional({ default: 1, description: 'page number, from 1' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page: number = 1;

  @ApiPropertyOptional({ default: 50, maximum: 200, description: 'incidents per page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize: number = 50;
}

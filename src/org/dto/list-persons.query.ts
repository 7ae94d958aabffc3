import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class ListPersonsQuery {
  @ApiPropertyOptional({ description: 'only the persons of this unit (code)' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  unit?: string;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { PetitionStatus } from '../petitions.repository.js';
import { VERDICTS, type Verdict } from '../rules/petition-rules.js';

export const PETITION_STATUSES: readonly PetitionStatus[] = [
  'assigned',
  'investigating',
  'handling',
  'reviewing',
  'closed',
  'duplicate',
];

export class ListPetitionsQuery {
  @ApiPropertyOptional({ description: 'only complaints of this district (行政区域, exact)' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  district?: string;

  @ApiPropertyOptional({ description: 'only complaints of this pollution type (污染类型, exact)' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  pollutionType?: string;

  @ApiPropertyOptional({ enum: PETITION_STATUSES, description: 'only complaints at this stage' })
  @IsOptional()
  @IsIn(PETITION_STATUSES)
  status?: PetitionStatus;

  @ApiPropertyOptional({ enum: VERDICTS, description: 'only complaints found so (是否属实)' })
  @IsOptional()
  @IsIn(VERDICTS)
  verdict?: Verdict;

  @ApiPropertyOptional({ description: 'only complaints handed to this unit (code)' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  unit?: string;

  @ApiPropertyOptional({ description: 'search in 受理编号 and the complaint' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ default: 1, description: 'page number, from 1' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  page: number = 1;

  @ApiPropertyOptional({ default: 50, description: 'complaints per page, at most 200' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize: number = 50;
}

export class ReportQuery {
  @ApiPropertyOptional({ example: '2017-08-20', description: 'the day reported (YYYY-MM-DD); default today' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  date?: string;
}

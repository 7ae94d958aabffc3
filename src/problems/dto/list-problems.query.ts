import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { LIGHTS, PROBLEM_STATUSES, type Light, type ProblemStatus } from '../problem-status.js';

const toBool = ({ value }: { value: unknown }) =>
  value === 'true' || value === true ? true : value === 'false' || value === false ? false : value;

export class ListProblemsQuery {
  @ApiPropertyOptional({ enum: PROBLEM_STATUSES, description: 'only problems at this stage' })
  @IsOptional()
  @IsIn(PROBLEM_STATUSES)
  status?: ProblemStatus;

  @ApiPropertyOptional({ enum: LIGHTS, description: 'only problems with this warning light' })
  @IsOptional()
  @IsIn(LIGHTS)
  light?: Light;

  @ApiPropertyOptional({
    description: 'unit code: problems it leads or shares (a unit account always gets its own unit)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  unit?: string;

  @ApiPropertyOptional({
    description:
      "unit code: problems of this unit's subtree (it or a unit below leads or shares them); an office of a lower level always gets its own subtree",
  })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  within?: string;

  @ApiPropertyOptional({ example: '水环境', description: 'only problems of this category (exact)' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  category?: string;

  @ApiPropertyOptional({
    example: 'leader1',
    description: 'only problems whose responsible leader (责任领导) is this account',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  leader?: string;

  @ApiPropertyOptional({ description: 'only open problems past their deadline' })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({ description: 'deadline before this date (YYYY-MM-DD)' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '应为日期（YYYY-MM-DD）' })
  dueBefore?: string;

  @ApiPropertyOptional({ description: 'search in code and title' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ default: 1, description: 'page number, from 1' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page: number = 1;

  @ApiPropertyOptional({ default: 50, maximum: 200, description: 'problems per page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize: number = 50;
}

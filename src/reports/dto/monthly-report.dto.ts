import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class ProblemProgressDto {
  @ApiProperty({ example: 'TM2017-08', description: 'the problem, by code or id' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  problem: string;

  @ApiProperty({ example: '已完成12座加油站油气回收改造，剩余3座本月底前完成' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  text: string;

  @ApiProperty({ example: 80, description: 'share of the rectification done, 0–100' })
  @IsInt()
  @Min(0)
  @Max(100)
  percent: number;
}

/** 月度整改进展: one entry for each problem the unit was asked about. */
export class MonthlyReportDto {
  @ApiProperty({ type: [ProblemProgressDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(2000)
  @ValidateNested({ each: true })
  @Type(() => ProblemProgressDto)
  reports: ProblemProgressDto[];
}

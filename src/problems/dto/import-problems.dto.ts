import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** The form fields sent with the spreadsheet. */
export class ImportProblemsDto {
  @ApiPropertyOptional({
    description: 'the inspection the problems come from, for rows without 来源',
    example: '中央第三环境保护督察组反馈意见',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  source?: string;
}

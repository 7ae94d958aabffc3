import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The form fields beside the sheet: which batch it is and its deadlines. */
export class ImportBatchDto {
  @ApiProperty({ example: '第1批', description: 'the batch number the team gives (批次号), unique' })
  @IsString({ message: '批次号必须是文字' })
  @Length(1, 50, { message: '批次号为 1 至 50 个字' })
  code: string;

  @ApiPropertyOptional({
    example: '中央第三环境保护督察组转办第1批信访件',
    description: 'the title shown and published; defaults to one made of the batch number',
  })
  @IsOptional()
  @IsString({ message: '批次名称必须是文字' })
  @Length(1, 200, { message: '批次名称为 1 至 200 个字' })
  title?: string;

  @ApiPropertyOptional({
    example: '2017-08-12',
    description: 'the day the team forwarded it (交办日期); default today',
  })
  @IsOptional()
  @Matches(DATE, { message: '交办日期应为日期（YYYY-MM-DD）' })
  receivedOn?: string;

  @ApiProperty({ example: '2017-08-19', description: "the team's 办结 date: every complaint of the batch is due then" })
  @Matches(DATE, { message: '办结时限应为日期（YYYY-MM-DD）' })
  closeBy: string;

  @ApiPropertyOptional({ example: 1, description: 'working days the unit has to sign (交办签收), 1–30, default 1' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '签收期限应为整数个工作日' })
  @Min(1, { message: '签收期限至少 1 个工作日' })
  @Max(30, { message: '签收期限最多 30 个工作日' })
  assignDays?: number;
}

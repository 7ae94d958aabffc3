import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional } from 'class-validator';
import { DEFAULT_SETTINGS } from '../settings/supervision-settings.js';

/** A partial update of the ladder's thresholds; ranges and order are checked over the stored values (422). */
export class PutSettingsDto {
  @ApiPropertyOptional({ example: DEFAULT_SETTINGS.remindBefore, description: '期限前提醒：期限前N个工作日（0–60）' })
  @IsOptional()
  @IsInt()
  remindBefore?: number;

  @ApiPropertyOptional({ example: DEFAULT_SETTINGS.bulletinAfter, description: '逾期N个工作日通报（1–250）' })
  @IsOptional()
  @IsInt()
  bulletinAfter?: number;

  @ApiPropertyOptional({
    example: DEFAULT_SETTINGS.interviewAfter,
    description: '逾期N个工作日约谈（> bulletinAfter）',
  })
  @IsOptional()
  @IsInt()
  interviewAfter?: number;

  @ApiPropertyOptional({
    example: DEFAULT_SETTINGS.inspectionAfter,
    description: '逾期N个工作日专项督察（> interviewAfter）',
  })
  @IsOptional()
  @IsInt()
  inspectionAfter?: number;

  @ApiPropertyOptional({
    example: DEFAULT_SETTINGS.accountabilityAfter,
    description: '逾期N个工作日仍未销号的追责（> inspectionAfter）',
  })
  @IsOptional()
  @IsInt()
  accountabilityAfter?: number;

  @ApiPropertyOptional({ example: DEFAULT_SETTINGS.noticeReplyDays, description: '督办单答复期限：N个工作日（1–60）' })
  @IsOptional()
  @IsInt()
  noticeReplyDays?: number;

  @ApiPropertyOptional({
    example: DEFAULT_SETTINGS.monthlyReplyDays,
    description: '月督办单答复期限：N个工作日（1–60）',
  })
  @IsOptional()
  @IsInt()
  monthlyReplyDays?: number;

  @ApiPropertyOptional({ example: DEFAULT_SETTINGS.monthlyReportDay, description: '月度进展报送日（1–28）' })
  @IsOptional()
  @IsInt()
  monthlyReportDay?: number;

  @ApiPropertyOptional({ example: DEFAULT_SETTINGS.noticeDays, description: '销号公示期（工作日，1–30）' })
  @IsOptional()
  @IsInt()
  noticeDays?: number;
}

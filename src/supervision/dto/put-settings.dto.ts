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

  @ApiPropertyOptional({ example: DEFAULT_SETTINGS.signDays, description: '签收期限：交办后N个工作日（1–60）' })
  @IsOptional()
  @IsInt()
  signDays?: number;

  @ApiPropertyOptional({ example: DEFAULT_SETTINGS.planDays, description: '制定整改方案期限：交办后N个工作日（1–60）' })
  @IsOptional()
  @IsInt()
  planDays?: number;

  @ApiPropertyOptional({
    example: DEFAULT_SETTINGS.planReviewDays,
    description: '方案审核期限：方案报送后N个工作日（1–60）',
  })
  @IsOptional()
  @IsInt()
  planReviewDays?: number;

  @ApiPropertyOptional({
    example: DEFAULT_SETTINGS.selfCheckDays,
    description: '自查期限：申请销号后N个工作日内牵头单位自查（1–60）',
  })
  @IsOptional()
  @IsInt()
  selfCheckDays?: number;

  @ApiPropertyOptional({ example: DEFAULT_SETTINGS.verifyDays, description: '验收期限：自查通过后N个工作日（1–60）' })
  @IsOptional()
  @IsInt()
  verifyDays?: number;

  @ApiPropertyOptional({
    example: DEFAULT_SETTINGS.objectionReviewDays,
    description: '异议核查期限：公示期收到异议后N个工作日（1–60）',
  })
  @IsOptional()
  @IsInt()
  objectionReviewDays?: number;

  @ApiPropertyOptional({
    example: DEFAULT_SETTINGS.recheckDays,
    description: '回头看期限：回头看开始后N个工作日（1–60）',
  })
  @IsOptional()
  @IsInt()
  recheckDays?: number;

  @ApiPropertyOptional({ example: DEFAULT_SETTINGS.scheduleDays, description: '安排约谈期限：N个工作日（1–60）' })
  @IsOptional()
  @IsInt()
  scheduleDays?: number;

  @ApiPropertyOptional({ example: DEFAULT_SETTINGS.minutesDays, description: '约谈纪要期限：约谈后N个工作日（1–60）' })
  @IsOptional()
  @IsInt()
  minutesDays?: number;

  @ApiPropertyOptional({ example: DEFAULT_SETTINGS.commitmentDays, description: '整改承诺期限：N个工作日（1–60）' })
  @IsOptional()
  @IsInt()
  commitmentDays?: number;

  @ApiPropertyOptional({ example: DEFAULT_SETTINGS.inspectDays, description: '督察核查期限：N个工作日（1–60）' })
  @IsOptional()
  @IsInt()
  inspectDays?: number;

  @ApiPropertyOptional({
    example: DEFAULT_SETTINGS.investigateDays,
    description: '追责调查核实期限：N个工作日（1–60）',
  })
  @IsOptional()
  @IsInt()
  investigateDays?: number;

  @ApiPropertyOptional({ example: DEFAULT_SETTINGS.decideDays, description: '追责决定期限：N个工作日（1–60）' })
  @IsOptional()
  @IsInt()
  decideDays?: number;

  @ApiPropertyOptional({
    example: DEFAULT_SETTINGS.extensionReviewDays,
    description: '延期审核期限：N个工作日（1–60）',
  })
  @IsOptional()
  @IsInt()
  extensionReviewDays?: number;

  @ApiPropertyOptional({ example: DEFAULT_SETTINGS.chaseEvery, description: '逾期催办间隔：每N个工作日（1–60）' })
  @IsOptional()
  @IsInt()
  chaseEvery?: number;

  @ApiPropertyOptional({ example: DEFAULT_SETTINGS.chaseTimes, description: '逾期催办次数上限（1–20）' })
  @IsOptional()
  @IsInt()
  chaseTimes?: number;
  @ApiPropertyOptional({ example: DEFAULT_SETTINGS.noticeDays, description: '销号公示期（工作日，1–30）' })
  @IsOptional()
  @IsInt()
  noticeDays?: number;
}

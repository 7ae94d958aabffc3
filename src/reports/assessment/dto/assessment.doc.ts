import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** What the assessment API answers, for the API documentation. */
export class WeightsDoc {
  @ApiProperty({ example: 60, description: '按期完成率满分' }) weightOnTimeRate: number;
  @ApiProperty({ example: 2, description: '每销号一个问题加分' }) weightSignedOff: number;
  @ApiProperty({ example: 2, description: '每个问题回头看见效加分' }) weightEffective: number;
  @ApiProperty({ example: 2, description: '每次通报扣分' }) weightBulletin: number;
  @ApiProperty({ example: 5, description: '每次约谈扣分' }) weightInterview: number;
  @ApiProperty({ example: 10, description: '每次追责扣分' }) weightAccountability: number;
  @ApiProperty({ example: 5, description: '每个反弹问题扣分' }) weightRebound: number;
  @ApiProperty({ example: 1, description: '每缺报一次月度进展扣分' }) weightMissingReport: number;
}

export class ScoreRecordDoc {
  @ApiProperty({ enum: ['problem', 'action', 'report'] }) kind: string;
  @ApiProperty({ description: "the problem's or the supervision action's id (a missing report: the problem's)" })
  id: string;
  @ApiProperty({ example: 'TM2017-03', description: "the problem's code" }) code: string;
  @ApiProperty() title: string;
  @ApiProperty({ example: '2017-09-30', description: 'deadline, sign-off, issue or re-check day; month end' })
  date: string;
  @ApiPropertyOptional({ nullable: true, example: '通报〔2017〕3号' }) documentNo?: string | null;
  @ApiPropertyOptional({ description: 'on-time rate only: signed off on or before the deadline' }) onTime?: boolean;
}

export class ScoreFigureDoc {
  @ApiProperty({ description: 'the count' }) value: number;
  @ApiProperty({ description: 'what it adds to (negative: takes from) the score' }) points: number;
  @ApiProperty({ type: [ScoreRecordDoc] }) records: ScoreRecordDoc[];
}

export class RateFigureDoc {
  @ApiProperty({ nullable: true, example: 0.75, description: 'onTime ÷ due; null when nothing fell due' })
  value: number | null;
  @ApiProperty() due: number;
  @ApiProperty() onTime: number;
  @ApiProperty() points: number;
  @ApiProperty({ type: [ScoreRecordDoc], description: 'the problems due in the year, each marked onTime' })
  records: ScoreRecordDoc[];
}

export class UnitScoreDoc {
  @ApiProperty({ example: 'HBJ' }) unit: string;
  @ApiProperty({ example: '市环保局' }) unitName: string;
  @ApiProperty({ description: 'by score, high first; equal scores share a rank' }) rank: number;
  @ApiProperty({ example: 52.5 }) score: number;
  @ApiProperty({ type: RateFigureDoc }) onTimeRate: RateFigureDoc;
  @ApiProperty({ type: ScoreFigureDoc }) signedOff: ScoreFigureDoc;
  @ApiProperty({ type: ScoreFigureDoc, description: '见效: its problems found effective at 回头看 in the year' })
  effective: ScoreFigureDoc;
  @ApiProperty({ type: ScoreFigureDoc }) bulletins: ScoreFigureDoc;
  @ApiProperty({ type: ScoreFigureDoc }) interviews: ScoreFigureDoc;
  @ApiProperty({ type: ScoreFigureDoc }) accountabilities: ScoreFigureDoc;
  @ApiProperty({ type: ScoreFigureDoc }) rebounds: ScoreFigureDoc;
  @ApiProperty({ type: ScoreFigureDoc }) missingReports: ScoreFigureDoc;
}

export class AssessmentDoc {
  @ApiProperty({ example: 2017 }) year: number;
  @ApiProperty({ description: "the cut-off: the year's end, or now" }) asOf: string;
  @ApiProperty({ type: WeightsDoc }) weights: WeightsDoc;
  @ApiProperty({ type: [UnitScoreDoc] }) units: UnitScoreDoc[];
  @ApiProperty({
    description:
      "the year's dated records over all units (problems due, sign-offs, actions, missing reports); 0: nothing fell due or happened",
  })
  records: number;
  @ApiProperty({
    required: false,
    description:
      "GET /api/assessment/current only: the clock's year; the year answered is the last one with records when the current has none",
  })
  currentYear?: number;
}

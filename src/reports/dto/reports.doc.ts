import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** What the reports API answers, for the API documentation. */
export class NamedProblemDoc {
  @ApiProperty({ example: 'TM2017-03' }) code: string;
  @ApiProperty({ example: '中心城区20蒸吨以下燃煤锅炉未淘汰关停' }) title: string;
  @ApiProperty({ example: '2017-12-31' }) deadline: string;
}

export class UnitStatDoc {
  @ApiProperty({ example: 'HBJ' }) unit: string;
  @ApiProperty({ example: '市环保局' }) unitName: string;
  @ApiProperty({ description: 'problems it leads, assigned by the cut-off' }) assigned: number;
  @ApiProperty({ description: 'signed off by the cut-off' }) closed: number;
  @ApiProperty({ description: 'of those signed off, found effective (见效) at 回头看 by the cut-off' })
  effective: number;
  @ApiProperty({ description: 'deadline over by the cut-off' }) due: number;
  @ApiProperty({ description: 'of those due, signed off on or before the deadline' }) onTime: number;
  @ApiProperty({ description: 'deadline over, not signed off' }) overdue: number;
  @ApiProperty({ nullable: true, example: 0.75, description: 'onTime ÷ due; null when nothing is due yet' })
  onTimeRate: number | null;
  @ApiProperty({ description: 'by on-time rate, then overdue count; equal keys share a rank' }) rank: number;
  @ApiProperty({ type: [NamedProblemDoc] }) overdueProblems: NamedProblemDoc[];
  @ApiProperty({ type: [NamedProblemDoc], description: "asked about in the month's report and not reported on" })
  missingReports: NamedProblemDoc[];
}

export class CoUnitDoc {
  @ApiProperty() unit: string;
  @ApiProperty() unitName: string;
  @ApiProperty({ description: 'problems it shares without leading them' }) shared: number;
  @ApiProperty({ description: "of those, the problem's deadline over and not signed off" }) overdue: number;
  @ApiProperty({ description: 'its parts (分工) started by the cut-off' }) parts: number;
  @ApiProperty({ description: 'part deadline over by the cut-off' }) partsDue: number;
  @ApiProperty({ description: "of those due, done on or before the part's deadline" }) partsOnTime: number;
  @ApiProperty({ description: 'part deadline over, not done' }) partsLate: number;
  @ApiProperty({ nullable: true, example: 0.5, description: 'partsOnTime ÷ partsDue; null when none is due' })
  partsOnTimeRate: number | null;
  @ApiProperty({ description: 'among the co-units: by part on-time rate, then late parts' }) rank: number;
  @ApiProperty({ type: [NamedProblemDoc], description: "the problems whose part is late (the part's deadline)" })
  lateParts: NamedProblemDoc[];
  @ApiProperty({ type: [NamedProblemDoc], description: 'parts it was asked to report on that month and did not' })
  missingReports: NamedProblemDoc[];
}

export class LaggardDoc {
  @ApiProperty() unit: string;
  @ApiProperty() unitName: string;
  @ApiProperty({ type: [NamedProblemDoc] }) overdue: NamedProblemDoc[];
  @ApiProperty({ type: [NamedProblemDoc] }) missingReports: NamedProblemDoc[];
}

export class BulletinTotalsDoc {
  @ApiProperty() assigned: number;
  @ApiProperty() closed: number;
  @ApiProperty({ description: '整改一个、销号一个、见效一个: of those signed off, found effective at 回头看' })
  effective: number;
  @ApiProperty() due: number;
  @ApiProperty() onTime: number;
  @ApiProperty() overdue: number;
  @ApiProperty({ nullable: true, description: "the lead units' problems: onTime ÷ due" }) onTimeRate: number | null;
  @ApiProperty({ description: "the co-units' parts (分工) whose deadline is over" }) partsDue: number;
  @ApiProperty({ description: "of those, done on or before the part's deadline" }) partsOnTime: number;
  @ApiProperty({ description: 'part deadline over, not done' }) partsLate: number;
  @ApiProperty({
    nullable: true,
    description: "every task due, lead problems and co-units' parts: (onTime + partsOnTime) ÷ (due + partsDue)",
  })
  allOnTimeRate: number | null;
  @ApiProperty() units: number;
}

export class BulletinScopeDoc {
  @ApiProperty({ example: 'XA' }) unit: string;
  @ApiProperty({ example: '甲县' }) unitName: string;
}

export class BulletinDoc {
  @ApiProperty({ example: '2017-12' }) month: string;
  @ApiProperty({
    example: '2017-12-31T16:00:00.000Z',
    description: "the cut-off: the month's end, or now for the current month",
  })
  asOf: string;
  @ApiProperty({ example: '关于2017年12月环保督察反馈问题整改情况的通报' }) title: string;
  @ApiProperty({ example: '天门市环境保护督察整改工作领导小组办公室' }) issuer: string;
  @ApiProperty({ nullable: true, example: '督改通〔2018〕1号' }) documentNo: string | null;
  @ApiProperty({ description: 'true: the frozen snapshot' }) published: boolean;
  @ApiProperty({ nullable: true }) publishedAt: string | null;
  @ApiProperty({ type: BulletinTotalsDoc }) totals: BulletinTotalsDoc;
  @ApiProperty({ type: [UnitStatDoc], description: 'lead units, ranked' }) units: UnitStatDoc[];
  @ApiProperty({ type: [CoUnitDoc], description: 'co-responsible units, ranked apart on their own parts' })
  coUnits: CoUnitDoc[];
  @ApiProperty({ type: [LaggardDoc], description: 'units named: overdue, or missing the monthly report' })
  laggards: LaggardDoc[];
  @ApiPropertyOptional({
    type: BulletinScopeDoc,
    description: "分级督办: read by an office of a lower level, the bulletin restricted to its unit's subtree",
  })
  scope?: BulletinScopeDoc;
}

export class PublishedBulletinDoc {
  @ApiProperty({ example: '2017-12' }) month: string;
  @ApiProperty({ example: '督改通〔2018〕1号' }) documentNo: string;
  @ApiProperty() asOf: string;
  @ApiProperty() publishedAt: string;
  @ApiProperty({ example: 'monthly-cycle' }) publishedBy: string;
}

export class IndicatorValueDoc {
  @ApiProperty({ example: '2017-09' }) month: string;
  @ApiProperty({ example: 40 }) value: number;
  @ApiProperty({ example: 58, description: 'the target in force that month' }) target: number;
  @ApiProperty() met: boolean;
}

export class IndicatorYearDoc {
  @ApiProperty({ example: 2017 }) year: number;
  @ApiProperty() target: number;
  @ApiProperty({ description: "mean of the year's monthly values so far" }) average: number;
  @ApiProperty() months: number;
  @ApiProperty() met: boolean;
}

export class IndicatorTargetDoc {
  @ApiProperty({ example: 2020 }) year: number;
  @ApiProperty({ example: 53 }) target: number;
}

export class IndicatorDoc {
  @ApiProperty({ example: 'PM25' }) code: string;
  @ApiProperty({ example: 'PM2.5年均浓度' }) name: string;
  @ApiProperty({ example: 'μg/m³' }) unit: string;
  @ApiProperty({ enum: ['≤', '≥'] }) direction: string;
  @ApiProperty({ type: [IndicatorTargetDoc] }) targets: IndicatorTargetDoc[];
  @ApiProperty({ type: [IndicatorValueDoc] }) values: IndicatorValueDoc[];
  @ApiProperty({ type: [IndicatorYearDoc] }) years: IndicatorYearDoc[];
}

export class IndicatorPutDoc extends IndicatorValueDoc {
  @ApiProperty({ example: 'PM25' }) code: string;
  @ApiProperty({ example: 'μg/m³' }) unit: string;
  @ApiProperty({ enum: ['≤', '≥'] }) direction: string;
}

export class ReportProblemDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'TM2017-08' }) code: string;
  @ApiProperty() title: string;
  @ApiProperty({ example: '2017-12-31' }) deadline: string;
  @ApiProperty({ example: 'rectifying' }) status: string;
  @ApiProperty({ example: 'green' }) light: string;
  @ApiProperty({ description: 'reported on this month already' }) reported: boolean;
}

export class MonthlyReportFormDoc {
  @ApiProperty({ format: 'uuid' }) taskId: string;
  @ApiProperty({ example: '2017-09' }) month: string;
  @ApiProperty({ example: 'SWJ' }) unit: string;
  @ApiPropertyOptional({ nullable: true }) dueAt: string | null;
  @ApiProperty({ type: [ReportProblemDoc] }) problems: ReportProblemDoc[];
}

export class MonthlyReportResultDoc {
  @ApiProperty({ format: 'uuid' }) taskId: string;
  @ApiProperty({ example: '2017-09' }) month: string;
  @ApiProperty({ example: 'SWJ' }) unit: string;
  @ApiProperty({ description: 'problems reported on' }) reported: number;
}

export class RequestProblemDoc {
  @ApiProperty() code: string;
  @ApiProperty() title: string;
  @ApiProperty() reported: boolean;
  @ApiProperty() signedOff: boolean;
}

export class MonthlyRequestDoc {
  @ApiProperty({ example: 'SWJ' }) unit: string;
  @ApiProperty() requestedAt: string;
  @ApiPropertyOptional({ nullable: true }) dueAt: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'when 催报 went out' }) chasedAt: string | null;
  @ApiProperty({ type: [RequestProblemDoc] }) problems: RequestProblemDoc[];
  @ApiProperty() reported: number;
  @ApiProperty({ description: 'not reported on and not signed off' }) missing: number;
}

export class MonthlyRequestsDoc {
  @ApiProperty({ example: '2017-09' }) month: string;
  @ApiProperty({ type: [MonthlyRequestDoc] }) units: MonthlyRequestDoc[];
}

/** A download: the body is the file. */
export const binary = (mime: string) => ({
  description: 'the file',
  content: { [mime]: { schema: { type: 'string', format: 'binary' } } },
});

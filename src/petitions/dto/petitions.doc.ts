import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class VerdictCountsDoc {
  @ApiProperty({ description: '属实' }) true: number;
  @ApiProperty({ description: '部分属实' }) partly: number;
  @ApiProperty({ description: '不属实' }) untrue: number;
}

export class PetitionCountsDoc {
  @ApiProperty({ description: 'complaints received (重复件 included)' }) received: number;
  @ApiProperty({ description: 'handed to a unit (交办; 重复件 are not)' }) assigned: number;
  @ApiProperty({ description: '办结' }) closed: number;
  @ApiProperty({ type: VerdictCountsDoc, description: 'of the closed, found 属实 / 部分属实 / 不属实' })
  verdicts: VerdictCountsDoc;
  @ApiProperty({ description: '责令整改' }) orderedRectify: number;
  @ApiProperty({ description: '立案处罚' }) caseFiled: number;
  @ApiProperty({ description: 'fines, 万元' }) fineWan: number;
  @ApiProperty({ description: '拘留 (people)' }) detained: number;
  @ApiProperty({ description: '约谈 (people)' }) interviewed: number;
  @ApiProperty({ description: '问责 (people)' }) accountablePeople: number;
  @ApiProperty({ description: '重复件' }) duplicates: number;
  @ApiPropertyOptional({ description: 'complaints chased at least once (not in the public answers)' }) chased?: number;
  @ApiProperty({ description: 'moved to the rectification ledger (转入整改清单)' }) toLedger: number;
}

export class BatchAcceptedDoc {
  @ApiProperty({ format: 'uuid' }) batchId: string;
  @ApiProperty({ description: 'complaints in the sheet' }) rows: number;
  @ApiProperty({ example: '/api/petitions/batches/…' }) statusUrl: string;
}

export class EnteredPetitionDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'X420000201708120001' }) code: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'the 受理编号 of the earlier complaint this one repeats (重复件: linked, no process of its own)',
  })
  duplicateOf: string | null;
}

export class BatchDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '第1批' }) code: string;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'date' }) receivedOn: string;
  @ApiProperty({ format: 'date', description: "the team's 办结 date" }) closeBy: string;
  @ApiProperty({ description: 'working days to sign' }) assignDays: number;
  @ApiProperty({ enum: ['queued', 'running', 'done', 'failed'] }) status: string;
  @ApiProperty() statusLabel: string;
  @ApiProperty() rows: number;
  @ApiProperty({ description: 'processes started so far' }) done: number;
  @ApiPropertyOptional({ nullable: true, description: 'why the import failed (Chinese)' }) message: string | null;
  @ApiPropertyOptional({ nullable: true }) publishedAt: string | null;
  @ApiPropertyOptional({ type: PetitionCountsDoc }) counts?: PetitionCountsDoc;
}

export class BatchListDoc {
  @ApiProperty({ type: [BatchDoc] }) items: BatchDoc[];
}

export class NamedCountsDoc {
  @ApiProperty() name: string;
  @ApiProperty({ type: PetitionCountsDoc }) counts: PetitionCountsDoc;
}

export class PetitionDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: '受理编号' }) code: string;
  @ApiProperty({ description: '交办问题基本情况' }) summary: string;
  @ApiProperty() district: string;
  @ApiProperty() pollutionType: string;
  @ApiProperty() unitCode: string;
  @ApiProperty({ description: 'name, phone, address when the sheet had them (office only, never public)' })
  complainant: Record<string, string | null>;
  @ApiPropertyOptional({ nullable: true, description: '重复件: the 受理编号 it repeats' }) duplicateOf: string | null;
  @ApiProperty() status: string;
  @ApiProperty() statusLabel: string;
  @ApiPropertyOptional({ nullable: true, enum: ['属实', '部分属实', '不属实'] }) verdict: string | null;
  @ApiPropertyOptional({ nullable: true, description: '处理和整改情况' }) handling: string | null;
  @ApiPropertyOptional({ nullable: true, description: '责任人被处理情况' }) accountability: string | null;
  @ApiPropertyOptional({ nullable: true, description: 'the ledger problem it became' }) problemCode: string | null;
  @ApiProperty({ description: 'times chased (催签, 催办)' }) chases: number;
  @ApiProperty({ description: 'times the office returned it' }) returned: number;
  @ApiProperty({ description: "open past the batch's 办结 date" }) overdue: boolean;
}

export class PetitionPageDoc {
  @ApiProperty({ type: [PetitionDoc] }) items: PetitionDoc[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class BatchDetailDoc extends BatchDoc {
  @ApiProperty({ type: [NamedCountsDoc] }) byDistrict: NamedCountsDoc[];
  @ApiProperty({ type: [NamedCountsDoc] }) byPollutionType: NamedCountsDoc[];
  @ApiProperty({ type: PetitionPageDoc }) complaints: PetitionPageDoc;
}

export class ReportBatchDoc {
  @ApiProperty() code: string;
  @ApiProperty() title: string;
  @ApiPropertyOptional({ format: 'date' }) receivedOn?: string;
  @ApiPropertyOptional({ format: 'date' }) closeBy?: string;
  @ApiProperty({ type: PetitionCountsDoc }) counts: PetitionCountsDoc;
}

export class DailyReportDoc {
  @ApiProperty({ format: 'date' }) date: string;
  @ApiProperty() issuer: string;
  @ApiProperty({ type: [ReportBatchDoc], description: 'batches received that day' }) today: ReportBatchDoc[];
  @ApiProperty({ type: [ReportBatchDoc], description: 'every batch received up to that day' })
  batches: ReportBatchDoc[];
  @ApiProperty({ type: PetitionCountsDoc }) cumulative: PetitionCountsDoc;
  @ApiProperty({ type: [NamedCountsDoc] }) byDistrict: NamedCountsDoc[];
  @ApiProperty({ type: [NamedCountsDoc] }) byPollutionType: NamedCountsDoc[];
}

export class PublicBatchDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() code: string;
  @ApiProperty() title: string;
  @ApiProperty({ format: 'date' }) receivedOn: string;
  @ApiProperty({ format: 'date' }) closeBy: string;
  @ApiProperty() publishedAt: string;
  @ApiProperty({ type: PetitionCountsDoc }) counts: PetitionCountsDoc;
}

export class PublicBatchListDoc {
  @ApiProperty({ type: [PublicBatchDoc] }) items: PublicBatchDoc[];
}

export class PublicPetitionDoc {
  @ApiProperty({ description: '受理编号' }) code: string;
  @ApiProperty() district: string;
  @ApiProperty() pollutionType: string;
  @ApiPropertyOptional({ nullable: true, description: '属实 / 部分属实 / 不属实 / 重复件' }) verdict: string | null;
  @ApiPropertyOptional({ nullable: true, description: '处理和整改情况' }) handling: string | null;
  @ApiPropertyOptional({ nullable: true, description: '责任人被处理情况' }) accountability: string | null;
  @ApiProperty({ description: 'stage, in Chinese' }) status: string;
}

export class PublicBatchDetailDoc extends PublicBatchDoc {
  @ApiProperty({ type: [PublicPetitionDoc] }) complaints: PublicPetitionDoc[];
}

export class TaskPetitionDoc {
  @ApiProperty({ description: '受理编号' }) code: string;
  @ApiProperty({ description: 'the batch' }) batch: string;
  @ApiProperty({ description: '交办问题基本情况' }) summary: string;
  @ApiProperty() district: string;
  @ApiProperty() pollutionType: string;
  @ApiProperty({ format: 'date', description: "the batch's 办结 date" }) closeBy: string;
  @ApiPropertyOptional({ nullable: true }) verdict: string | null;
  @ApiPropertyOptional({ nullable: true }) investigation: string | null;
  @ApiPropertyOptional({ nullable: true }) handling: string | null;
  @ApiProperty({ description: 'times the office returned it' }) returned: number;
  @ApiPropertyOptional({ nullable: true, description: "the office's comment when it returned it" })
  reviewComment: string | null;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';

/** 异议: what anyone may file against a sign-off on notice, without signing in. */
export class ObjectionDto {
  @ApiProperty({ minLength: 5, maxLength: 1000, example: '河道仍有污水直排，整改不到位' })
  @IsString()
  @Length(5, 1000)
  content: string;

  @ApiPropertyOptional({ maxLength: 50, description: '姓名（可不填）' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  name?: string;

  @ApiPropertyOptional({ maxLength: 100, description: '联系方式（可不填，不公开）' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  contact?: string;
}

export class PublicNoticesQuery {
  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  page: number = 1;

  @ApiPropertyOptional({ default: 20, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize: number = 20;
}

export class PublicNoticeDoc {
  @ApiProperty({ example: 'TM2017-01' }) code: string;
  @ApiProperty() summary: string;
  @ApiProperty() category: string;
  @ApiProperty({ description: 'the lead unit by name' }) leadUnit: string;
  @ApiProperty({ type: String, format: 'date-time' }) startedAt: Date;
  @ApiProperty({ example: '2026-03-09', description: 'the last day to object (China date)' }) endsOn: string;
}

export class PublicNoticesDoc {
  @ApiProperty({ type: [PublicNoticeDoc] }) items: PublicNoticeDoc[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class ObjectionReceiptDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() code: string;
  @ApiProperty({ type: String, format: 'date-time' }) receivedAt: Date;
  @ApiProperty({ example: '异议已收到，办公室将在核查后处理' }) message: string;
}

export class SignoffObjectionDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ nullable: true, type: String }) contact: string | null;
  @ApiProperty() content: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ nullable: true, enum: ['upheld', 'rejected'] }) decision: string | null;
  @ApiProperty({ nullable: true, type: String }) decisionComment: string | null;
  @ApiProperty({ nullable: true, type: String }) decidedBy: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) decidedAt: Date | null;
}

export class SignoffNoticeDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'working days on notice' }) days: number;
  @ApiProperty({ type: String, format: 'date-time' }) startedAt: Date;
  @ApiProperty({ example: '2026-03-09' }) endsOn: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) closedAt: Date | null;
  @ApiProperty({ nullable: true, enum: ['passed', 'objected', 'returned'] }) outcome: string | null;
  @ApiProperty({ type: [SignoffObjectionDoc] }) objections: SignoffObjectionDoc[];
}

export class SignoffFilingDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['province', 'city', 'county', 'town'] }) toLevel: string;
  @ApiProperty({ type: String, format: 'date-time' }) filedAt: Date;
}

/** One 回头看 of the struck-off problem and its conclusion (见效). */
export class EffectCheckDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'date-time' }) checkedAt: Date;
  @ApiProperty({ nullable: true, type: String, description: 'the username who completed the 回头看' })
  checkedBy: string | null;
  @ApiProperty({ description: '反弹: the problem came back (a new round and 追责 follow)' }) rebound: boolean;
  @ApiProperty({ description: '见效: the rectification holds and shows its effect' }) effective: boolean;
  @ApiProperty() findings: string;
}

export class SignoffRecordDoc {
  @ApiProperty({ type: [SignoffNoticeDoc] }) notices: SignoffNoticeDoc[];
  @ApiProperty({ type: [SignoffFilingDoc] }) filings: SignoffFilingDoc[];
  @ApiProperty({ type: [EffectCheckDoc], description: '回头看 after 销号, each with its 见效 conclusion' })
  effectChecks: EffectCheckDoc[];
}

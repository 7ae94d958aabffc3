import { ApiProperty } from '@nestjs/swagger';

export class AuditEntryDoc {
  @ApiProperty({ description: 'position in the chain, 1, 2, 3… without gaps' }) seq: number;
  @ApiProperty() id: string;
  @ApiProperty() at: string;
  @ApiProperty({ description: "account id, or 'system', 'timer', 'anonymous'" }) actor: string;
  @ApiProperty({ nullable: true, type: String }) actorName: string | null;
  @ApiProperty({ example: 'task.ended' }) action: string;
  @ApiProperty({ nullable: true, type: String }) entityType: string | null;
  @ApiProperty({ nullable: true, type: String }) entityId: string | null;
  @ApiProperty({ nullable: true, type: String }) problemId: string | null;
  @ApiProperty({ nullable: true, type: Object }) before: unknown;
  @ApiProperty({ nullable: true, type: Object }) after: unknown;
  @ApiProperty({ nullable: true, type: Object }) details: unknown;
  @ApiProperty({ description: 'sha256(prev_hash + canonical JSON of the entry)' }) hash: string;
}

export class AuditPageDoc {
  @ApiProperty({ type: [AuditEntryDoc] }) items: AuditEntryDoc[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class VerifiedKeyDoc {
  @ApiProperty({
    example: '3f9a0c1d2e4b5a69',
    description: 'the first 16 hex digits of HMAC-SHA256(key, "duban audit key fingerprint"); never the key',
  })
  fingerprint: string;
  @ApiProperty({ enum: ['HMAC-SHA256'] }) algorithm: string;
  @ApiProperty({ nullable: true, type: Number, description: 'first seq keyed (SHA-256 before it); null: none yet' })
  fromSeq: number | null;
}

export class VerifyDoc {
  @ApiProperty() ok: boolean;
  @ApiProperty({ description: 'entries checked' }) count: number;
  @ApiProperty({ required: false, description: 'hash of the last entry (keep it elsewhere to notice a cut tail)' })
  head?: string;
  @ApiProperty({ type: VerifiedKeyDoc, description: 'the key the chain was checked with' }) key: VerifiedKeyDoc;
  @ApiProperty({ required: false, description: '{seq, id, kind: altered|removed|wrong-key, message}: the first break' })
  broken?: object;
}

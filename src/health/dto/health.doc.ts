import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class HealthDatabaseDoc {
  @ApiProperty() ok: boolean;
  @ApiProperty({
    enum: ['embedded', 'postgresql'],
    description: 'embedded PGlite or a PostgreSQL server (DATABASE_URL)',
  })
  mode: string;
  @ApiPropertyOptional({ description: 'why the database did not answer (within 3 s)' }) detail?: string;
}

export class HealthQueueDoc {
  @ApiProperty({ enum: ['in-process', 'bullmq'], description: 'the timer driver: in-process, or BullMQ on Redis' })
  driver: string;
  @ApiProperty() ok: boolean;
  @ApiPropertyOptional({
    example: 'delayed 4, waiting 0, active 0',
    description: 'queue counts (BullMQ) or why it is down',
  })
  detail?: string;
}

export class HealthDoc {
  @ApiProperty({ enum: ['ok', 'unavailable'] }) status: string;
  @ApiProperty({ type: HealthDatabaseDoc }) database: HealthDatabaseDoc;
  @ApiProperty({ type: HealthQueueDoc }) queue: HealthQueueDoc;
}

import { ApiProperty } from '@nestjs/swagger';

export class IncidentProblemDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'HB-2017-001' }) code: string;
  @ApiProperty() title: string;
}

export class IncidentProcessDoc {
  @ApiProperty({ example: 'escalation-ladder' }) key: string;
  @ApiProperty({ nullable: true, type: String, example: '督办升级' }) name: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'null when the process could not start' })
  instanceId: string | null;
}

export class IncidentElementDoc {
  @ApiProperty({ nullable: true, type: String, example: 'judge' }) id: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '督办研判',
    description: "the element's name in the diagram (Chinese)",
  })
  name: string | null;
}

export class IncidentDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'not yet resolved: the process is stopped' }) open: boolean;
  @ApiProperty({
    enum: ['step', 'start'],
    description: 'step: a step of a running process failed; start: the process could not start (a retry starts it)',
  })
  kind: 'step' | 'start';
  @ApiProperty({
    type: IncidentProblemDoc,
    nullable: true,
    description: 'the problem the process is about (its business key)',
  })
  problem: IncidentProblemDoc | null;
  @ApiProperty({ type: IncidentProcessDoc }) process: IncidentProcessDoc;
  @ApiProperty({ type: IncidentElementDoc, description: 'the element that failed, or where the process waits' })
  element: IncidentElementDoc;
  @ApiProperty({ description: 'why, in Chinese' }) reason: string;
  @ApiProperty({ description: 'the technical message, for the administrator' }) detail: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resolvedAt: Date | null;
}

export class IncidentPageDoc {
  @ApiProperty({ type: [IncidentDoc] }) items: IncidentDoc[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

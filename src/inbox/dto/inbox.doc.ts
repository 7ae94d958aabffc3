import { ApiProperty } from '@nestjs/swagger';

export class InboxProblemDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'HB-2026-001' }) code: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: ['green', 'blue', 'yellow', 'red'] }) light: string;
  @ApiProperty({ example: 'rectifying' }) status: string;
  @ApiProperty({ example: 'HBJ' }) leadUnit: string;
  @ApiProperty({ example: '2026-06-30' }) deadline: string;
}

export class InboxItemDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ example: 'sign', description: 'the BPMN step (activity id)' }) step: string;
  @ApiProperty({ example: 'rectification', description: 'the process key' }) process: string;
  @ApiProperty({ nullable: true, type: String }) formKey: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'username of whoever signed for it; null while it is offered to the groups',
  })
  assignee: string | null;
  @ApiProperty({ type: [String], description: 'unit codes or roles it is offered to' }) candidateGroups: string[];
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) due: Date | null;
  @ApiProperty({
    description:
      'the due time lies in (or was counted through) a year without the announced holiday arrangement: provisional until the office enters it',
  })
  dueProvisional: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) created: Date;
  @ApiProperty() overdue: boolean;
  @ApiProperty({ nullable: true, type: Number, description: 'days until due, rounded up (negative when overdue)' })
  daysLeft: number | null;
  @ApiProperty({
    type: InboxProblemDoc,
    nullable: true,
    description: 'the problem whose code is the task business key',
  })
  problem: InboxProblemDoc | null;
}

export class InboxCountsDoc {
  @ApiProperty({
    description:
      'open tasks of this reader under the process, problem and unit filters (overdue and dueWithin not applied)',
  })
  all: number;
  @ApiProperty() overdue: number;
  @ApiProperty({ description: 'due within 3 days, overdue ones included' }) dueSoon: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { rectification: 12 },
    description: 'open tasks per process key',
  })
  byProcess: Record<string, number>;
}

export class InboxPageDoc {
  @ApiProperty({ enum: ['todo'] }) view: 'todo';
  @ApiProperty({ type: [InboxItemDoc] }) items: InboxItemDoc[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty({ type: InboxCountsDoc, description: 'for the badges' }) counts: InboxCountsDoc;
}

export class FormFieldDoc {
  @ApiProperty({ example: 'plan' }) name: string;
  @ApiProperty({ example: '整改方案' }) label: string;
  @ApiProperty({ enum: ['text', 'textarea', 'boolean', 'date', 'number', 'milestones', 'files', 'select'] })
  type: string;
  @ApiProperty() required: boolean;
  @ApiProperty({ type: [String], required: false, description: 'the choices of a select' }) options?: string[];
}

export class TaskFormDoc {
  @ApiProperty() key: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: [FormFieldDoc] }) fields: FormFieldDoc[];
}

export class TaskDetailDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ description: 'the BPMN step (activity id)' }) step: string;
  @ApiProperty({ description: 'the process key' }) process: string;
  @ApiProperty({ format: 'uuid' }) instanceId: string;
  @ApiProperty({ nullable: true, type: String }) assignee: string | null;
  @ApiProperty({ type: [String] }) candidateGroups: string[];
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) due: Date | null;
  @ApiProperty({
    description:
      'the due time lies in (or was counted through) a year without the announced holiday arrangement: provisional until the office enters it',
  })
  dueProvisional: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) created: Date;
  @ApiProperty({ nullable: true, type: String, description: "the step's documentation from the BPMN" }) documentation:
    string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: "the step's camunda:properties",
  })
  properties: Record<string, string>;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "the step's input variables" }) input: Record<
    string,
    unknown
  >;
  @ApiProperty({
    type: TaskFormDoc,
    nullable: true,
    description: "the step's form; null when the service has none for its formKey",
  })
  form: TaskFormDoc | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'the problem row (snake_case columns) whose code is the task business key',
  })
  problem: Record<string, unknown> | null;
}

export class TaskAssigneeDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'the username the task is now with; null when handed back to the groups',
  })
  assignee: string | null;
}

export class TaskInstanceStateDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'active', description: 'active, or completed when this was its last step' }) status: string;
}

export class TaskCompletedDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: true }) completed: boolean;
  @ApiProperty({ type: TaskInstanceStateDoc, description: 'the process instance after the step' })
  instance: TaskInstanceStateDoc;
}

export class ExtensionRequestedDoc {
  @ApiProperty({ format: 'uuid', description: 'the supervision action recording the request' }) id: string;
  @ApiProperty({ format: 'uuid' }) problemId: string;
  @ApiProperty({ example: 'extension' }) type: string;
  @ApiProperty({ example: 'requested', description: 'requested, then granted or refused by the office' })
  status: string;
  @ApiProperty() title: string;
  @ApiProperty({ nullable: true, type: String, description: 'the date asked for' }) deadline: string | null;
}

export class HandoverCandidateDoc {
  @ApiProperty({ format: 'uuid', description: 'account id' }) id: string;
  @ApiProperty({ example: 'li.hbj', description: 'give it as `to` to POST /api/tasks/{id}/handover' }) username: string;
  @ApiProperty({ example: '李明', description: "the person's name, else the username" }) name: string;
  @ApiProperty({ nullable: true, type: String }) personName: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'HBJ' }) unitCode: string | null;
  @ApiProperty({ nullable: true, type: String, example: '市生态环境局' }) unitName: string | null;
}

export class DoneByDoc {
  @ApiProperty({ example: 'li.hbj' }) username: string;
  @ApiProperty({ nullable: true, type: String, example: '李明' }) personName: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'HBJ' }) unitCode: string | null;
  @ApiProperty({ nullable: true, type: String, example: '市生态环境局' }) unitName: string | null;
}

export class DoneItemDoc {
  @ApiProperty({ format: 'uuid', description: 'the task id (no longer open)' }) id: string;
  @ApiProperty({ nullable: true, type: String, example: '制定整改方案' }) name: string | null;
  @ApiProperty({ example: 'plan', description: 'the BPMN step (activity id)' }) step: string;
  @ApiProperty({ example: 'rectification', description: 'the process key' }) process: string;
  @ApiProperty({ type: String, format: 'date-time' }) started: Date;
  @ApiProperty({ type: String, format: 'date-time', description: 'when it was completed' }) completedAt: Date;
  @ApiProperty({ type: DoneByDoc, description: 'who completed it: the account, its person and unit' })
  completedBy: DoneByDoc;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: { plan: '分三步完成整改', milestones: [{ title: '完成清运', dueDate: '2026-03-31' }] },
    description: "what was submitted with the step's form; null when nothing was",
  })
  submitted: Record<string, unknown> | null;
  @ApiProperty({ type: InboxProblemDoc, nullable: true }) problem: InboxProblemDoc | null;
}

export class DonePageDoc {
  @ApiProperty({ enum: ['done'] }) view: 'done';
  @ApiProperty({ type: [DoneItemDoc] }) items: DoneItemDoc[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class CopyProblemDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'HB-2026-001' }) code: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: ['green', 'blue', 'yellow', 'red'] }) light: string;
}

export class CopyItemDoc {
  @ApiProperty({ enum: ['action', 'bulletin'], description: 'a supervision action, or a published 月通报' })
  kind: string;
  @ApiProperty({ description: "the action's id, or the bulletin's month (YYYY-MM)" }) id: string;
  @ApiProperty({ example: 'urge', description: 'the action type (urge, notice, bulletin, interview …)' })
  type: string;
  @ApiProperty() title: string;
  @ApiProperty({ nullable: true, type: String, example: '督改督〔2026〕3号' }) documentNo: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) issuedAt: Date;
  @ApiProperty({ nullable: true, type: String, description: 'the unit it is addressed to (null: all units)' })
  toUnit: string | null;
  @ApiProperty({ nullable: true, type: String }) toUnitName: string | null;
  @ApiProperty({ example: '/api/supervision/actions/0b6c….docx', description: 'where its .docx is downloaded' })
  docx: string;
  @ApiProperty({ type: CopyProblemDoc, nullable: true }) problem: CopyProblemDoc | null;
}

export class CopyPageDoc {
  @ApiProperty({ enum: ['cc'] }) view: 'cc';
  @ApiProperty({ type: [CopyItemDoc] }) items: CopyItemDoc[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

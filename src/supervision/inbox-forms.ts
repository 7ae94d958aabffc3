import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsOptional,
  IsString,
  Length,
  ValidateNested,
} from 'class-validator';
import { field, registerForms, type FormDefinition } from '../inbox/forms/form-registry.js';
import { MEASURES } from './processes/inspection.handlers.js';

/** A list as a form sends it: an array, or one text of names separated by 、,，; or new lines. */
const names = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? splitNames(value) : value);
const splitNames = (value: string): string[] =>
  value
    .split(/[、,，;；\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

export class InterviewScheduleForm {
  @IsDateString({ strict: true }) interviewDate: string;
  @IsString() @Length(1, 200) interviewPlace: string;
  @Transform(names)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  attendees: string[];
}

export class InterviewMinutesForm {
  @IsString() @Length(1, 10_000) minutes: string;
}

export class InterviewCommitmentForm {
  @IsString() @Length(1, 5000) commitment: string;
  @IsDateString({ strict: true }) commitmentDeadline: string;
}

export class InspectionFindingsForm {
  @IsString() @Length(1, 10_000) findings: string;
  @IsBoolean() accountable: boolean;
  @IsOptional() @IsIn(['专项督察', '暗查暗访']) inspectionMode?: string;
}

export class InvestigationForm {
  @IsString() @Length(1, 10_000) investigation: string;
}

export class AccountablePersonInput {
  @IsString() @Length(1, 100) name: string;
  @IsOptional() @IsString() @Length(1, 32) unitCode?: string;
}

export class AccountabilityDecisionForm {
  @IsIn(MEASURES) measure: string;
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? splitNames(value).map((name) => ({ name })) : value))
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => AccountablePersonInput)
  persons?: AccountablePersonInput[];
}

export class ExtensionReviewForm {
  @IsBoolean() approved: boolean;
  @IsOptional() @IsString() @Length(0, 2000) reviewComments?: string;
}

const { area } = field;

export const supervisionForms: FormDefinition[] = [
  {
    key: 'interview-schedule',
    title: '安排约谈',
    dto: InterviewScheduleForm,
    fields: [
      { name: 'interviewDate', label: '约谈时间', type: 'date', required: true },
      { name: 'interviewPlace', label: '约谈地点', type: 'text', required: true },
      { name: 'attendees', label: '参加人员（以、分隔）', type: 'text', required: true },
    ],
  },
  { key: 'interview-minutes', title: '约谈纪要', dto: InterviewMinutesForm, fields: [area('minutes', '约谈纪要')] },
  {
    key: 'interview-commitment',
    title: '整改承诺',
    dto: InterviewCommitmentForm,
    fields: [
      area('commitment', '承诺事项'),
      { name: 'commitmentDeadline', label: '承诺完成时限', type: 'date', required: true },
    ],
  },
  {
    key: 'inspection-findings',
    title: '专项督察结论',
    dto: InspectionFindingsForm,
    fields: [
      area('findings', '督察发现'),
      { name: 'accountable', label: '需要追责', type: 'boolean', required: true },
      { name: 'inspectionMode', label: '督察方式', type: 'select', required: false, options: ['专项督察', '暗查暗访'] },
    ],
  },
  {
    key: 'accountability-investigation',
    title: '调查核实',
    dto: InvestigationForm,
    fields: [area('investigation', '调查情况')],
  },
  {
    key: 'accountability-decision',
    title: '追责决定',
    dto: AccountabilityDecisionForm,
    fields: [
      { name: 'measure', label: '追责方式', type: 'select', required: true, options: [...MEASURES] },
      { name: 'persons', label: '责任人（以、分隔）', type: 'text', required: false },
    ],
  },
  {
    key: 'extension-review',
    title: '审核延期申请',
    dto: ExtensionReviewForm,
    fields: [
      { name: 'approved', label: '同意延期', type: 'boolean', required: true },
      area('reviewComments', '审核意见', false),
    ],
  },
];

/** The supervision task forms, for the inbox (when the application has it) to show and check. */
@Injectable()
export class SupervisionInboxForms implements OnModuleInit {
  constructor(private readonly moduleRef: ModuleRef) {}

  onModuleInit(): void {
    registerForms(this.moduleRef, supervisionForms);
  }
}

import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
} from 'class-validator';
import { field, registerForms, type FormDefinition } from '../inbox/forms/form-registry.js';
import { VERDICTS } from './rules/petition-rules.js';

export class PetitionSignForm {
  @IsOptional() @IsString() @Length(0, 2000) note?: string;
}

export class PetitionInvestigateForm {
  @IsIn(VERDICTS, { message: '请选择属实、部分属实或不属实' }) verdict: string;
  @IsString() @Length(1, 5000) investigation: string;
  @IsOptional() @IsString() @Length(0, 2000) evidence?: string;
  /** 佐证材料: files uploaded on this task (POST /api/tasks/{id}/petition/files). */
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsUUID('all', { each: true }) evidenceFileIds?: string[];
}

export class PetitionHandleForm {
  @IsString() @Length(1, 5000) handling: string;
  @IsOptional() @IsString() @Length(0, 2000) accountability?: string;
  @IsOptional() @IsBoolean() orderedRectify?: boolean;
  @IsOptional() @IsBoolean() caseFiled?: boolean;
  @IsOptional() @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) @Max(1_000_000) fineWan?: number;
  @IsOptional() @IsInt() @Min(0) @Max(10_000) detained?: number;
  @IsOptional() @IsInt() @Min(0) @Max(10_000) interviewed?: number;
  @IsOptional() @IsInt() @Min(0) @Max(10_000) accountablePeople?: number;
  @IsOptional() @IsBoolean() lastingHarm?: boolean;
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsUUID('all', { each: true }) evidenceFileIds?: string[];
}

export class PetitionReviewForm {
  @IsBoolean() approved: boolean;
  @IsOptional() @IsString() @Length(0, 2000) reviewComment?: string;
}

const { area, number: num, flag, files } = field;

export const petitionForms: FormDefinition[] = [
  { key: 'petition-sign', title: '签收信访件', dto: PetitionSignForm, fields: [area('note', '签收说明', false)] },
  {
    key: 'petition-investigate',
    title: '调查核实',
    dto: PetitionInvestigateForm,
    fields: [
      { name: 'verdict', label: '是否属实', type: 'select', required: true, options: [...VERDICTS] },
      area('investigation', '调查核实情况', true),
      area('evidence', '佐证材料（现场照片、检测报告等的说明）', false),
      files('evidenceFileIds', '佐证材料文件（现场照片、监测报告、文件资料）'),
    ],
  },
  {
    key: 'petition-handle',
    title: '处理和整改',
    dto: PetitionHandleForm,
    fields: [
      area('handling', '处理和整改情况', true),
      flag('orderedRectify', '责令整改'),
      flag('caseFiled', '立案处罚'),
      num('fineWan', '罚款（万元）'),
      num('detained', '拘留（人）'),
      num('interviewed', '约谈（人）'),
      num('accountablePeople', '问责（人）'),
      area('accountability', '责任人被处理情况', false),
      flag('lastingHarm', '问题长期存在，转入整改清单'),
      files('evidenceFileIds', '处理佐证材料（处罚决定书、整改照片等）'),
    ],
  },
  {
    key: 'petition-review',
    title: '审核办理结果',
    dto: PetitionReviewForm,
    fields: [
      { name: 'approved', label: '审核通过', type: 'boolean', required: true },
      area('reviewComment', '审核意见（退回时必填）', false),
    ],
  },
];

/** The complaint task forms, for the inbox (when the application has it) to show and check. */
@Injectable()
export class PetitionInboxForms implements OnModuleInit {
  constructor(private readonly moduleRef: ModuleRef) {}

  onModuleInit(): void {
    registerForms(this.moduleRef, petitionForms);
  }
}

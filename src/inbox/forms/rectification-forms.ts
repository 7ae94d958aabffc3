import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import type { FormDefinition } from './form-registry.js';

export class SignForm {
  @IsOptional() @IsString() @Length(0, 2000) note?: string;
}

export class MilestoneInput {
  @IsString() @Length(1, 200) title: string;
  @IsDateString({ strict: true }) dueDate: string;
  @IsOptional() @IsDateString({ strict: true }) doneDate?: string;
}

/** A co-unit's part (分工): its measures, its own deadline (no later than the lead's: checked on the problem), milestones. */
export class PartInput {
  @IsString() @Length(1, 32) unit: string;
  @IsString() @Length(1, 2000) measures: string;
  @IsDateString({ strict: true }) deadline: string;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => MilestoneInput)
  milestones?: MilestoneInput[];
}

export class PlanForm {
  @IsString() @Length(1, 5000) summary: string;
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => MilestoneInput)
  milestones: MilestoneInput[];
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PartInput)
  parts?: PartInput[];
}

export class ReviewPlanForm {
  @IsBoolean() planApproved: boolean;
  @IsOptional() @IsString() @Length(0, 2000) comment?: string;
}

export class RectifyForm {
  @IsString() @Length(1, 5000) summary: string;
  @IsOptional() @IsInt() @Min(0) @Max(100) percent?: number;
}

/** 申请销号: every evidence file of this problem the application rests on (the categories its type requires). */
export class ApplyForm {
  @IsString() @Length(1, 5000) summary: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @IsUUID('all', { each: true }) evidenceFileIds: string[];
}

/** 自查: the lead unit's head checks the work before the office is asked to verify it. */
export class SelfCheckForm {
  @IsBoolean() selfCheckPassed: boolean;
  @IsString() @Length(1, 100) checkedBy: string;
  @IsString() @Length(1, 2000) selfCheckOpinion: string;
}

/** 验收: the site check (date, people, findings, photos) and the opinion. */
export class VerifyForm {
  @IsBoolean() verified: boolean;
  @IsDateString({ strict: true }) siteCheckDate: string;
  @IsString() @Length(1, 500) siteCheckPeople: string;
  @IsString() @Length(1, 5000) siteFindings: string;
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsUUID('all', { each: true }) sitePhotoFileIds?: string[];
  @IsString() @Length(1, 2000) comment: string;
}

/** 异议核查: the office's decision on the objections filed during 公示. */
export class ReviewObjectionForm {
  @IsBoolean() objectionUpheld: boolean;
  @IsString() @Length(1, 2000) objectionComment: string;
}

/** 回头看: whether the problem rebounded (反弹) and whether its rectification shows its effect (见效); not both. */
export class RecheckForm {
  @IsBoolean() rebound: boolean;
  @IsBoolean() effective: boolean;
  @IsString() @Length(1, 5000) findings: string;
}

const area = (name: string, label: string, required = true) => ({ name, label, type: 'textarea' as const, required });
const yes = (name: string, label: string) => ({ name, label, type: 'boolean' as const, required: true });

export const rectificationForms: FormDefinition[] = [
  { key: 'sign', title: '签收', dto: SignForm, fields: [area('note', '签收意见', false)] },
  {
    key: 'plan',
    title: '制定整改方案（倒排工期）',
    dto: PlanForm,
    fields: [
      area('summary', '整改方案'),
      { name: 'milestones', label: '节点计划', type: 'milestones', required: true },
      { name: 'parts', label: '配合单位分工', type: 'parts', required: false },
    ],
  },
  {
    key: 'review-plan',
    title: '审核整改方案',
    dto: ReviewPlanForm,
    fields: [yes('planApproved', '方案通过'), area('comment', '审核意见', false)],
  },
  {
    key: 'rectify',
    title: '整改落实',
    dto: RectifyForm,
    fields: [area('summary', '整改情况'), { name: 'percent', label: '完成进度（%）', type: 'number', required: false }],
  },
  {
    key: 'co-rectify',
    title: '配合整改',
    dto: RectifyForm,
    fields: [
      area('summary', '配合整改情况'),
      { name: 'percent', label: '完成进度（%）', type: 'number', required: false },
    ],
  },
  {
    key: 'unit-part',
    title: '落实分工整改',
    dto: RectifyForm,
    fields: [
      area('summary', '分工完成情况'),
      { name: 'percent', label: '完成进度（%）', type: 'number', required: false },
    ],
  },
  {
    key: 'apply',
    title: '申请销号',
    dto: ApplyForm,
    fields: [
      area('summary', '整改完成情况'),
      { name: 'evidenceFileIds', label: '佐证材料（现场照片、监测报告、文件资料）', type: 'files', required: true },
    ],
  },
  {
    key: 'self-check',
    title: '牵头单位自查',
    dto: SelfCheckForm,
    fields: [
      yes('selfCheckPassed', '自查通过'),
      { name: 'checkedBy', label: '自查负责人', type: 'text', required: true },
      area('selfCheckOpinion', '自查意见'),
    ],
  },
  {
    key: 'verify',
    title: '验收（现场核查）',
    dto: VerifyForm,
    fields: [
      yes('verified', '验收通过'),
      { name: 'siteCheckDate', label: '核查日期', type: 'date', required: true },
      { name: 'siteCheckPeople', label: '核查人员', type: 'text', required: true },
      area('siteFindings', '核查发现'),
      { name: 'sitePhotoFileIds', label: '现场照片', type: 'files', required: false },
      area('comment', '验收意见'),
    ],
  },
  {
    key: 'review-objection',
    title: '公示异议核查',
    dto: ReviewObjectionForm,
    fields: [yes('objectionUpheld', '异议成立'), area('objectionComment', '核查意见')],
  },
  {
    key: 'recheck',
    title: '回头看',
    dto: RecheckForm,
    fields: [yes('rebound', '问题反弹'), yes('effective', '整改见效'), area('findings', '检查情况（见效情况）')],
  },
];

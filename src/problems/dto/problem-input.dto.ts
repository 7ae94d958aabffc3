import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

/** The levels a problem may come down from (上级交办). */
export const SOURCE_LEVELS = ['province', 'city', 'county', 'town'] as const;

/** The codes the office writes on paper (the same rule as the import's 编号 column). */
export const PROBLEM_CODE = /^[A-Za-z0-9\u4e00-\u9fa5][A-Za-z0-9\u4e00-\u9fa5_\-.()（）〔〕[\]#/]{0,63}$/;

export class MilestoneDto {
  @ApiProperty({ example: '完成油烟净化设施安装', maxLength: 200 })
  @IsString({ message: '节点名称必须是文字' })
  @Length(1, 200, { message: '节点名称为 1 至 200 个字' })
  title: string;

  @ApiProperty({ example: '2026-06-30', description: 'YYYY-MM-DD, not after the deadline' })
  @IsDateString({ strict: true }, { message: '节点日期须为 YYYY-MM-DD 格式的日期' })
  dueDate: string;
}

/** What the office fills in to enter one problem by hand (交办): the same fields as a row of the import. */
export class CreateProblemDto {
  @ApiProperty({
    example: 'TM-2026-001',
    description: 'letters, digits, Chinese characters and - _ . / # brackets, at most 64',
  })
  @IsString({ message: '编号必须是文字' })
  @Matches(PROBLEM_CODE, { message: '编号只能由字母、数字、汉字及 - _ . / # 括号组成，最多 64 个字符' })
  code: string;

  @ApiProperty({ example: '城区餐饮油烟直排', maxLength: 500 })
  @IsString({ message: '问题名称必须是文字' })
  @Length(1, 500, { message: '问题名称为 1 至 500 个字' })
  title: string;

  @ApiPropertyOptional({ maxLength: 4000 })
  @IsOptional()
  @IsString({ message: '问题描述必须是文字' })
  @MaxLength(4000, { message: '问题描述最多 4000 个字' })
  description?: string;

  @ApiProperty({ example: '大气污染', maxLength: 50 })
  @IsString({ message: '类别必须是文字' })
  @Length(1, 50, { message: '类别为 1 至 50 个字' })
  category: string;

  @ApiProperty({ example: 'HBJ', description: 'the lead unit (牵头单位): its code or its name' })
  @IsString({ message: '牵头单位必须是文字' })
  @Length(1, 100, { message: '请选择牵头单位' })
  leadUnit: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['CGJ'],
    description: 'the other responsible units (配合单位), codes or names',
  })
  @IsOptional()
  @IsArray({ message: '配合单位须为列表' })
  @ArrayMaxSize(50, { message: '配合单位最多 50 个' })
  @IsString({ each: true, message: '配合单位必须是文字' })
  @Length(1, 100, { each: true, message: '配合单位名称为 1 至 100 个字' })
  coUnits?: string[];

  @ApiProperty({ example: '张三', description: 'the responsible person (责任人)' })
  @IsString({ message: '责任人必须是文字' })
  @Length(1, 100, { message: '请填写责任人' })
  person: string;

  @ApiProperty({ example: '2026-12-31', description: 'the deadline (整改时限), YYYY-MM-DD, not before today' })
  @IsDateString({ strict: true }, { message: '整改时限须为 YYYY-MM-DD 格式的日期' })
  deadline: string;

  @ApiPropertyOptional({ example: '油烟净化设施安装率100%', maxLength: 2000 })
  @IsOptional()
  @IsString({ message: '整改目标必须是文字' })
  @MaxLength(2000, { message: '整改目标最多 2000 个字' })
  goal?: string;

  @ApiPropertyOptional({ example: '中央环保督察反馈意见', maxLength: 200 })
  @IsOptional()
  @IsString({ message: '来源必须是文字' })
  @MaxLength(200, { message: '来源最多 200 个字' })
  source?: string;

  @ApiPropertyOptional({
    example: 6,
    minimum: 1,
    maximum: 120,
    description: '回头看 this many months after sign-off (default 6)',
  })
  @IsOptional()
  @IsInt({ message: '回头看周期须为整数月' })
  @Min(1, { message: '回头看周期为 1 至 120 个月' })
  @Max(120, { message: '回头看周期为 1 至 120 个月' })
  recheckMonths?: number;

  @ApiPropertyOptional({
    type: [MilestoneDto],
    description: 'a proposed schedule (节点计划); the unit’s plan replaces it',
  })
  @IsOptional()
  @IsArray({ message: '节点计划须为列表' })
  @ArrayMaxSize(100, { message: '节点最多 100 个' })
  @ValidateNested({ each: true })
  @Type(() => MilestoneDto)
  milestones?: MilestoneDto[];

  @ApiPropertyOptional({
    example: 'leader1',
    description: '责任领导 (包保领导): a leader account, by its username or its person name',
  })
  @IsOptional()
  @IsString({ message: '责任领导必须是文字' })
  @Length(1, 100, { message: '责任领导为 1 至 100 个字' })
  responsibleLeader?: string;

  @ApiPropertyOptional({
    enum: SOURCE_LEVELS,
    description: 'the level that assigned it (上级交办): its sign-off is filed there (备案)',
  })
  @IsOptional()
  @IsIn(SOURCE_LEVELS, { message: '交办层级应为 province、city、county 或 town' })
  sourceLevel?: string;
}

/** What the office corrects on a problem; fields left out stay. The units are those of the 交办 and stay. */
export class UpdateProblemDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString({ message: '问题名称必须是文字' })
  @Length(1, 500, { message: '问题名称为 1 至 500 个字' })
  title?: string;

  @ApiPropertyOptional({ maxLength: 4000, nullable: true, type: String })
  @ValidateIf((_, v) => v !== undefined && v !== null)
  @IsString({ message: '问题描述必须是文字' })
  @MaxLength(4000, { message: '问题描述最多 4000 个字' })
  description?: string | null;

  @ApiPropertyOptional({ maxLength: 50 })
  @IsOptional()
  @IsString({ message: '类别必须是文字' })
  @Length(1, 50, { message: '类别为 1 至 50 个字' })
  category?: string;

  @ApiPropertyOptional({ description: 'refused once assigned: the lead unit holds the tasks (UNITS_FIXED)' })
  @IsOptional()
  @IsString({ message: '牵头单位必须是文字' })
  leadUnit?: string;

  @ApiPropertyOptional({ type: [String], description: 'refused once assigned, as leadUnit' })
  @IsOptional()
  @IsArray({ message: '配合单位须为列表' })
  @ArrayMaxSize(50, { message: '配合单位最多 50 个' })
  @IsString({ each: true, message: '配合单位必须是文字' })
  coUnits?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: '责任人必须是文字' })
  @Length(1, 100, { message: '请填写责任人' })
  person?: string;

  @ApiPropertyOptional({
    example: '2027-03-31',
    description: 'a new deadline: every due date, timer and the ladder follow it',
  })
  @IsOptional()
  @IsDateString({ strict: true }, { message: '整改时限须为 YYYY-MM-DD 格式的日期' })
  deadline?: string;

  @ApiPropertyOptional({ maxLength: 2000, nullable: true, type: String })
  @ValidateIf((_, v) => v !== undefined && v !== null)
  @IsString({ message: '整改目标必须是文字' })
  @MaxLength(2000, { message: '整改目标最多 2000 个字' })
  goal?: string | null;

  @ApiPropertyOptional({ maxLength: 200, nullable: true, type: String })
  @ValidateIf((_, v) => v !== undefined && v !== null)
  @IsString({ message: '来源必须是文字' })
  @MaxLength(200, { message: '来源最多 200 个字' })
  source?: string | null;

  @ApiPropertyOptional({ type: [MilestoneDto], description: 'replaces the schedule (节点计划)' })
  @IsOptional()
  @IsArray({ message: '节点计划须为列表' })
  @ArrayMaxSize(100, { message: '节点最多 100 个' })
  @ValidateNested({ each: true })
  @Type(() => MilestoneDto)
  milestones?: MilestoneDto[];

  @ApiPropertyOptional({ nullable: true, type: String, description: '责任领导 (a leader account); null clears it' })
  @ValidateIf((_, v) => v !== undefined && v !== null)
  @IsString({ message: '责任领导必须是文字' })
  @Length(1, 100, { message: '责任领导为 1 至 100 个字' })
  responsibleLeader?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    enum: SOURCE_LEVELS,
    description: 'the level that assigned it; null clears it',
  })
  @ValidateIf((_, v) => v !== undefined && v !== null)
  @IsIn(SOURCE_LEVELS, { message: '交办层级应为 province、city、county 或 town' })
  sourceLevel?: string | null;

  @ApiPropertyOptional({ maxLength: 500, description: 'why (kept in the trail)' })
  @IsOptional()
  @IsString({ message: '修改原因必须是文字' })
  @MaxLength(500, { message: '修改原因最多 500 个字' })
  reason?: string;
}

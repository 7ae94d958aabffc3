import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { cleanName } from '../../common/control-chars.js';
import { UNIT_CODE } from '../../org/dto/create-unit.dto.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** A problem can be split into at most this many at once, and have at most MAX_CHILDREN in all. */
export const MAX_SPLIT = 30;
export const MAX_CHILDREN = 100;

/** One child problem of a split (拆分下达): for one unit below the problem's unit. */
export class SplitChildDto {
  @ApiProperty({ example: 'YKZ', description: "a unit below the problem's lead unit, in the splitter's subtree" })
  @Transform(trim)
  @IsString({ message: '请填写下级单位编码' })
  @Matches(UNIT_CODE, { message: '下级单位须为单位编码' })
  unitCode: string;

  @ApiProperty({ example: '岳口镇汉江沿岸非法码头整治' })
  @Transform(cleanName)
  @IsString({ message: '请填写问题名称' })
  @MinLength(1, { message: '请填写问题名称' })
  @MaxLength(200, { message: '问题名称最多 200 个字' })
  title: string;

  @ApiProperty({ example: '2026-06-30', description: "整改时限, no later than the parent problem's" })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '整改时限应为日期（YYYY-MM-DD）' })
  deadline: string;
}

export class SplitProblemDto {
  @ApiProperty({ type: [SplitChildDto], minItems: 1, maxItems: MAX_SPLIT })
  @IsArray({ message: '下级问题应为列表' })
  @ArrayMinSize(1, { message: '请至少拆分出一个下级问题' })
  @ArrayMaxSize(MAX_SPLIT, { message: `一次最多拆分 ${MAX_SPLIT} 个下级问题` })
  @ValidateNested({ each: true })
  @Type(() => SplitChildDto)
  children: SplitChildDto[];
}

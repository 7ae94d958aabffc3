import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { cleanName } from '../../common/control-chars.js';
import { PERSON_ROLES, type PersonRole } from './create-person.dto.js';
import { UNIT_CODE } from './create-unit.dto.js';
import { UNIT_LEVELS, type UnitLevel } from '../unit-levels.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** A unit renamed or moved in the tree; its code stays (problems and accounts name it). */
export class UpdateUnitDto {
  @ApiPropertyOptional({ example: '市生态环境局' })
  @Transform(cleanName)
  @IsOptional()
  @IsString({ message: '单位名称必须是文字' })
  @MinLength(1, { message: '请填写单位名称' })
  @MaxLength(100, { message: '单位名称最多 100 个字' })
  name?: string;

  @ApiPropertyOptional({
    example: 'CITY',
    nullable: true,
    type: String,
    description: 'the parent unit; null for the top of the tree',
  })
  @Transform(trim)
  @ValidateIf((_, v) => v !== undefined && v !== null)
  @IsString()
  @Matches(UNIT_CODE, { message: '上级单位须为单位编码' })
  parentCode?: string | null;

  @ApiPropertyOptional({
    enum: UNIT_LEVELS,
    nullable: true,
    description: "the unit's level, below its parent's and above its own units'; null for a department",
  })
  @ValidateIf((_, v) => v !== undefined && v !== null)
  @IsIn(UNIT_LEVELS, { message: '层级须为 province（省级）、city（市级）、county（县级）或 town（乡镇级）' })
  level?: UnitLevel | null;
}

/** A person's name, role, phone or unit corrected. */
export class UpdatePersonDto {
  @ApiPropertyOptional({ example: '张三' })
  @Transform(cleanName)
  @IsOptional()
  @IsString({ message: '姓名必须是文字' })
  @MinLength(1, { message: '请填写姓名' })
  @MaxLength(50, { message: '姓名最多 50 个字' })
  name?: string;

  @ApiPropertyOptional({
    example: 'HBJ',
    description: 'moves the person to another unit (not while an account of theirs belongs to this one)',
  })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  unitCode?: string;

  @ApiPropertyOptional({ enum: PERSON_ROLES, description: 'handler 经办人 or head 负责人' })
  @IsOptional()
  @IsIn(PERSON_ROLES, { message: '角色须为 handler（经办人）或 head（负责人）' })
  role?: PersonRole;

  @ApiPropertyOptional({ example: '13800000000', nullable: true, type: String })
  @Transform(trim)
  @ValidateIf((_, v) => v !== undefined && v !== null)
  @IsString()
  @Matches(/^[0-9+\- ]{3,20}$/, { message: '电话须为 3 至 20 位数字、空格、+ 或 -' })
  phone?: string | null;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { cleanName } from '../../common/control-chars.js';
import { UNIT_LEVELS, type UnitLevel } from '../unit-levels.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export const UNIT_CODE = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;

export class CreateUnitDto {
  @ApiProperty({ example: 'HBJ', description: 'short code, e.g. HBJ for 市环保局' })
  @Transform(trim)
  @IsString()
  @Matches(UNIT_CODE, { message: '单位编码应以字母开头，其后最多 31 个字母、数字、_ 或 -' })
  code: string;

  @ApiProperty({ example: '市环保局' })
  @Transform(cleanName)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiPropertyOptional({ example: 'CITY', description: 'the parent unit; none for the city itself' })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @Matches(UNIT_CODE, { message: '应为单位编码' })
  parentCode?: string;

  @ApiPropertyOptional({
    enum: UNIT_LEVELS,
    description: "the unit's level (province, city, county, town), below its parent's; none for a department",
  })
  @IsOptional()
  @IsIn(UNIT_LEVELS, { message: '层级须为 province（省级）、city（市级）、county（县级）或 town（乡镇级）' })
  level?: UnitLevel;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { cleanName } from '../../common/control-chars.js';

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
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { cleanName } from '../../common/control-chars.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export const PERSON_ROLES = ['handler', 'head'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

export class CreatePersonDto {
  @ApiProperty({ example: '张三' })
  @Transform(cleanName)
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  name: string;

  @ApiProperty({ example: 'HBJ' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  unitCode: string;

  @ApiProperty({ enum: PERSON_ROLES, description: 'handler 经办人 or head 负责人' })
  @IsIn(PERSON_ROLES)
  role: PersonRole;

  @ApiPropertyOptional({ example: '13800000000' })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @Matches(/^[0-9+\- ]{3,20}$/, { message: '电话应为 3–20 位数字、空格、+ 或 -' })
  phone?: string;
}

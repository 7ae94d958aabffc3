import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, MaxLength, Min } from 'class-validator';

/** 异议: what anyone may file against a sign-off on notice, without signing in. */
export class ObjectionDto {
  @ApiProperty({ minLength: 5, maxLength: 1000, example: '河道仍有污水直排，整改不到位' })
  @IsString()
  @Length(5, 1000)
  content: string;

  @ApiPropertyOptional({ maxLength: 50, description: '姓名（可不填）' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  name?: string;

  @ApiPropertyOptional({ maxLength: 100, description: '联系方式（可不填，不公开）' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  contact?: string;
}

export class PublicNoticesQuery {
  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  page: number = 1;

  @ApiPropertyOptional({ default: 20, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize: number = 20;
}

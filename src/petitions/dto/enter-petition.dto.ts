import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/**
 * One complaint typed in by the office, with the sheet's columns. The lengths, the 受理编号's form, the unit and
 * 重复件 are checked as for a row of the sheet (the same Chinese messages); here only the shape is bounded.
 */
export class EnterPetitionDto {
  @ApiProperty({ example: 'X420000201708120001', description: '受理编号, unique' })
  @IsString({ message: '受理编号必须是文字' })
  @MaxLength(64, { message: '受理编号最多 64 个字符' })
  code: string;

  @ApiProperty({ example: '某化工厂夜间偷排废水', description: '交办问题基本情况' })
  @IsString({ message: '交办问题基本情况必须是文字' })
  @MaxLength(4000, { message: '交办问题基本情况最多 4000 个字' })
  summary: string;

  @ApiProperty({ example: '岳口镇', description: '行政区域' })
  @IsString({ message: '行政区域必须是文字' })
  @MaxLength(50, { message: '行政区域最多 50 个字' })
  district: string;

  @ApiProperty({ example: '水污染', description: '污染类型' })
  @IsString({ message: '污染类型必须是文字' })
  @MaxLength(50, { message: '污染类型最多 50 个字' })
  pollutionType: string;

  @ApiPropertyOptional({ example: 'HBJ', description: '责任单位 (name or code); default the unit the district names' })
  @IsOptional()
  @IsString({ message: '责任单位必须是文字' })
  @MaxLength(100, { message: '责任单位最多 100 个字' })
  unit?: string;

  @ApiPropertyOptional({ description: '投诉人 (kept by the office, never published)' })
  @IsOptional()
  @IsString({ message: '投诉人必须是文字' })
  @MaxLength(100, { message: '投诉人最多 100 个字' })
  complainantName?: string;

  @ApiPropertyOptional({ description: '联系电话 (never published)' })
  @IsOptional()
  @IsString({ message: '联系电话必须是文字' })
  @MaxLength(50, { message: '联系电话最多 50 个字' })
  complainantPhone?: string;

  @ApiPropertyOptional({ description: '投诉人地址 (never published)' })
  @IsOptional()
  @IsString({ message: '投诉人地址必须是文字' })
  @MaxLength(500, { message: '投诉人地址最多 500 个字' })
  complainantAddress?: string;
}

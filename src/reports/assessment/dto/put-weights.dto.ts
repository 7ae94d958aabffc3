import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { DEFAULT_WEIGHTS } from '../assessment-weights.js';

/** A partial change of the annual score's weights (whole points, 0–100); checked over the stored ones (422). */
export class PutWeightsDto {
  @ApiPropertyOptional({ example: DEFAULT_WEIGHTS.weightOnTimeRate, description: '按期完成率满分（0–100）' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  weightOnTimeRate?: number;

  @ApiPropertyOptional({ example: DEFAULT_WEIGHTS.weightSignedOff, description: '每销号一个问题加分（0–100）' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  weightSignedOff?: number;

  @ApiPropertyOptional({ example: DEFAULT_WEIGHTS.weightBulletin, description: '每次通报扣分（0–100）' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  weightBulletin?: number;

  @ApiPropertyOptional({ example: DEFAULT_WEIGHTS.weightInterview, description: '每次约谈扣分（0–100）' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  weightInterview?: number;

  @ApiPropertyOptional({ example: DEFAULT_WEIGHTS.weightAccountability, description: '每次追责扣分（0–100）' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  weightAccountability?: number;

  @ApiPropertyOptional({ example: DEFAULT_WEIGHTS.weightEffective, description: '每个问题回头看见效加分（0–100）' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  weightEffective?: number;

  @ApiPropertyOptional({ example: DEFAULT_WEIGHTS.weightRebound, description: '每个反弹问题扣分（0–100）' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  weightRebound?: number;

  @ApiPropertyOptional({ example: DEFAULT_WEIGHTS.weightMissingReport, description: '每缺报一次月度进展扣分（0–100）' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  weightMissingReport?: number;
}

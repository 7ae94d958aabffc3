import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { EVIDENCE_CATEGORIES, type EvidenceCategory } from '../evidence-category.js';

/** The text fields beside the multipart `file`. */
export class UploadFileDto {
  @ApiPropertyOptional({ description: 'the task the file is evidence for (a task of this problem)' })
  @IsOptional()
  @IsUUID()
  taskId?: string;

  @ApiPropertyOptional({ example: '整改前后对比照片' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;

  @ApiPropertyOptional({
    enum: EVIDENCE_CATEGORIES,
    description:
      '佐证材料类别: photo 现场照片, report 监测报告, document 文件资料; without it an image counts as a photo, anything else as a document',
  })
  @IsOptional()
  @IsIn(EVIDENCE_CATEGORIES)
  category?: EvidenceCategory;
}

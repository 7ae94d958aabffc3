import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

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
}

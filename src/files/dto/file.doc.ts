import { ApiProperty } from '@nestjs/swagger';
import { ErrorResponse } from '../../auth/dto/login.dto.js';

export class FileUploaderDoc {
  @ApiProperty({ description: "the uploader's account id, or 'system'" }) accountId: string;
  @ApiProperty({ nullable: true, type: String, description: 'their person name, else their username' }) name:
    string | null;
}

/** An evidence file's metadata (佐证材料). */
export class FileDoc {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'the problem, for its evidence' })
  problemId: string | null;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'the complaint (信访件), for its evidence',
  })
  petitionId: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'the task it is evidence for' }) taskId:
    string | null;
  @ApiProperty({ example: '整改后现场照片.jpg', description: 'the original name, made safe' }) name: string;
  @ApiProperty({ description: 'bytes' }) size: number;
  @ApiProperty({ description: 'SHA-256 of the content (hex); also the download ETag' }) sha256: string;
  @ApiProperty({ example: 'image/jpeg', description: 'the MIME type detected from the content, served on download' })
  contentType: string;
  @ApiProperty({ example: 'jpeg', description: 'jpeg, png, webp, heic, pdf, docx, xlsx, pptx, doc, xls or ppt' })
  type: string;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ enum: ['photo', 'report', 'document'], description: '佐证材料类别 (现场照片, 监测报告, 文件资料)' })
  category: string;
  @ApiProperty({ type: FileUploaderDoc }) uploadedBy: FileUploaderDoc;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class UnsupportedFileDoc extends ErrorResponse {
  @ApiProperty({ example: 'exe', description: 'what the content is' }) detectedType: string;
  @ApiProperty({ example: 'application/x-msdownload' }) detectedMime: string;
}

export class FileTooLargeDoc extends ErrorResponse {
  @ApiProperty({ description: 'the upload limit in bytes (DUBAN_MAX_UPLOAD_BYTES)' }) limit: number;
}

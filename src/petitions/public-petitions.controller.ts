import { Controller, Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorResponse } from '../common/error-response.doc.js';
import { PublicBatchDetailDoc, PublicBatchListDoc } from './dto/petitions.doc.js';
import { PetitionsService } from './petitions.service.js';

/** 信访件办理情况公开 (no sign-in): published batches only, and never a complainant's name, phone or address. */
@ApiTags('public')
@Controller('api/public/petitions')
export class PublicPetitionsController {
  constructor(private readonly petitions: PetitionsService) {}

  @Get('batches')
  @ApiOperation({ summary: 'The published batches of complaints with their numbers (no sign-in)' })
  @ApiOkResponse({ type: PublicBatchListDoc })
  @ApiNotFoundResponse({ description: 'never: an empty list when nothing is published', type: ErrorResponse })
  batches() {
    return this.petitions.publicBatches();
  }

  @Get('batches/:id')
  @ApiOperation({
    summary:
      "A published batch: each complaint's 受理编号, district, type, 是否属实, what was done and the 处理 of the responsible",
  })
  @ApiOkResponse({ type: PublicBatchDetailDoc })
  @ApiNotFoundResponse({ description: 'no published batch with this id', type: ErrorResponse })
  batch(@Param('id') id: string) {
    return this.petitions.publicBatch(id);
  }
}

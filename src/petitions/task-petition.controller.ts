import { Controller, Get, Param } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorResponse } from '../common/error-response.doc.js';
import { TaskPetitionDoc } from './dto/petitions.doc.js';
import { PetitionsService } from './petitions.service.js';

@ApiTags('petitions')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'not signed in, or the token expired', type: ErrorResponse })
@Controller('api/tasks')
export class TaskPetitionController {
  constructor(private readonly petitions: PetitionsService) {}

  @Get(':id/petition')
  @ApiOperation({ summary: 'The complaint a task of petition.bpmn is about (no complainant data)' })
  @ApiOkResponse({ type: TaskPetitionDoc })
  @ApiForbiddenResponse({ description: "a unit account, for another unit's task", type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'no complaint task with this id', type: ErrorResponse })
  ofTask(@Param('id') id: string) {
    return this.petitions.ofTask(id);
  }
}
